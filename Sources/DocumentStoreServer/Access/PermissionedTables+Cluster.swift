import DocumentStore
import ReQL

/// The cluster terms, checked before ``ServerTables`` answers them: reading a table's status
/// or waiting for it is a read of it, changing its shards and replicas is configuring it, as
/// RethinkDB's `table_status` and `table_config` tables demand.
extension PermissionedTables {
    func tableIdentity(_ table: TableRef) throws(ReqlError) -> Document {
        if hook(table) != nil { return ["id": .string(try tableID(of: table)), "indexes": []] }
        return try base.tableIdentity(table)
    }

    func databaseConfig(_ database: String) throws(ReqlError) -> Document {
        try require(.config, database: database)
        return try base.databaseConfig(database)
    }

    func status(_ table: TableRef) throws(ReqlError) -> Document {
        try require(.read, on: table)
        try rejectSystem(table, "Database `rethinkdb` is special; the system tables in it don't have meaningful status information.")
        return try base.status(table)
    }

    func wait(_ table: TableRef) throws(ReqlError) {
        try require(.read, on: table)
        try rejectSystem(table, "Database `rethinkdb` is special; the system tables in it are always available and don't need to be waited on.")
        try base.wait(table)
    }

    func checkReplication(_ request: Reconfiguration) throws(ReqlError) {
        try base.checkReplication(request)
    }

    func reconfigure(_ table: TableRef, _ request: Reconfiguration) throws(ReqlError) -> Document {
        try rejectSystem(table, Self.configureSystem)
        try require(.config, on: table)
        return try base.reconfigure(table, request)
    }

    func emergencyRepair(_ table: TableRef, _ mode: EmergencyRepair, dryRun: Bool) throws(ReqlError) -> Document {
        try rejectSystem(table, Self.configureSystem)
        try require(.config, on: table)
        return try base.emergencyRepair(table, mode, dryRun: dryRun)
    }

    func rebalance(_ table: TableRef) throws(ReqlError) -> Document {
        try rejectSystem(table, Self.configureSystem)
        try require(.config, on: table)
        return try base.rebalance(table)
    }
}
