import DocumentModel
/// The statements a write runs against one document table (point reads and writes by key,
/// and by rowid for table scans), prepared once per connection (the connection caches them by
/// SQL text) and reused for every row.
///
/// Every write of a row also brings the table's index entries from the old document to the
/// new one (``IndexWriter``), so no path can write a document without its entries; the
/// documents are passed as autoclosures, made only when the table has indexes.
///
/// For a table whose change log is on, every row write also records its change
/// (``ChangeRecorder``) in the same transaction: this is the one place documents are written,
/// so it is the one place changes are recorded.
///
/// None of them is an insert "or replace": in SQLite that is a delete plus an insert, which would
/// count as two changes and fire delete triggers. A new row is `INSERT ... ON CONFLICT DO
/// NOTHING` and an existing one is `UPDATE`, so each row is written at most once.
struct RowStatements {
    let connection: SQLiteConnection
    let indexes: IndexWriter
    /// nil when the table's change log is off.
    let changes: ChangeRecorder?
    private let primaryKey: String
    private let select: SQLiteStatement
    private let insert: SQLiteStatement
    private let update: SQLiteStatement
    private let delete: SQLiteStatement
    private let page: SQLiteStatement
    private let updateByRowID: SQLiteStatement
    private let deleteByRowID: SQLiteStatement

    init(connection: SQLiteConnection, table: TableInfo, indexes: [IndexDefinition]) throws {
        self.connection = connection
        self.indexes = try IndexWriter(connection: connection, definitions: indexes)
        self.changes = table.changeLog.isOn ? ChangeRecorder(connection: connection, table: table.name) : nil
        self.primaryKey = table.primaryKey
        let name = table.quotedName
        select = try connection.cachedStatement("SELECT doc FROM \(name) WHERE id = ?")
        insert = try connection.cachedStatement("INSERT INTO \(name) (id, doc) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")
        update = try connection.cachedStatement("UPDATE \(name) SET doc = ? WHERE id = ?")
        delete = try connection.cachedStatement("DELETE FROM \(name) WHERE id = ?")
        page = try connection.cachedStatement("SELECT rowid, doc FROM \(name) WHERE rowid > ? ORDER BY rowid LIMIT ?")
        updateByRowID = try connection.cachedStatement("UPDATE \(name) SET doc = ? WHERE rowid = ?")
        deleteByRowID = try connection.cachedStatement("DELETE FROM \(name) WHERE rowid = ?")
    }

    /// Up to `limit` rows after `rowID` in rowid order: a table scan in pages, which stays
    /// correct while the scan updates or deletes the rows it has passed.
    func page(after rowID: Int64, limit: Int) throws -> [(rowID: Int64, text: [UInt8])] {
        defer { page.reset() }
        page.bind(rowID, at: 1)
        page.bind(Int64(limit), at: 2)
        var rows: [(rowID: Int64, text: [UInt8])] = []
        while try page.step() {
            rows.append((page.int64(at: 0), page.bytes(at: 1)))
        }
        return rows
    }

    func update(rowID: Int64, _ text: ArraySlice<UInt8>, old: @autoclosure () -> Document, new: @autoclosure () -> Document) throws {
        defer { updateByRowID.reset() }
        updateByRowID.bind(rowID, at: 2)
        try text.withUnsafeBytes { bytes in
            updateByRowID.bindTextNoCopy(bytes, at: 1)
            try updateByRowID.step()
        }
        if !indexes.isEmpty || changes != nil {
            let old = old()
            // The key of a row reached by rowid is in its document.
            guard let key = try? PrimaryKey(old[primaryKey] ?? .null) else { return }
            try changed(key, old: old, new: text, newValue: new())
        }
    }

    /// Brings the indexes and the change log from `old` to the new document (nil: deleted).
    private func changed(_ key: PrimaryKey, old: Document?, new text: ArraySlice<UInt8>?,
                         newValue: @autoclosure () -> Document?) throws {
        if !indexes.isEmpty { try indexes.change(key, old: old, new: newValue()) }
        try changes?.record(key, old: old.map(DocumentText.value), new: text.map(DocumentText.text))
    }

    /// Rewrites the table's catalog row unchanged: a write of a page, whose commit at
    /// `synchronous = FULL` syncs the WAL (`sync()`).
    func touchCatalog(_ name: String) throws {
        let statement = try connection.cachedStatement("UPDATE \(TableInfo.catalogTable) SET durability = durability WHERE name = ? COLLATE BINARY")
        defer { statement.reset() }
        statement.bind(name, at: 1)
        try statement.step()
    }

    func delete(rowID: Int64, old: @autoclosure () -> Document) throws {
        defer { deleteByRowID.reset() }
        deleteByRowID.bind(rowID, at: 1)
        try deleteByRowID.step()
        if !indexes.isEmpty || changes != nil {
            let old = old()
            guard let key = try? PrimaryKey(old[primaryKey] ?? .null) else { return }
            try changed(key, old: old, new: nil, newValue: nil)
        }
    }

    /// The stored text of the document with this key, or nil.
    func fetch(_ key: PrimaryKey) throws -> [UInt8]? {
        defer { select.reset() }
        select.bind(key: key, at: 1)
        guard try select.step() else { return nil }
        return select.bytes(at: 0)
    }

    /// Inserts the row unless the key is taken; returns whether it was inserted.
    func insertIfAbsent(_ key: PrimaryKey, _ text: ArraySlice<UInt8>, document: @autoclosure () -> Document) throws -> Bool {
        defer { insert.reset() }
        insert.bind(key: key, at: 1)
        try text.withUnsafeBytes { bytes in
            insert.bindTextNoCopy(bytes, at: 2)
            try insert.step()
        }
        guard connection.changes == 1 else { return false }
        if !indexes.isEmpty || changes != nil { try changed(key, old: nil, new: text, newValue: document()) }
        return true
    }

    func update(_ key: PrimaryKey, _ text: ArraySlice<UInt8>, old: @autoclosure () -> Document, new: @autoclosure () -> Document) throws {
        defer { update.reset() }
        update.bind(key: key, at: 2)
        try text.withUnsafeBytes { bytes in
            update.bindTextNoCopy(bytes, at: 1)
            try update.step()
        }
        if !indexes.isEmpty || changes != nil { try changed(key, old: old(), new: text, newValue: new()) }
    }

    func delete(_ key: PrimaryKey, old: @autoclosure () -> Document) throws {
        defer { delete.reset() }
        delete.bind(key: key, at: 1)
        try delete.step()
        if !indexes.isEmpty || changes != nil { try changed(key, old: old(), new: nil, newValue: nil) }
    }
}

extension SQLiteStatement {
    /// Binds a key in the column form `PrimaryKey` chose (TEXT, INTEGER, REAL or BLOB).
    func bind(key: PrimaryKey, at index: Int32) {
        switch key.column {
        case .text(let string): bind(string, at: index)
        case .integer(let value): bind(value, at: index)
        case .real(let value): bind(value, at: index)
        case .blob(let bytes): bytes.withUnsafeBytes { bindBlob($0, at: index) }
        }
    }
}
