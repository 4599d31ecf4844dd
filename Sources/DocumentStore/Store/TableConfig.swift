import DocumentModel

/// A table's definition as the library keeps it: what RethinkDB's `config()` shows of a table
/// on one SQLite file.
///
/// ```swift
/// let config = try await store.table("marvel").config()
/// config.primaryKey    // "id"
/// config.durability    // .hard
/// ```
///
/// A RethinkDB cluster's `config()` also lists shards, replicas and `write_acks`; one file has
/// none of these, so the library does not make them up (`docstore serve` adds RethinkDB's
/// one-server values for its clients).
public struct TableConfig: Sendable, Equatable {
    /// The table's name.
    public let name: String
    /// The database (the store's ``DocumentStore/Configuration/databaseName``).
    public let database: String
    /// The field that holds each document's key.
    public let primaryKey: String
    /// The durability of writes that do not choose one.
    public let durability: Durability
    /// The table's id, a UUID made when it was created and kept in the catalog.
    public let id: String
    /// The names of the table's secondary indexes, sorted (empty in `tableCreate`'s result).
    public var indexes: [String] = []

    /// RethinkDB's config object: `db`, `durability`, `id`, `indexes`, `name`, `primary_key`.
    public var document: Document {
        [
            "db": .string(database), "durability": .string(durability.rawValue), "id": .string(id),
            "indexes": .array(indexes.map(Document.string)), "name": .string(name), "primary_key": .string(primaryKey),
        ]
    }
}

/// What `tableCreate` or `tableDrop` changed, RethinkDB's
/// `{"tables_created": 1, "config_changes": [{"old_val": null, "new_val": {...}}]}`.
///
/// ```swift
/// let created = try await store.tableCreate("marvel")
/// created.tablesCreated           // 1
/// created.newValue?.primaryKey    // "id"
/// ```
public struct TableChange: Sendable, Equatable {
    /// 1 for a created table, else 0.
    public let tablesCreated: Int
    /// 1 for a dropped table, else 0.
    public let tablesDropped: Int
    /// The definition before (nil for a created table).
    public let oldValue: TableConfig?
    /// The definition after (nil for a dropped table).
    public let newValue: TableConfig?

    /// RethinkDB's result object; the config documents as ``TableConfig/document`` gives them.
    public var document: Document {
        var object: DocumentObject = [
            "config_changes": [["old_val": oldValue?.document ?? .null, "new_val": newValue?.document ?? .null]],
        ]
        if tablesCreated > 0 { object["tables_created"] = .number(Double(tablesCreated)) }
        if tablesDropped > 0 { object["tables_dropped"] = .number(Double(tablesDropped)) }
        return .object(object)
    }
}

/// What `sync` did, RethinkDB's `{"synced": 1}`.
public struct SyncResult: Sendable, Equatable {
    /// 1: the table's writes so far are on the disk.
    public let synced: Int

    /// RethinkDB's result object.
    public var document: Document { ["synced": .number(Double(synced))] }
}
