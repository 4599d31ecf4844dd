import DocumentStore
import ReQL

/// Geo reads and write hooks, checked as RethinkDB checks them: the geo reads are reads;
/// setting a hook changes the table's configuration (`config`, as
/// `real_reql_cluster_interface_t::set_write_hook` requires), while reading it needs nothing
/// beyond the connection, as in RethinkDB.
extension PermissionedTables {
    func getIntersecting(_ geometry: Document, index: String, in table: TableRef) throws(ReqlError) -> [Document] {
        try require(.read, on: table)
        try rejectSystem(table, "Index `\(index)` was not found on table `rethinkdb.\(table.name)`.")
        return try base.getIntersecting(geometry, index: index, in: table)
    }

    func getNearest(_ query: NearestQuery, index: String, in table: TableRef) throws(ReqlError) -> [Document] {
        try require(.read, on: table)
        try rejectSystem(table, "Index `\(index)` was not found on table `rethinkdb.\(table.name)`.")
        return try base.getNearest(query, index: index, in: table)
    }

    func setWriteHook(_ function: Document?, in table: TableRef) throws(ReqlError) -> Document {
        try rejectSystem(table, Self.configureSystem)
        try require(.config, on: table)
        return try base.setWriteHook(function, in: table)
    }

    func writeHook(of table: TableRef) throws(ReqlError) -> Document {
        if hook(table) != nil { return .null }
        return try base.writeHook(of: table)
    }

    /// A write that skips the hook undoes what the hook's owner configured, so RethinkDB asks
    /// for `config` on the table as well (`writes.cc`).
    func requireHookBypass(_ options: WriteOptions, on table: TableRef) throws(ReqlError) {
        if options.ignoreWriteHook { try require(.config, on: table) }
    }
}
