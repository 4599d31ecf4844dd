import DocumentStore
import ReQL
import Synchronization

/// The table access of a query run by a user: every call is checked against the user's
/// permissions, with RethinkDB's choice of permission per operation and its error text, then
/// handed to the library's ``LibraryTables``.
///
/// Reads need `read`, writes `write`, and creating or dropping tables and indexes, or reading
/// and changing configuration, `config` (on the database for tables, globally for
/// databases). Listing databases, tables and indexes needs nothing, as in RethinkDB. `admin`
/// is never checked, so its queries cost nothing more.
///
/// It serves `rethinkdb.users` and `rethinkdb.permissions` itself (see ``UserTablesHook``):
/// their rows are the user store's, which lives in this layer. Every other table, the other
/// system tables included, is ``ServerTables``'.
struct PermissionedTables: TableAccess {
    let base: ServerTables
    let user: String
    let store: UserStore
    /// Table ids looked up by this query, so a query reading one table many times asks the
    /// library for its id once.
    private let tableIDs = TableIDCache()

    init(base: ServerTables, user: String, store: UserStore) {
        self.base = base
        self.user = user
        self.store = store
    }

    var catalog: RegistryCatalog {
        RegistryCatalog(registry: base.library.registry, cancellation: base.library.cancellation)
    }

    private var isAdmin: Bool { user == UserStore.admin }

    // MARK: Checks

    /// Checks `kind` on a table: the system tables by their fixed ids, the others by the id
    /// the library gave them.
    func require(_ kind: PermissionKind, on table: TableRef) throws(ReqlError) {
        guard !isAdmin else { return }
        try store.require(user, kind, databaseID: databaseID(table.database), tableID: try tableID(of: table))
        // RethinkDB's scratch table serves the admin only (`in_memory_artificial_table_backend_t`).
        if table.database == SystemDatabase.name && table.name == SystemMemoryStore.scratchName {
            throw .runtime(.permission, "User `\(user)` does not have the required `admin` permission.")
        }
    }

    func require(_ kind: PermissionKind, database: String?) throws(ReqlError) {
        guard !isAdmin else { return }
        try store.require(user, kind, databaseID: database.map(databaseID), tableID: nil)
    }

    func databaseID(_ name: String) -> String {
        name == "rethinkdb" ? UserStore.systemDatabaseID : base.library.registry.id(of: name)
    }

    func tableID(of table: TableRef) throws(ReqlError) -> String {
        if let system = table.handle as? SystemUserTable { return system.id }
        // The other system tables have no catalog; their ids are derived from their names, as
        // the users and permissions tables' are.
        if table.database == SystemDatabase.name { return DatabaseRegistry.id("rethinkdb.\(table.name)") }
        let key = "\(table.database).\(table.name)"
        if let id = tableIDs.get(key) { return id }
        guard let document = try base.config(table)["id"], case .string(let id) = document else {
            throw .runtime(.internal, "Table `\(key)` has no id.")
        }
        tableIDs.set(key, id)
        return id
    }

    /// The system table behind a reference, nil for a library table.
    func hook(_ table: TableRef) -> UserTablesHook? {
        guard let system = table.handle as? SystemUserTable else { return nil }
        return UserTablesHook(table: system, store: store, catalog: catalog)
    }

    /// A stream that checks `kind` when it is first pulled, as RethinkDB checks when it reads.
    func checked(_ kind: PermissionKind, _ table: TableRef, _ stream: @escaping () throws(ReqlError) -> RowStream) -> RowStream {
        var inner: RowStream?
        return RowStream(cancellation: base.library.cancellation) { () throws(ReqlError) -> Document? in
            if inner == nil {
                try require(kind, on: table)
                inner = try stream()
            }
            return try inner?.next()
        }
    }

    // MARK: Databases and tables

    func database(_ name: String) throws(ReqlError) -> DatabaseRef {
        if name == "rethinkdb" { return DatabaseRef(name: name, id: UserStore.systemDatabaseID) }
        return try base.database(name)
    }

    func table(_ name: String, in database: String) throws(ReqlError) -> TableRef {
        try table(name, in: database, identifierFormat: nil)
    }

    func table(_ name: String, in database: String, identifierFormat: String?) throws(ReqlError) -> TableRef {
        guard database == SystemDatabase.name, let system = SystemUserTable(rawValue: name) else {
            return try base.table(name, in: database, identifierFormat: identifierFormat)
        }
        return TableRef(database: database, name: name, handle: system)
    }

    func primaryKey(of table: TableRef) throws(ReqlError) -> String {
        if hook(table) != nil { return "id" }
        return try base.primaryKey(of: table)
    }

    func tableCreate(_ name: String, in database: String, primaryKey: String, durability: String?, shards: Int) throws(ReqlError) -> Document {
        try rejectSystem(database, "Database `rethinkdb` is special; you can't create new tables in it.")
        try require(.config, database: database)
        return try base.tableCreate(name, in: database, primaryKey: primaryKey, durability: durability, shards: shards)
    }

    func tableDrop(_ name: String, in database: String) throws(ReqlError) -> Document {
        try rejectSystem(database, "Database `rethinkdb` is special; you can't drop tables in it.")
        if !isAdmin {
            let table = try base.table(name, in: database)
            try require(.config, on: table)
        }
        return try base.tableDrop(name, in: database)
    }

    func tableList(in database: String) throws(ReqlError) -> [String] {
        guard database == SystemDatabase.name else { return try base.tableList(in: database) }
        let names = try base.tableList(in: database) + SystemUserTable.allCases.map(\.rawValue)
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    func databaseCreate(_ name: String) throws(ReqlError) -> Document {
        try require(.config, database: nil)
        return try base.databaseCreate(name)
    }

    func databaseDrop(_ name: String) throws(ReqlError) -> Document {
        try rejectSystem(name, "Database `rethinkdb` is special; you can't delete it.")
        try require(.config, database: name)
        // RethinkDB checks every table too: a table's `config: false` protects it from a drop
        // of its database.
        if !isAdmin {
            for table in try base.tableList(in: name) {
                try require(.config, on: try base.table(table, in: name))
            }
        }
        return try base.databaseDrop(name)
    }

    func databaseList() throws(ReqlError) -> [String] {
        try base.databaseList()
    }

    func config(_ table: TableRef) throws(ReqlError) -> Document {
        try rejectSystem(table, "Database `rethinkdb` is special; you can't configure the tables in it.")
        try require(.config, on: table)
        return try base.config(table)
    }

    func sync(_ table: TableRef) throws(ReqlError) -> Document {
        try require(.write, on: table)
        try rejectSystem(table, "Artificial tables don't support `sync()`.")
        return try base.sync(table)
    }

    func grant(_ user: String, permissions: Document, scope: GrantScope) throws(ReqlError) -> Document {
        let resolved: PermissionScope
        switch scope {
        case .global:
            resolved = .global
        case .database(let database):
            resolved = .database(id: database.id ?? databaseID(database.name), name: database.name)
        case .table(let table):
            resolved = .table(TableIdentity(id: try tableID(of: table), databaseID: databaseID(table.database),
                                            database: table.database, name: table.name))
        }
        return try store.grant(user, permissions: permissions, scope: resolved, by: self.user)
    }

    private func rejectSystem(_ database: String, _ message: String) throws(ReqlError) {
        if database == "rethinkdb" { throw .runtime(.opFailed, message) }
    }

    func rejectSystem(_ table: TableRef, _ message: String) throws(ReqlError) {
        if hook(table) != nil { throw .runtime(.opFailed, message) }
    }
}

/// Table ids already looked up by one query.
final class TableIDCache: Sendable {
    private let ids = Mutex<[String: String]>([:])

    func get(_ key: String) -> String? {
        ids.withLock { $0[key] }
    }

    func set(_ key: String, _ id: String) {
        ids.withLock { $0[key] = id }
    }
}
