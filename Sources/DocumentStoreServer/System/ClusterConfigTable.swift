import DocumentStore
import ReQL

/// `rethinkdb.cluster_config`: RethinkDB 2.4's one row, `heartbeat`, whose timeout is kept
/// and checked as RethinkDB checks it, though one server has no peer to time out.
struct ClusterConfigTable: SystemTable {
    let name = "cluster_config"

    func rows(_ context: SystemContext) throws(ReqlError) -> [Document] {
        [["heartbeat_timeout_secs": .number(context.system.heartbeatTimeout.withLock { $0 }), "id": "heartbeat"]]
    }

    func write(key: Document, old: Document?, new: Document?, _ context: SystemContext) throws(ReqlError) {
        guard let new else {
            throw .runtime(.opFailed, "It's illegal to delete rows from the `rethinkdb.cluster_config` table.")
        }
        guard old != nil else {
            throw .runtime(.opFailed, "It's illegal to insert new rows into the `rethinkdb.cluster_config` table.")
        }
        var row = try SystemRow(new)
        _ = try row.field("id")
        let timeout = try row.field("heartbeat_timeout_secs")
        guard case .number(let seconds) = timeout else {
            throw .runtime(.opFailed, "Expected a number; got \(SystemRow.print(timeout))")
        }
        if seconds < 2 { throw .runtime(.opFailed, "The heartbeat timeout must be at least two seconds") }
        try row.checkNoExtraKeys()
        context.system.heartbeatTimeout.withLock { $0 = seconds }
    }
}
