import DocumentModel

/// A range of a secondary index, read from its entry table as a B-tree range on `key`.
///
/// Keys compare as their values do, except keys cut at ``IndexKey/maxLength``: entries
/// whose key was cut (or that sit on a bound) are checked against the bounds by their
/// stored value, and a run of entries sharing one cut key is put in value order, which is
/// what RethinkDB does with its truncated keys (it never ends a batch inside such a run, and
/// sorts it). A page therefore always ends after the whole run of its last key.
struct SecondaryRange: Sendable {
    /// Where the last page ended: the entry table's primary key of its last row.
    struct Cursor: Sendable {
        let key: [UInt8]
        let idType: String
        let id: SQLiteValue
        let tag: Int64
    }

    let index: String
    let lower: Document
    let lowerKey: [UInt8]
    let lowerOpen: Bool
    let upper: Document
    let upperKey: [UInt8]
    let upperOpen: Bool
    let descending: Bool

    init(index: String, lower: Document, lowerOpen: Bool, upper: Document, upperOpen: Bool, descending: Bool) throws {
        self.index = index
        self.lower = lower
        self.lowerOpen = lowerOpen
        self.upper = upper
        self.upperOpen = upperOpen
        self.descending = descending
        lowerKey = try Self.boundKey(lower)
        upperKey = try Self.boundKey(upper)
    }

    static func boundKey(_ value: Document) throws -> [UInt8] {
        do {
            return try IndexKey.bound(value)
        } catch {
            throw DocumentStoreError(.queryLogic, error.message)
        }
    }

    /// The ready index of that name, or RethinkDB's error for a missing or unfinished one.
    static func readyDefinition(_ connection: SQLiteConnection, table: TableInfo, database: String, index: String,
                                registry: IndexRegistry, geoRead: String? = nil) throws -> IndexDefinition {
        guard let definition = try IndexCatalog.definition(connection, table: table.name, name: index, compile: registry) else {
            throw DocumentStoreError(.opFailed, "Index `\(index)` was not found on table `\(database).\(table.name)`.")
        }
        // A geo index holds cells, which only the geo reads understand.
        if let geoRead, !definition.geo {
            throw DocumentStoreError(.queryLogic, "Index `\(index)` is not a geospatial index.  \(geoRead) can only be used with a geospatial index.")
        }
        if geoRead == nil, definition.geo {
            throw DocumentStoreError(.queryLogic, "Index `\(index)` is a geospatial index.  Only get_nearest and get_intersecting can use a geospatial index.")
        }
        guard definition.ready else {
            throw DocumentStoreError(.opFailed, "Index `\(index)` on table `\(database).\(table.name)` was accessed before its construction was finished.")
        }
        return definition
    }

    private struct Row {
        let key: [UInt8]
        let idType: String
        let id: SQLiteValue
        let tag: Int64
        let value: [UInt8]
        let document: [UInt8]

        var cursor: Cursor { Cursor(key: key, idType: idType, id: id, tag: tag) }
    }

    /// Up to `limit` entries after `cursor` (plus the rest of the last key's run when that key
    /// was cut), as documents in range order; the cursor is nil when the range is done.
    func page(_ connection: SQLiteConnection, table: TableInfo, database: String, registry: IndexRegistry,
              after cursor: Cursor?, limit: Int) throws -> (documents: [Document], cursor: Cursor?) {
        let page = try entryPage(connection, table: table, database: database, registry: registry, after: cursor, limit: limit)
        return (page.entries.map(\.document), page.cursor)
    }

    /// One entry of a range: the indexed value, its multi-index tag, and the document.
    typealias Entry = (value: Document, tag: Int64, document: Document)

    /// ``page(_:table:database:registry:after:limit:)`` with each document's entry, which
    /// an ordered feed needs to tell the copies of one document in a multi index apart.
    func entryPage(_ connection: SQLiteConnection, table: TableInfo, database: String, registry: IndexRegistry,
                   after cursor: Cursor?, limit: Int) throws -> (entries: [Entry], cursor: Cursor?) {
        try connection.readTransaction {
            let definition = try Self.readyDefinition(connection, table: table, database: database, index: index, registry: registry)
            var rows = try fetch(connection, definition, table, after: cursor, limit: limit)
            let full = rows.count == limit
            if full, let last = rows.last, IndexKey.isTruncated(last.key) {
                rows += try fetchRun(connection, definition, table, of: last)
            }
            let entries = ordered(rows.filter(inRange)).map {
                (value: Document(canonical: $0.value), tag: $0.tag, document: Document(canonical: $0.document))
            }
            return (entries, full ? rows.last?.cursor : nil)
        }
    }

    private func select(_ definition: IndexDefinition, _ table: TableInfo) -> String {
        "SELECT e.key, e.id_type, e.id, e.tag, e.value, d.doc FROM \(definition.quotedStorage) AS e JOIN \(table.quotedName) AS d ON d.id = e.id"
    }

    private var direction: String { descending ? "DESC" : "ASC" }
    private var order: String { "ORDER BY e.key \(direction), e.id_type \(direction), e.id \(direction), e.tag \(direction)" }

    private func fetch(_ connection: SQLiteConnection, _ definition: IndexDefinition, _ table: TableInfo,
                       after cursor: Cursor?, limit: Int) throws -> [Row] {
        // After a cursor, the bound behind it is left out: with both a key range and the row
        // value, SQLite seeks by the key alone, and a long run of one key would be read from
        // its start on every page.
        let filter: String
        switch (cursor, descending) {
        case (nil, _): filter = "e.key >= ?1 AND e.key <= ?2"
        case (_?, false): filter = "(e.key, e.id_type, e.id, e.tag) > (?3, ?4, ?5, ?6) AND e.key <= ?2"
        case (_?, true): filter = "(e.key, e.id_type, e.id, e.tag) < (?3, ?4, ?5, ?6) AND e.key >= ?1"
        }
        let statement = try connection.cachedStatement("\(select(definition, table)) WHERE \(filter) \(order) LIMIT ?7")
        defer { statement.reset() }
        lowerKey.withUnsafeBytes { statement.bindBlob($0, at: 1) }
        upperKey.withUnsafeBytes { statement.bindBlob($0, at: 2) }
        if let cursor { bind(cursor, to: statement, from: 3) }
        statement.bind(Int64(limit), at: 7)
        return try rows(of: statement)
    }

    /// The entries of the last row's key after it: a cut key's run is read whole.
    private func fetchRun(_ connection: SQLiteConnection, _ definition: IndexDefinition, _ table: TableInfo, of last: Row) throws -> [Row] {
        let statement = try connection.cachedStatement(
            "\(select(definition, table)) WHERE e.key = ?1 AND (e.id_type, e.id, e.tag) \(descending ? "<" : ">") (?2, ?3, ?4) \(order)")
        defer { statement.reset() }
        last.key.withUnsafeBytes { statement.bindBlob($0, at: 1) }
        statement.bind(last.idType, at: 2)
        statement.bind(last.id, at: 3)
        statement.bind(last.tag, at: 4)
        return try rows(of: statement)
    }

    private func bind(_ cursor: Cursor, to statement: SQLiteStatement, from first: Int32) {
        cursor.key.withUnsafeBytes { statement.bindBlob($0, at: first) }
        statement.bind(cursor.idType, at: first + 1)
        statement.bind(cursor.id, at: first + 2)
        statement.bind(cursor.tag, at: first + 3)
    }

    private func rows(of statement: SQLiteStatement) throws -> [Row] {
        var rows: [Row] = []
        while try statement.step() {
            rows.append(Row(key: statement.bytes(at: 0), idType: statement.string(at: 1), id: statement.value(at: 2),
                            tag: statement.int64(at: 3), value: statement.bytes(at: 4), document: statement.bytes(at: 5)))
        }
        return rows
    }

    /// Whether the entry is inside the bounds. The SQL range is on keys, cut ones included,
    /// so an entry on a bound's key, or with a cut key, is decided by its value.
    private func inRange(_ row: Row) -> Bool {
        let check = IndexKey.isTruncated(row.key) || IndexKey.isTruncated(lowerKey) || IndexKey.isTruncated(upperKey)
        if check || row.key == lowerKey || row.key == upperKey {
            let value = Document(canonical: row.value)
            let low = ReqlOrder.compare(value, lower)
            let high = ReqlOrder.compare(value, upper)
            return (low > 0 || (low == 0 && !lowerOpen)) && (high < 0 || (high == 0 && !upperOpen))
        }
        return true
    }

    /// Rows in range order: runs of one cut key sorted by value (stably, so equal values keep
    /// the primary-key order SQL gave them).
    private func ordered(_ rows: [Row]) -> [Row] {
        guard rows.contains(where: { IndexKey.isTruncated($0.key) }) else { return rows }
        var result: [Row] = []
        result.reserveCapacity(rows.count)
        var start = 0
        while start < rows.count {
            var end = start + 1
            if IndexKey.isTruncated(rows[start].key) {
                while end < rows.count && rows[end].key == rows[start].key { end += 1 }
                let run = rows[start..<end].map { (row: $0, value: Document(canonical: $0.value)) }
                let sorted = run.enumerated().sorted { left, right in
                    let order = ReqlOrder.compare(left.element.value, right.element.value)
                    if order != 0 { return descending ? order > 0 : order < 0 }
                    return left.offset < right.offset
                }
                result += sorted.map(\.element.row)
            } else {
                result.append(rows[start])
            }
            start = end
        }
        return result
    }
}
