import DocumentStore
import ReQL

/// Change feeds: the library's, on every table of the server. A system table's feed is the
/// library's feed on its copy in memory, which ``SystemFeeds`` keeps current; `_debug_scratch`
/// is a library table already.
extension ServerTables {
    func changes(_ request: ChangeRequest, in reference: TableRef) throws(ReqlError) -> any ChangeSource {
        if isSystem(reference) { try Self.checkSystemFeed(request) }
        guard let handle = systemHandle(reference) else { return try library.changes(request, in: reference) }
        let table = handle.table
        let context = SystemContext(system: system, library: LibraryTables(registry: system.registry, cancellation: CancellationToken()),
                                    uuidIdentifiers: handle.uuidIdentifiers)
        let name = handle.uuidIdentifiers ? "\(table.name)-uuid" : table.name
        return try mirroredChanges(request, mirror: name) { () throws(ReqlError) -> [Document] in try table.rows(context) }
    }

    /// A feed on the system table copied as `mirror`, whose rows `rows` reads (on a query
    /// thread, whenever the copy is refreshed, so not with this query's cancellation).
    func mirroredChanges(
        _ request: ChangeRequest, mirror: String, rows: @escaping @Sendable () throws(ReqlError) -> [Document]
    ) throws(ReqlError) -> any ChangeSource {
        try Self.checkSystemFeed(request)
        let feeds = system.feeds
        let copy = try feeds.open(mirror, rows: rows, library.cancellation)
        do {
            return try library.changes(request, in: copy) { feeds.release(mirror) }
        } catch {
            feeds.release(mirror)
            throw error
        }
    }

    /// RethinkDB's artificial tables keep no ordered index for an `order_by.limit` feed to
    /// follow (`cfeed_artificial_table_backend_t::read_changes`).
    static func checkSystemFeed(_ request: ChangeRequest) throws(ReqlError) {
        if case .top = request.target {
            throw .runtime(.opFailed, "System tables don't support changefeeds on `.limit()`.")
        }
    }
}
