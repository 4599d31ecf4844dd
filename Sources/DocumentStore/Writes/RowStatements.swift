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
/// so it is the one place changes are recorded. With change links, a row is written with its
/// record's sequence (`change_seq`), and before a row changes or goes, the record that left
/// its document in it gets that document.
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
        let changes = table.changeLog.isOn ? ChangeRecorder(connection: connection, table: table) : nil
        self.changes = changes
        self.primaryKey = table.primaryKey
        let name = table.quotedName
        // A row of a table with change links is written with the sequence of its record.
        let linked = changes?.linksRows == true
        let link = linked ? ", \(ChangeRecorder.linkColumn) = ?" : ""
        select = try connection.cachedStatement("SELECT doc FROM \(name) WHERE id = ?")
        insert = try connection.cachedStatement(linked
            ? "INSERT INTO \(name) (id, doc, \(ChangeRecorder.linkColumn)) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING"
            : "INSERT INTO \(name) (id, doc) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")
        update = try connection.cachedStatement("UPDATE \(name) SET doc = ?\(link) WHERE id = ?")
        delete = try connection.cachedStatement("DELETE FROM \(name) WHERE id = ?")
        page = try connection.cachedStatement("SELECT rowid, doc FROM \(name) WHERE rowid > ? ORDER BY rowid LIMIT ?")
        updateByRowID = try connection.cachedStatement("UPDATE \(name) SET doc = ?\(link) WHERE rowid = ?")
        deleteByRowID = try connection.cachedStatement("DELETE FROM \(name) WHERE rowid = ?")
    }

    private var tracksChanges: Bool { !indexes.isEmpty || changes != nil }

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
        // The key of a row reached by rowid is in its document.
        let before = tracksChanges ? try prior(.rowID(rowID), old()) : nil
        try write(updateByRowID, text, linked: before?.key != nil) { $0.bind(rowID, at: $1) }
        if let before, let key = before.key { try changed(key, old: before, new: text, newValue: new()) }
    }

    func delete(rowID: Int64, old: @autoclosure () -> Document) throws {
        let before = tracksChanges ? try prior(.rowID(rowID), old()) : nil
        defer { deleteByRowID.reset() }
        deleteByRowID.bind(rowID, at: 1)
        try deleteByRowID.step()
        if let before, let key = before.key { try changed(key, old: before, new: nil, newValue: nil) }
    }

    /// The document a write is about to replace, with its key and, in a table with change
    /// links, its text, once the record that left it in the row has it (``ChangeRecorder/unlink(_:old:)``).
    private struct Prior {
        let document: Document
        let key: PrimaryKey?
        let text: [UInt8]?
    }

    private func prior(_ row: ChangeRecorder.Row, _ document: Document) throws -> Prior {
        let key: PrimaryKey?
        switch row {
        case .key(let rowKey): key = rowKey
        case .rowID: key = try? PrimaryKey(document[primaryKey] ?? .null)
        }
        guard let changes, changes.linksRows, key != nil else { return Prior(document: document, key: key, text: nil) }
        return Prior(document: document, key: key, text: try changes.unlink(row, old: document))
    }

    /// Runs an update statement: the text at 1, the row's link (when the table has them and the
    /// write is recorded) at 2, and the row's address after them.
    private func write(_ statement: SQLiteStatement, _ text: ArraySlice<UInt8>, linked: Bool,
                       address: (SQLiteStatement, Int32) -> Void) throws {
        defer { statement.reset() }
        var next: Int32 = 2
        if let changes, changes.linksRows {
            if linked, let link = try changes.rowLink() { statement.bind(link, at: 2) }
            next = 3
        }
        address(statement, next)
        try text.withUnsafeBytes { bytes in
            statement.bindTextNoCopy(bytes, at: 1)
            try statement.step()
        }
    }

    /// Brings the indexes and the change log from `old` to the new document (nil: deleted).
    private func changed(_ key: PrimaryKey, old: Prior?, new text: ArraySlice<UInt8>?,
                         newValue: @autoclosure () -> Document?) throws {
        if !indexes.isEmpty { try indexes.change(key, old: old?.document, new: newValue()) }
        guard let changes else { return }
        let oldText: DocumentText? = old.map { old in old.text.map { .text($0[...]) } ?? .value(old.document) }
        try changes.record(key, old: oldText, new: text.map(DocumentText.text))
    }

    /// Rewrites the table's catalog row unchanged: a write of a page, whose commit at
    /// `synchronous = FULL` syncs the WAL (`sync()`).
    func touchCatalog(_ name: String) throws {
        let statement = try connection.cachedStatement("UPDATE \(TableInfo.catalogTable) SET durability = durability WHERE name = ? COLLATE BINARY")
        defer { statement.reset() }
        statement.bind(name, at: 1)
        try statement.step()
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
        // Taken by the record only if the row is inserted: a conflict leaves it for the next one.
        if let link = try changes?.rowLink() { insert.bind(link, at: 3) }
        try text.withUnsafeBytes { bytes in
            insert.bindTextNoCopy(bytes, at: 2)
            try insert.step()
        }
        guard connection.changes == 1 else { return false }
        if tracksChanges { try changed(key, old: nil, new: text, newValue: document()) }
        return true
    }

    func update(_ key: PrimaryKey, _ text: ArraySlice<UInt8>, old: @autoclosure () -> Document, new: @autoclosure () -> Document) throws {
        let before = tracksChanges ? try prior(.key(key), old()) : nil
        try write(update, text, linked: true) { $0.bind(key: key, at: $1) }
        if let before { try changed(key, old: before, new: text, newValue: new()) }
    }

    func delete(_ key: PrimaryKey, old: @autoclosure () -> Document) throws {
        let before = tracksChanges ? try prior(.key(key), old()) : nil
        defer { delete.reset() }
        delete.bind(key: key, at: 1)
        try delete.step()
        if let before { try changed(key, old: before, new: nil, newValue: nil) }
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
