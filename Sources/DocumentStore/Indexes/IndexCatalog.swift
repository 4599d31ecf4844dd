import DocumentModel

/// The SQL of the index catalog (`docstore$indexes`) and of the entry tables it names.
///
/// Everything here runs on a connection inside a transaction its caller opened, so a
/// definition read and the entries read or written with it agree.
enum IndexCatalog {
    static let table = "\"docstore$indexes\""

    /// A name quoted for SQL: inside double quotes, a double quote is doubled, so any index
    /// name (RethinkDB allows any string) makes a valid identifier.
    static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static let columns = "id, table_name, name, storage, function, multi, geo, ready, built_through"

    /// Every index of the table, in name order (RethinkDB lists them so).
    static func definitions(_ connection: SQLiteConnection, table: String, compile: IndexRegistry) throws -> [IndexDefinition] {
        let statement = try connection.cachedStatement("SELECT \(columns) FROM \(Self.table) WHERE table_name = ? ORDER BY name COLLATE BINARY")
        defer { statement.reset() }
        statement.bind(table, at: 1)
        var definitions: [IndexDefinition] = []
        while try statement.step() {
            definitions.append(try definition(from: statement, compile: compile))
        }
        return definitions
    }

    /// The index of that name on the table, or nil.
    static func definition(_ connection: SQLiteConnection, table: String, name: String, compile: IndexRegistry) throws -> IndexDefinition? {
        let statement = try connection.cachedStatement("SELECT \(columns) FROM \(Self.table) WHERE table_name = ? AND name = ?")
        defer { statement.reset() }
        statement.bind(table, at: 1)
        statement.bind(name, at: 2)
        guard try statement.step() else { return nil }
        return try definition(from: statement, compile: compile)
    }

    /// The index with this catalog id, or nil once it is dropped.
    static func definition(_ connection: SQLiteConnection, id: Int64, compile: IndexRegistry) throws -> IndexDefinition? {
        let statement = try connection.cachedStatement("SELECT \(columns) FROM \(Self.table) WHERE id = ?")
        defer { statement.reset() }
        statement.bind(id, at: 1)
        guard try statement.step() else { return nil }
        return try definition(from: statement, compile: compile)
    }

    /// Indexes of every table still being built (a build a killed process left unfinished).
    static func unfinished(_ connection: SQLiteConnection) throws -> [Int64] {
        let statement = try connection.cachedStatement("SELECT id FROM \(Self.table) WHERE ready = 0")
        defer { statement.reset() }
        var ids: [Int64] = []
        while try statement.step() { ids.append(statement.int64(at: 0)) }
        return ids
    }

    private static func definition(from statement: SQLiteStatement, compile: IndexRegistry) throws -> IndexDefinition {
        let term = statement.withBytes(at: 4) { Document(canonical: $0) }
        let function = try compile.function(term)
        return IndexDefinition(
            id: statement.int64(at: 0), table: statement.string(at: 1), name: statement.string(at: 2),
            storage: statement.string(at: 3), function: function.definition, multi: statement.int64(at: 5) != 0,
            geo: statement.int64(at: 6) != 0, ready: statement.int64(at: 7) != 0, builtThrough: statement.int64(at: 8),
            compiled: function.compiled)
    }

    /// A free SQLite name for the entries of `index` on `table`: `table$index`, or with a
    /// suffix (`$2`, `$3`...) when another index has that name in SQLite's letter-case-blind
    /// eyes.
    static func freeStorageName(_ connection: SQLiteConnection, table: String, index: String) throws -> String {
        let base = "\(table)$\(index)"
        let statement = try connection.cachedStatement("SELECT 1 FROM sqlite_master WHERE name = ? COLLATE NOCASE")
        defer { statement.reset() }
        var candidate = base
        var suffix = 2
        while true {
            statement.reset()
            statement.bind(candidate, at: 1)
            guard try statement.step() else { return candidate }
            candidate = "\(base)$\(suffix)"
            suffix += 1
        }
    }

    /// Records a new index and creates its entry table; it is ready at once when the table
    /// has no documents, else a build fills it in chunks.
    static func create(_ connection: SQLiteConnection, table: TableInfo, name: String, function: IndexFunction,
                       multi: Bool, geo: Bool) throws -> (id: Int64, ready: Bool) {
        let storage = try freeStorageName(connection, table: table.name, index: name)
        let empty = try connection.scalarInt("SELECT NOT EXISTS (SELECT 1 FROM \(table.quotedName))") == 1
        let insert = try connection.prepare("INSERT INTO \(Self.table) (table_name, name, storage, function, multi, geo, ready) VALUES (?, ?, ?, ?, ?, ?, ?)")
        insert.bind(table.name, at: 1)
        insert.bind(name, at: 2)
        insert.bind(storage, at: 3)
        insert.bind(function.term.jsonString, at: 4)
        insert.bind(Int64(multi ? 1 : 0), at: 5)
        insert.bind(Int64(geo ? 1 : 0), at: 6)
        insert.bind(Int64(empty ? 1 : 0), at: 7)
        try insert.run()
        let id = try connection.scalarInt("SELECT last_insert_rowid()")
        try connection.execute("""
            CREATE TABLE \(quote(storage)) (
                key BLOB NOT NULL, id_type TEXT NOT NULL, id NOT NULL, tag INTEGER NOT NULL, value TEXT NOT NULL,
                PRIMARY KEY (key, id_type, id, tag)
            ) WITHOUT ROWID
            """)
        return (id, empty)
    }

    /// Removes the index and its entries.
    static func drop(_ connection: SQLiteConnection, _ definition: IndexDefinition) throws {
        let delete = try connection.prepare("DELETE FROM \(Self.table) WHERE id = ?")
        delete.bind(definition.id, at: 1)
        try delete.run()
        try connection.execute("DROP TABLE IF EXISTS \(definition.quotedStorage)")
    }

    /// Removes every index of a table being dropped.
    static func dropAll(_ connection: SQLiteConnection, table: String, compile: IndexRegistry) throws {
        for definition in try definitions(connection, table: table, compile: compile) {
            try drop(connection, definition)
        }
    }

    /// Gives the index a new name, and its entry table the name that goes with it.
    static func rename(_ connection: SQLiteConnection, _ definition: IndexDefinition, to newName: String) throws {
        try move(connection, definition, table: definition.table, index: newName)
    }

    /// Moves the indexes of a table being renamed to its new name, each entry table renamed
    /// after it (`heroes$email`).
    static func moveAll(_ connection: SQLiteConnection, _ definitions: [IndexDefinition], to table: String) throws {
        for definition in definitions {
            try move(connection, definition, table: table, index: definition.name)
        }
    }

    /// Records the index as `index` on `table`, its entry table renamed to match.
    private static func move(_ connection: SQLiteConnection, _ definition: IndexDefinition, table: String, index: String) throws {
        // The old entry table must be out of the way for the new name's check to see it free.
        let interim = try freeStorageName(connection, table: definition.table, index: "$renaming")
        try connection.execute("ALTER TABLE \(definition.quotedStorage) RENAME TO \(quote(interim))")
        let storage = try freeStorageName(connection, table: table, index: index)
        try connection.execute("ALTER TABLE \(quote(interim)) RENAME TO \(quote(storage))")
        let update = try connection.prepare("UPDATE \(Self.table) SET table_name = ?, name = ?, storage = ? WHERE id = ?")
        update.bind(table, at: 1)
        update.bind(index, at: 2)
        update.bind(storage, at: 3)
        update.bind(definition.id, at: 4)
        try update.run()
    }
}
