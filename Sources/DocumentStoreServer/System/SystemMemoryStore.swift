import DocumentStore
import ReQL
import Synchronization

/// The tables of the `rethinkdb` database that live in memory only, in one in-memory
/// ``DocumentStore`` the server owns: `_debug_scratch`, and the copies of the system tables
/// their change feeds read (``SystemFeeds``). Nothing here survives a restart, as nothing in
/// RethinkDB's artificial tables does.
///
/// They are the library's tables, so every term works on them as on any table (inserts with
/// conflicts, updates, `between`, feeds with `include_initial`, ...), with no second storage
/// path. Each is created, primary key `id` and change log on, the first time it is used: the
/// server may start on a thread that must not wait for the library.
///
/// ```swift
/// let scratch = try memory.table(SystemMemoryStore.scratchName, cancellation)
/// try await scratch.insert(["id": 1])
/// ```
final class SystemMemoryStore: Sendable {
    /// RethinkDB's scratch table for its tests: an artificial table that takes every read and
    /// write and keeps its rows in memory (`in_memory_artificial_table_backend_t`).
    static let scratchName = "_debug_scratch"

    private let store: DocumentStore
    /// The tables created so far, so that a table is looked up in the catalog once.
    private let created = Mutex<Set<String>>([])

    init() throws {
        var configuration = DocumentStore.Configuration()
        // The library's errors then name the tables as RethinkDB does: `rethinkdb._debug_scratch`.
        configuration.databaseName = SystemDatabase.name
        store = try DocumentStore.inMemory(configuration: configuration)
    }

    /// The table named `name`, created the first time it is asked for. Runs on a query thread.
    func table(_ name: String, _ cancellation: CancellationToken) throws(ReqlError) -> Table {
        let table = store.table(name)
        if created.withLock({ $0.contains(name) }) { return table }
        let store = self.store
        try LibraryBridge.run(cancellation) {
            do {
                try await store.tableCreate(name, changeLog: .on())
            } catch let error as DocumentStoreError where error.reason == .tableExists {
                // Another query created it first.
            }
        }
        created.withLock { _ = $0.insert(name) }
        return table
    }

    /// A reference to the scratch table, for the evaluator.
    func scratch(_ cancellation: CancellationToken) throws(ReqlError) -> TableRef {
        TableRef(database: SystemDatabase.name, name: Self.scratchName, handle: try table(Self.scratchName, cancellation))
    }
}
