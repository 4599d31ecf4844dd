import DocumentStore
import ReQL

/// The evaluator's table access on `docstore serve`: the library's tables (``LibraryTables``)
/// beside the `rethinkdb` system database, with every read and write counted for `stats`.
///
/// A reference to a system table carries a ``SystemTableHandle``; every other reference is
/// the library's, and goes to ``LibraryTables`` unchanged.
struct ServerTables: TableAccess {
    let library: LibraryTables
    let system: SystemDatabase

    func context(_ handle: SystemTableHandle? = nil) -> SystemContext {
        SystemContext(system: system, library: library, uuidIdentifiers: handle?.uuidIdentifiers ?? false)
    }

    /// The system table whose rows the server makes, nil for the library's tables (which
    /// include `_debug_scratch`, kept in memory: see ``SystemMemoryStore``).
    func systemHandle(_ reference: TableRef) -> SystemTableHandle? {
        reference.handle as? SystemTableHandle
    }

    /// Whether a table is one of `rethinkdb`'s, which refuse what RethinkDB's artificial
    /// tables refuse (config, indexes, sync...) whatever holds their rows.
    func isSystem(_ reference: TableRef) -> Bool {
        reference.database == SystemDatabase.name
    }

    /// `db.table` as the stats count it.
    static func statsKey(_ reference: TableRef) -> String { "\(reference.database).\(reference.name)" }

    // MARK: Databases and tables

    func database(_ name: String) throws(ReqlError) -> DatabaseRef {
        if name == SystemDatabase.name { return DatabaseRef(name: name, id: DatabaseRegistry.id(name)) }
        return try library.database(name)
    }

    func table(_ name: String, in database: String) throws(ReqlError) -> TableRef {
        try table(name, in: database, identifierFormat: nil)
    }

    func table(_ name: String, in database: String, identifierFormat: String?) throws(ReqlError) -> TableRef {
        guard database == SystemDatabase.name else { return try library.table(name, in: database) }
        try DatabaseRegistry.validate(name)
        if name == SystemMemoryStore.scratchName { return try system.memory.scratch(library.cancellation) }
        guard let table = system.table(named: name) else {
            throw .runtime(.opFailed, "Table `\(database).\(name)` does not exist.")
        }
        return TableRef(database: database, name: name,
                        handle: SystemTableHandle(table: table, uuidIdentifiers: identifierFormat == "uuid"))
    }

    func tableList(in database: String) throws(ReqlError) -> [String] {
        database == SystemDatabase.name ? SystemDatabase.tableNames : try library.tableList(in: database)
    }

    func tableCreate(_ name: String, in database: String, primaryKey: String, durability: String?, shards: Int) throws(ReqlError) -> Document {
        if database == SystemDatabase.name { throw SystemDatabase.special("you can't create new tables in it.") }
        let result = try library.tableCreate(name, in: database, primaryKey: primaryKey, durability: durability, shards: shards)
        system.logs.record("info", "Table `\(database).\(name)` created.")
        return result
    }

    func tableDrop(_ name: String, in database: String) throws(ReqlError) -> Document {
        if database == SystemDatabase.name { throw SystemDatabase.special("you can't drop tables in it.") }
        let result = try library.tableDrop(name, in: database)
        system.stats.forget(table: "\(database).\(name)")
        system.logs.record("info", "Table `\(database).\(name)` dropped.")
        return result
    }

    func databaseCreate(_ name: String) throws(ReqlError) -> Document {
        if name == SystemDatabase.name { throw .runtime(.opFailed, "Database `\(name)` already exists.") }
        let result = try library.databaseCreate(name)
        system.logs.record("info", "Database `\(name)` created.")
        return result
    }

    func databaseDrop(_ name: String) throws(ReqlError) -> Document {
        if name == SystemDatabase.name { throw SystemDatabase.special("you can't delete it.") }
        let result = try library.databaseDrop(name)
        system.logs.record("info", "Database `\(name)` dropped.")
        return result
    }

    func databaseList() throws(ReqlError) -> [String] {
        (try library.databaseList() + [SystemDatabase.name]).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    // MARK: Reads

    func primaryKey(of reference: TableRef) throws(ReqlError) -> String {
        if let handle = systemHandle(reference) { return handle.table.primaryKey }
        return try library.primaryKey(of: reference)
    }

    func get(_ key: Document, in reference: TableRef) throws(ReqlError) -> Document? {
        if let handle = systemHandle(reference) { return try handle.table.row(key, context(handle)) }
        let row = try library.get(key, in: reference)
        system.stats.countReads(row == nil ? 0 : 1, table: Self.statsKey(reference))
        return row
    }

    func getAll(_ keys: [Document], in reference: TableRef) throws(ReqlError) -> [Document] {
        if let handle = systemHandle(reference) {
            var rows: [Document] = []
            for key in keys {
                if let row = try handle.table.row(key, context(handle)) { rows.append(row) }
            }
            return rows
        }
        let rows = try library.getAll(keys, in: reference)
        system.stats.countReads(rows.count, table: Self.statsKey(reference))
        return rows
    }

    func scan(_ reference: TableRef) -> RowStream {
        if let handle = systemHandle(reference) { return systemRows(handle) }
        return counted(library.scan(reference), reference)
    }

    func count(_ reference: TableRef) throws(ReqlError) -> Int {
        if let handle = systemHandle(reference) { return try handle.table.rows(context(handle)).count }
        return try library.count(reference)
    }

    /// A system table's rows, made now, while the query runs (as RethinkDB reads an
    /// artificial table when the query reads it: `jobs` then shows the query itself).
    func systemRows(_ handle: SystemTableHandle, where keep: @escaping (Document) -> Bool = { _ in true }) -> RowStream {
        let rows: Result<[Document], ReqlError>
        do throws(ReqlError) {
            rows = .success(try handle.table.rows(context(handle)).filter(keep))
        } catch {
            rows = .failure(error)
        }
        var index = 0
        return RowStream(cancellation: library.cancellation) { () throws(ReqlError) -> Document? in
            let all = try rows.get()
            guard index < all.count else { return nil }
            defer { index += 1 }
            return all[index]
        }
    }

    /// A library stream whose rows count as documents read from the table.
    func counted(_ stream: RowStream, _ reference: TableRef) -> RowStream {
        let stats = system.stats
        let key = Self.statsKey(reference)
        return RowStream(cancellation: stream.cancellation, isInfinite: stream.isInfinite, feed: stream.feed) { () throws(ReqlError) -> Document? in
            let row = try stream.next()
            if row != nil { stats.countReads(1, table: key) }
            return row
        }
    }

    func config(_ reference: TableRef) throws(ReqlError) -> Document {
        if isSystem(reference) { throw SystemDatabase.special("you can't configure the tables in it.") }
        let config = try library.call { [table = library.table(reference)] in try await table.config() }
        return TableConfigTable.row(config, context())
    }

    func tableIdentity(_ reference: TableRef) throws(ReqlError) -> Document {
        guard isSystem(reference) else { return try config(reference) }
        // A system table's id is made from its name, so it is the same on every start.
        return ["id": .string(DatabaseRegistry.id("\(reference.database).\(reference.name)")), "indexes": []]
    }

    func sync(_ reference: TableRef) throws(ReqlError) -> Document {
        if isSystem(reference) { throw .runtime(.opFailed, "Artificial tables don't support `sync()`.") }
        return try library.sync(reference)
    }
}

/// What a reference to a system table holds: the table, and the query's identifier format.
struct SystemTableHandle: Sendable {
    let table: any SystemTable
    let uuidIdentifiers: Bool
}
