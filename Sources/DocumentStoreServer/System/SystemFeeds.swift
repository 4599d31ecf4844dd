import DocumentStore
import Foundation
import NIOPosix
import ReQL
import Synchronization

/// Change feeds on the system tables, whose rows are made from the server's state when read
/// and so have no change log of their own.
///
/// Each table with a feed open gets a copy (a mirror) in the ``SystemMemoryStore``, and its
/// feeds are the library's feeds on that copy: `include_initial`, `include_states`,
/// `include_types`, `squash`, point, `get_all` and `between` feeds, and the transformations
/// written before `changes`, all behave as on any table. The copy is brought up to date by
/// reading the table's rows again and writing the rows that differ, matched by primary key:
/// RethinkDB's `caching_cfeed_artificial_table_backend_t`, which keeps the last rows it saw and
/// sends `{old_val, new_val}` for each one that changed. That happens when a feed opens (so its
/// initial rows are current), after every query while a feed is open (DDL, config writes,
/// grants go through queries), and once a second (RethinkDB's timer) for what changes by
/// itself: `stats`, `jobs`, `server_status`.
///
/// A table shown with `identifier_format: "uuid"` is a different table (servers and databases
/// by id), so it has its own copy, as RethinkDB has a backend for each format.
///
/// ```swift
/// let copy = try feeds.open("table_config", rows: { try table.rows(context) }, cancellation)
/// let source = try library.changes(request, in: copy) { feeds.release("table_config") }
/// ```
final class SystemFeeds: Sendable {
    /// How often open feeds read their tables again when nothing said they changed.
    static let period: Duration = .seconds(1)

    private struct Mirror: Sendable {
        let rows: @Sendable () throws(ReqlError) -> [Document]
        var feeds = 0
    }

    private struct State {
        var mirrors: [String: Mirror] = [:]
        var ticking = false
        var refreshing = false
        var refreshPending = false

        var hasFeeds: Bool { mirrors.values.contains { $0.feeds > 0 } }
    }

    private let memory: SystemMemoryStore
    private let pool: NIOThreadPool
    private let state = Mutex(State())
    /// Held while a mirror is compared and written, so that two refreshes never write the same
    /// change twice. Held across library calls, on query threads only.
    private let refreshing = NSLock()

    init(memory: SystemMemoryStore, pool: NIOThreadPool) {
        self.memory = memory
        self.pool = pool
    }

    /// Opens a feed on the system table mirrored as `name`, whose rows `rows` reads: its copy
    /// is made current now, and a reference to it returned for the library's feed. Each call
    /// must be matched by a ``release(_:)`` when the feed closes. Runs on a query thread.
    func open(_ name: String, rows: @escaping @Sendable () throws(ReqlError) -> [Document],
              _ cancellation: CancellationToken) throws(ReqlError) -> TableRef {
        let table = try memory.table(name, cancellation)
        let startTimer = state.withLock { state -> Bool in
            state.mirrors[name, default: Mirror(rows: rows)].feeds += 1
            defer { state.ticking = true }
            return !state.ticking
        }
        if startTimer { Task { await self.tick() } }
        do {
            try refresh(name, cancellation)
        } catch {
            release(name)
            throw error
        }
        return TableRef(database: SystemDatabase.name, name: name, handle: table)
    }

    /// A feed opened by ``open(_:rows:_:)`` has closed.
    func release(_ name: String) {
        state.withLock { state in
            guard var mirror = state.mirrors[name] else { return }
            mirror.feeds -= 1
            state.mirrors[name] = mirror
        }
    }

    /// Something the system tables show may have changed: every mirror with a feed open is
    /// brought up to date soon, off the caller's thread. Costs nothing while no feed is open.
    func changed() {
        let start = state.withLock { state -> Bool in
            guard state.hasFeeds else { return false }
            if state.refreshing {
                state.refreshPending = true
                return false
            }
            state.refreshing = true
            return true
        }
        if start { Task { await self.refreshLoop() } }
    }

    /// One refresh at a time; a change announced meanwhile gets one more.
    private func refreshLoop() async {
        repeat {
            _ = try? await pool.runIfActive { self.refreshAll() }
        } while state.withLock({ Self.takePending(&$0) })
    }

    private static func takePending(_ state: inout State) -> Bool {
        if state.refreshPending {
            state.refreshPending = false
            return true
        }
        state.refreshing = false
        return false
    }

    /// RethinkDB's timer: while a feed is open, its table is read again every ``period``.
    private func tick() async {
        while true {
            try? await Task.sleep(for: Self.period)
            let running = state.withLock { state -> Bool in
                if !state.hasFeeds { state.ticking = false }
                return state.ticking
            }
            guard running else { return }
            changed()
        }
    }

    /// Runs on a query thread.
    private func refreshAll() {
        let names = state.withLock { state in state.mirrors.filter { $0.value.feeds > 0 }.map(\.key) }
        for name in names {
            // A table that cannot be read now (a database being dropped) is read again next time.
            try? refresh(name, CancellationToken())
        }
    }

    /// Reads the table's rows and writes to its copy those that differ from what it holds,
    /// deleting those gone: each written row is one change to the copy's feeds.
    private func refresh(_ name: String, _ cancellation: CancellationToken) throws(ReqlError) {
        guard let rows = state.withLock({ $0.mirrors[name]?.rows }) else { return }
        let table = try memory.table(name, cancellation)
        refreshing.lock()
        defer { refreshing.unlock() }
        let fresh = try rows()
        try LibraryBridge.run(cancellation) {
            var stored: [Document: Document] = [:]
            for try await row in table.documents() {
                if let key = row["id"] { stored[key] = row }
            }
            var changed: [Document] = []
            for row in fresh {
                guard let key = row["id"] else { continue }
                if stored.removeValue(forKey: key) != row { changed.append(row) }
            }
            if !changed.isEmpty { try await table.insert(changed, conflict: .replace) }
            if !stored.isEmpty { try await table.getAll(Array(stored.keys)).delete() }
        }
    }
}
