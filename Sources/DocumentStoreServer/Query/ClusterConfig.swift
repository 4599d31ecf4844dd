import DocumentStore

/// What a RethinkDB cluster adds to a table's config: its shards and replicas and
/// `write_acks`. The library knows one file and none of these; the server's clients (and
/// RethinkDB's tools) expect them, so they get a one-server cluster's values, with the server
/// named `docstore`: as many shards as were set (``TableShards``), each on this server.
enum ClusterConfig {
    static let serverName = "docstore"

    /// RethinkDB's `config()` of a table; `server` is how it names the server (its name, or
    /// its id).
    static func document(of config: TableConfig, server: Document, shards: Int) -> Document {
        guard case .object(var object) = config.document else { return config.document }
        object["shards"] = .array(Array(repeating: shard(on: server), count: shards))
        object["write_acks"] = "majority"
        if object["write_hook"] == nil { object["write_hook"] = .null }
        return .object(object)
    }

    /// RethinkDB's result of `table_create` and `table_drop`, with full configs.
    static func document(of change: TableChange, server: Document, shards: TableShards) -> Document {
        var object: DocumentObject = [
            "config_changes": [["old_val": change.oldValue.map { document(of: $0, server: server, shards: shards.count(of: $0.id)) } ?? .null,
                                "new_val": change.newValue.map { document(of: $0, server: server, shards: shards.count(of: $0.id)) } ?? .null]],
        ]
        if change.tablesCreated > 0 { object["tables_created"] = .number(Double(change.tablesCreated)) }
        if change.tablesDropped > 0 { object["tables_dropped"] = .number(Double(change.tablesDropped)) }
        return .object(object)
    }

    /// One shard of `table_config`: this server its primary and only replica.
    static func shard(on server: Document) -> Document {
        ["primary_replica": server, "replicas": [server], "nonvoting_replicas": []]
    }
}
