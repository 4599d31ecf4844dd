import DocumentModel
import Foundation
import Synchronization

/// Tells a store's change feeds that a commit may have added change records.
///
/// Two sources: this process's own writer calls ``committed()`` right after each commit that
/// recorded changes (a feed wakes at once), and, while at least one feed is open on a file,
/// a watcher thread asks SQLite for `PRAGMA data_version` on a connection of its own. SQLite
/// changes that number whenever another connection, of this process or any other, has
/// committed to the file. The check is one pragma, no scan: on Linux the thread sleeps until
/// the `-wal` file is written (``WALWatch``, inotify) and then checks every
/// ``pollInterval`` for a second, so an idle feed wakes four times a second
/// (``idleInterval``, a fallback should a commit's publication outlast that second); where
/// there is no inotify it checks every ``pollInterval``. No thread runs while no feed is
/// open (it ends with the last one).
///
/// > "The integer values returned by two invocations of "PRAGMA data_version" from the same
/// > connection will be different if changes were committed to the database by any other
/// > connection in the interim." <https://www.sqlite.org/pragma.html#pragma_data_version>
///
/// Feeds wait on a generation number: read it, read the log, and if nothing was new wait
/// for a generation after the one read, so no commit between the two is missed.
final class ChangeMonitor: Sendable {
    /// How often the watcher checks for other processes' commits: well inside the 50 ms a
    /// commit elsewhere may take to reach a feed, and rare enough to cost no measurable CPU.
    static let pollInterval: Duration = .milliseconds(10)
    /// How often an idle watcher checks when it can sleep on the `-wal` file's writes.
    static let idleInterval: Duration = .milliseconds(250)
    /// How long the watcher keeps checking every ``pollInterval`` after a write to the WAL or
    /// a commit: past a commit's fsync, after which its frames are published.
    static let activeWindow: Duration = .seconds(1)

    private struct State {
        var generation: UInt64 = 0
        var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
        var nextWaiter = 0
        var feeds = 0
        var watching = false
    }

    private let state = Mutex(State())
    /// The file to watch; nil for an in-memory store, which no other process can write.
    private let path: String?
    private let busyTimeoutMilliseconds: Int32

    init(path: String?, busyTimeoutMilliseconds: Int32) {
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }

    /// How many feeds are open (tests check that an ended feed lets go).
    var openFeeds: Int { state.withLock { $0.feeds } }

    /// Whether the watcher thread runs.
    var isWatching: Bool { state.withLock { $0.watching } }

    /// The number of commits seen so far.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// A commit happened (or may have): wakes every waiting feed.
    func committed() {
        let waiters = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.generation &+= 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }

    /// Waits until a commit after `generation`; false when the task was cancelled first.
    func wait(after generation: UInt64) async -> Bool {
        let id = state.withLock { state -> Int in
            state.nextWaiter &+= 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let answer = state.withLock { state -> Bool? in
                    if state.generation != generation { return true }
                    // Checked under the lock: a cancellation that came before this point
                    // found no waiter to resume, so it is seen here.
                    if Task.isCancelled { return false }
                    state.waiters[id] = continuation
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: false)
        }
    }

    /// How a timed wait ended.
    enum WaitOutcome: Sendable { case committed, timedOut, cancelled }

    /// Waits until a commit after `generation`, or until `deadline`.
    func wait(after generation: UInt64, until deadline: ContinuousClock.Instant) async -> WaitOutcome {
        await withTaskGroup(of: WaitOutcome.self) { group in
            group.addTask { await self.wait(after: generation) ? .committed : .cancelled }
            group.addTask {
                do {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    return .timedOut
                } catch {
                    return .cancelled
                }
            }
            let first = await group.next() ?? .cancelled
            group.cancelAll()
            // The other child's answer is only "cancelled" now; the caller's own
            // cancellation is what decides.
            return Task.isCancelled ? .cancelled : first
        }
    }

    /// Counts a feed as open for as long as the returned token lives; the first one starts
    /// the watcher.
    func register() -> Registration {
        let start = state.withLock { state -> Bool in
            state.feeds += 1
            guard path != nil, !state.watching else { return false }
            state.watching = true
            return true
        }
        if start { startWatcher() }
        return Registration(monitor: self)
    }

    fileprivate func unregister() {
        state.withLock { $0.feeds -= 1 }
    }

    /// A feed's claim on the watcher; releasing it (the feed ends or is dropped) lets the
    /// watcher stop.
    final class Registration: Sendable {
        private let monitor: ChangeMonitor
        fileprivate init(monitor: ChangeMonitor) { self.monitor = monitor }
        deinit { monitor.unregister() }
    }

    private func startWatcher() {
        guard let path else { return }
        let thread = Thread { [self] in self.watch(path) }
        thread.name = "docstore.changes"
        thread.qualityOfService = .userInitiated
        thread.start()
    }

    /// The watcher thread: a pragma per wake while a feed is open. Its connection is its own:
    /// `data_version` only reports commits made by *other* connections.
    private func watch(_ path: String) {
        let connection = try? SQLiteConnection(path: path, mode: .readWrite)
        connection?.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
        try? connection?.execute("PRAGMA query_only = ON")
        var last = connection.flatMap(Self.dataVersion)
        #if canImport(Glibc)
        let wal = path.hasPrefix("file:") ? nil : WALWatch(path: path + "-wal")
        #endif
        var activeUntil = ContinuousClock.now + Self.activeWindow
        var lastCheck = ContinuousClock.now
        while true {
            let now = ContinuousClock.now
            #if canImport(Glibc)
            if let wal, wal.isWatching, now >= activeUntil {
                if wal.wait(milliseconds: Self.milliseconds(Self.idleInterval)) { activeUntil = ContinuousClock.now + Self.activeWindow }
            } else if let wal, wal.wait(milliseconds: Self.milliseconds(Self.pollInterval)) {
                activeUntil = ContinuousClock.now + Self.activeWindow
            } else if wal == nil {
                usleep(UInt32(Self.milliseconds(Self.pollInterval)) * 1000)
            }
            #else
            usleep(UInt32(Self.milliseconds(Self.pollInterval)) * 1000)
            #endif
            let stop = state.withLock { state -> Bool in
                guard state.feeds == 0 else { return false }
                state.watching = false
                return true
            }
            if stop { return }
            guard let connection else { continue }
            // A bulk write's stream of WAL writes wakes the thread often: check at most
            // every 2 ms all the same.
            let spacing = ContinuousClock.now - lastCheck
            if spacing < .milliseconds(2) { usleep(UInt32(Self.milliseconds(.milliseconds(2) - spacing)) * 1000 + 100) }
            lastCheck = ContinuousClock.now
            let version = Self.dataVersion(connection)
            if version != last {
                last = version
                activeUntil = now + Self.activeWindow
                committed()
            }
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        return Int32(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    private static func dataVersion(_ connection: SQLiteConnection) -> Int64? {
        guard let statement = try? connection.cachedStatement("PRAGMA data_version") else { return nil }
        defer { statement.reset() }
        guard (try? statement.step()) == true else { return nil }
        return statement.int64(at: 0)
    }
}
