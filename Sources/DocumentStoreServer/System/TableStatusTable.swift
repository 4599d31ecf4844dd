import DocumentStore
import ReQL

/// `rethinkdb.table_status`: one row per table, what `table.status()` shows. On one server
/// every shard's only replica is this server, always ready: the table's file is open and its
/// writes go straight to it.
struct TableStatusTable: SystemTable {
    let name = "table_status"

    static func row(_ config: TableConfig, _ context: SystemContext, shards: Int? = nil) -> Document {
        let server = context.server
        let shard: Document = ["primary_replicas": [server], "replicas": [["server": server, "state": "ready"]]]
        return [
            "db": context.database(config.database),
            "id": .string(config.id),
            "name": .string(config.name),
            "raft_leader": server,
            "shards": .array(Array(repeating: shard, count: shards ?? context.registry.shards.count(of: config.id))),
            "status": [
                "all_replicas_ready": true, "ready_for_outdated_reads": true,
                "ready_for_reads": true, "ready_for_writes": true,
            ],
        ]
    }

    func rows(_ context: SystemContext) throws(ReqlError) -> [Document] {
        try context.tableConfigs().map { Self.row($0, context) }
    }

    func row(_ key: Document, _ context: SystemContext) throws(ReqlError) -> Document? {
        try context.tableConfig(id: key).map { Self.row($0, context) }
    }
}
