import DocumentStore
import ReQL

/// What a system table reads while one query runs: the long-lived ``SystemDatabase``, the
/// query's library access (its cancellation), and how the query names servers and databases
/// (`identifier_format`: names, or their UUIDs).
struct SystemContext {
    let system: SystemDatabase
    let library: LibraryTables
    /// `r.table(..., identifier_format: "uuid")`: servers and databases shown by id.
    var uuidIdentifiers = false
    /// Whether the row being inserted had no key, so the server made one (RethinkDB creates
    /// databases and tables through their config tables only from such rows).
    var keyWasGenerated = false

    var registry: DatabaseRegistry { system.registry }
    var identity: ServerIdentity { system.identity }

    func call<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws(ReqlError) -> T {
        try library.call(body)
    }

    /// The server as rows refer to it: its name, or its id.
    var server: Document { .string(uuidIdentifiers ? identity.id : identity.name) }

    /// A database as rows refer to it.
    func database(_ name: String) -> Document {
        .string(uuidIdentifiers ? registry.id(of: name) : name)
    }

    /// The user databases (every one but `rethinkdb`).
    var databases: [String] { registry.list().filter { $0 != SystemDatabase.name } }

    /// The config of every table of every user database, by database.
    func tableConfigs() throws(ReqlError) -> [TableConfig] {
        var configs: [TableConfig] = []
        for database in databases {
            let store = try registry.store(database)
            configs += try call {
                var found: [TableConfig] = []
                for name in try await store.tableList() {
                    found.append(try await store.table(name).config())
                }
                return found
            }
        }
        return configs
    }

    /// One table's config, or nil when a key names none (the key of a `table_config` or
    /// `table_status` row is the table's id).
    func tableConfig(id key: Document) throws(ReqlError) -> TableConfig? {
        guard case .string(let id) = key else { return nil }
        return try tableConfigs().first { $0.id == id }
    }
}
