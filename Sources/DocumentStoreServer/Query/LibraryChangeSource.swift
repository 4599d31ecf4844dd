import DocumentStore
import ReQL
import Synchronization

/// A library change feed as the evaluator reads it (``ChangeSource``): the events of the
/// library's last batch, taken one at a time without waiting, and a read of the next batch
/// when the cursor asks for more.
///
/// The library's feed pulls: it reads the change log only when asked, and holds at most
/// `changefeed_queue_size` changes of the backlog it reads, skipping the rest with RethinkDB's
/// overflow event. So a feed is read only while its client asks (a CONTINUE is waiting), and
/// one whose client reads nothing holds nothing but its position: memory is bounded by the
/// queue whatever the client does. At most one library read is under way per feed; a cursor
/// that stops waiting (STOP, a union's other feed answering first) leaves it running, and its
/// events are kept for the next CONTINUE.
final class LibraryChangeSource: ChangeSource {
    private struct State {
        var events: [Document] = []
        var head = 0
        var error: ReqlError?
        var reading: Task<Void, Never>?
        /// Whether the read under way waits for a commit (rather than taking what is ready).
        var readingWaits = false
        /// Consumers waiting for a read to finish, by id; `active` holds every wait under way,
        /// `cancelled` those that gave up before they were registered.
        var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
        var active: Set<Int> = []
        var cancelled: Set<Int> = []
        var nextID = 0
        var closed = false

        var hasSomething: Bool { head < events.count || error != nil }
    }

    /// Events per library read: one response's worth (``QuerySession/Limits/batchSize``).
    static let batchLimit = 1000

    private let reader: LibraryFeedReader
    private let state = Mutex(State())
    /// Called once, when the feed closes (a system table's copy then stops being refreshed).
    private let onClose: (@Sendable () -> Void)?

    init(_ reader: LibraryFeedReader, onClose: (@Sendable () -> Void)? = nil) {
        self.reader = reader
        self.onClose = onClose
    }

    func poll() throws(ReqlError) -> Document? {
        let (event, error) = state.withLock { state -> (Document?, ReqlError?) in
            guard state.head < state.events.count else { return (nil, state.error) }
            defer { state.head += 1 }
            return (state.events[state.head], nil)
        }
        if let error { throw error }
        return event
    }

    func fetch(waiting: Bool) async -> Bool {
        let id: Int? = state.withLock { state in
            if state.closed || state.hasSomething { return nil }
            if state.reading == nil {
                state.reading = self.startRead(waitForFirst: waiting)
                state.readingWaits = waiting
            } else if !waiting && state.readingWaits {
                // A read waiting for the next commit is under way: nothing is ready now.
                return nil
            }
            defer { state.nextID += 1 }
            state.active.insert(state.nextID)
            return state.nextID
        }
        guard let id else { return state.withLock { $0.hasSomething } }
        let ready = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let now: Bool? = state.withLock { state in
                    if state.cancelled.remove(id) != nil || state.closed { return false }
                    if state.reading == nil { return state.hasSomething }
                    state.waiters[id] = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let waiter = state.waiters.removeValue(forKey: id) else {
                    if state.active.contains(id) { state.cancelled.insert(id) }
                    return nil
                }
                return waiter
            }
            waiter?.resume(returning: false)
        }
        state.withLock { state in
            state.active.remove(id)
            state.cancelled.remove(id)
        }
        return ready
    }

    /// Reads the next batch in a task of its own, which a cancelled wait does not cancel: the
    /// library ends a feed whose read is cancelled.
    private func startRead(waitForFirst: Bool) -> Task<Void, Never> {
        let reader = self.reader
        return Task {
            let outcome: Result<[Document], ReqlError>
            do {
                outcome = .success(try await reader.read(limit: Self.batchLimit, waitForFirst: waitForFirst))
            } catch {
                outcome = .failure(ReqlError(error))
            }
            let waiters = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
                state.reading = nil
                guard !state.closed else { return [] }
                switch outcome {
                case .success(let events):
                    state.events.removeFirst(state.head)
                    state.head = 0
                    state.events += events
                case .failure(let error):
                    state.error = error
                }
                defer { state.waiters = [:] }
                return Array(state.waiters.values)
            }
            let ready = state.withLock { $0.hasSomething }
            for waiter in waiters { waiter.resume(returning: ready) }
        }
    }

    func close() {
        let (reading, waiters, first) = state.withLock { state in
            let first = !state.closed
            state.closed = true
            state.events = []
            state.head = 0
            defer {
                state.waiters = [:]
                state.reading = nil
            }
            return (state.reading, Array(state.waiters.values), first)
        }
        if first { onClose?() }
        // Cancelling a read ends the library's feed; without one, dropping the iterator frees
        // the feed's engine, its registration and any snapshot it holds.
        reading?.cancel()
        reader.release()
        for waiter in waiters { waiter.resume(returning: false) }
    }
}

/// The change feeds one query opened, so that they are closed with it: with its cursor, or at
/// once when its answer does not use them.
final class FeedTracker: Sendable {
    private let sources = Mutex<[any ChangeSource]>([])
    private let open: FeedCount

    init(counting open: FeedCount = FeedCount()) {
        self.open = open
    }

    func add(_ source: any ChangeSource) {
        sources.withLock { $0.append(source) }
        open.add(1)
    }

    func closeAll() {
        let all = sources.withLock { sources in
            defer { sources = [] }
            return sources
        }
        for source in all { source.close() }
        open.add(-all.count)
    }
}

/// How many change feeds are open on an engine: each one opened by a query and not closed yet
/// (by STOP, the cursor's end, the connection closing).
final class FeedCount: Sendable {
    private let count = Atomic<Int>(0)

    var value: Int { count.load(ordering: .relaxed) }

    func add(_ delta: Int) {
        _ = count.wrappingAdd(delta, ordering: .relaxed)
    }
}
