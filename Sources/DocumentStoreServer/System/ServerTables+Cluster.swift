import DocumentStore
import ReQL

/// The cluster terms for a one-server cluster: every shard's one replica is this server,
/// always ready. Replication asks are checked against this server's tags, as
/// RethinkDB's `table_generate_config` checks them against the cluster's.
extension ServerTables {
    func databaseConfig(_ database: String) throws(ReqlError) -> Document {
        if database == SystemDatabase.name { throw SystemDatabase.special("you can't configure it.") }
        _ = try library.database(database)
        return DbConfigTable.row(database, context())
    }

    func status(_ reference: TableRef) throws(ReqlError) -> Document {
        if isSystem(reference) {
            throw SystemDatabase.special("the system tables in it don't have meaningful status information.")
        }
        return TableStatusTable.row(try libraryConfig(reference), context())
    }

    func wait(_ reference: TableRef) throws(ReqlError) {
        if isSystem(reference) {
            throw SystemDatabase.special("the system tables in it are always available and don't need to be waited on.")
        }
        // The table's file is open and its writes go straight to it: ready once it exists.
        _ = try library.primaryKey(of: reference)
    }

    func checkReplication(_ request: Reconfiguration) throws(ReqlError) {
        try request.validate()
        let tags = Set(system.identity.tags)
        var claimedBy: String?
        for tag in request.replicas.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let count = request.replicas[tag] ?? 0
            guard count != 0 else { continue }
            guard tags.contains(tag) else {
                throw .runtime(.opFailed, "Could not find any servers with server tag `\(tag)`.")
            }
            if let earlier = claimedBy {
                throw .runtime(.opFailed, "Server tags `\(tag)` and `\(earlier)` overlap; the server `\(system.identity.name)` "
                    + "has both tags. The server tags used for replication settings for a given table must be non-overlapping.")
            }
            claimedBy = tag
            if count != 1 {
                throw .runtime(.opFailed, "Can't put \(UInt64(bitPattern: Int64(count))) replicas on servers with the tag `\(tag)` because there are only "
                    + "1 servers with the tag `\(tag)`. It's impossible to have more replicas of the data than there are servers.")
            }
        }
    }

    /// One server holds every shard, so a valid reconfiguration sets the table's shard count
    /// (``TableShards``; a dry run only shows it) with this server each shard's primary and
    /// only replica.
    func reconfigure(_ reference: TableRef, _ request: Reconfiguration) throws(ReqlError) -> Document {
        if isSystem(reference) { throw SystemDatabase.special("you can't configure the tables in it.") }
        let config = try libraryConfig(reference)
        let context = self.context()
        let oldConfig = TableConfigTable.row(config, context)
        let oldStatus = TableStatusTable.row(config, context)
        if !request.dryRun {
            try system.registry.shards.set(request.shards, for: config.id, table: "\(config.database).\(config.name)")
        }
        return [
            "reconfigured": request.dryRun ? 0 : 1,
            "config_changes": [["old_val": oldConfig, "new_val": TableConfigTable.row(config, context, shards: request.shards)]],
            "status_changes": [["old_val": oldStatus, "new_val": TableStatusTable.row(config, context, shards: request.shards)]],
        ]
    }

    func emergencyRepair(_ reference: TableRef, _ mode: EmergencyRepair, dryRun: Bool) throws(ReqlError) -> Document {
        if isSystem(reference) { throw SystemDatabase.special("you can't configure the tables in it.") }
        _ = try libraryConfig(reference)
        // Its only replica is this server, which is up: nothing is lost.
        throw .runtime(.opFailed, "This table doesn't need to be repaired.")
    }

    func rebalance(_ reference: TableRef) throws(ReqlError) -> Document {
        if isSystem(reference) { throw SystemDatabase.special("you can't rebalance the tables in it.") }
        let statusRow = TableStatusTable.row(try libraryConfig(reference), context())
        return ["rebalanced": 1, "status_changes": [["old_val": statusRow, "new_val": statusRow]]]
    }

    private func libraryConfig(_ reference: TableRef) throws(ReqlError) -> TableConfig {
        let table = library.table(reference)
        return try library.call { try await table.config() }
    }
}
