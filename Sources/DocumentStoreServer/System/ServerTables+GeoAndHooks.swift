import DocumentStore
import ReQL

/// Geo reads and write hooks: the library's, for its tables, with the rows a geo read
/// returns counted for `stats`. System tables have neither geo indexes nor hooks.
extension ServerTables {
    func getIntersecting(_ geometry: Document, index: String, in reference: TableRef) throws(ReqlError) -> [Document] {
        if isSystem(reference) { throw Self.noIndex(index, reference) }
        let rows = try library.getIntersecting(geometry, index: index, in: reference)
        system.stats.countReads(rows.count, table: Self.statsKey(reference))
        return rows
    }

    func getNearest(_ query: NearestQuery, index: String, in reference: TableRef) throws(ReqlError) -> [Document] {
        if isSystem(reference) { throw Self.noIndex(index, reference) }
        let rows = try library.getNearest(query, index: index, in: reference)
        system.stats.countReads(rows.count, table: Self.statsKey(reference))
        return rows
    }

    func setWriteHook(_ function: Document?, in reference: TableRef) throws(ReqlError) -> Document {
        if isSystem(reference) { throw SystemDatabase.special("you can't configure the tables in it.") }
        return try library.setWriteHook(function, in: reference)
    }

    /// The tools ask every table they dump for its hook; a system table has none.
    func writeHook(of reference: TableRef) throws(ReqlError) -> Document {
        if isSystem(reference) { return .null }
        return try library.writeHook(of: reference)
    }

    private static func noIndex(_ name: String, _ reference: TableRef) -> ReqlError {
        .runtime(.opFailed, "Index `\(name)` was not found on table `\(reference.database).\(reference.name)`")
    }
}
