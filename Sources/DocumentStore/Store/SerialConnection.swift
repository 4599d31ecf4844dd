import DocumentModel
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A SQLite connection with a thread of its own: the store's one writer, and each reader.
///
/// SQLite calls block (on the disk, on fsync, on another process's lock), so they must never
/// run on Swift's cooperative thread pool; GRDB and sqlite-nio also give each connection a
/// thread or queue of its own. Every call to ``run(_:)`` runs its body on this thread, one at a
/// time, which is also what makes the connection safe to share.
///
/// The thread is a `TaskExecutor` too. A hop onto it and back costs two thread wake-ups, more
/// than a soft single-document insert itself (measured: 0.05 ms against 0.02 ms in C). A task
/// that makes many small writes can run *on* the writer's thread
/// (`withTaskExecutorPreference(store.writeExecutor)`): its calls then run with no hop at all,
/// and still never on the cooperative pool.
///
/// A call whose task is cancelled is stopped: before it starts it is skipped, while it runs
/// its statement is interrupted (`sqlite3_interrupt`); either way it throws `CancellationError`
/// and its transaction is rolled back.
///
/// `@unchecked Sendable`: the connection is only touched on the thread; the queue and the
/// cancellation state are behind locks.
final class SerialConnection: TaskExecutor, @unchecked Sendable {
    private let connection: SQLiteConnection
    private let worker: Worker
    private let nextID = Atomic<Int>(1)
    private let state = Mutex(CancellationState())

    /// Which calls are waiting, which one runs, and which were cancelled.
    private struct CancellationState {
        var pending: Set<Int> = []
        var running: Int?
        var cancelled: Set<Int> = []
        var interrupted: Set<Int> = []
    }

    init(connection: SQLiteConnection, label: String) {
        self.connection = connection
        self.worker = Worker(label: label)
    }

    deinit {
        worker.stop()
    }

    /// Runs `body` with the connection on the connection's thread and returns its result to
    /// the awaiting task (at once, with no hop, when the task already runs on that thread).
    func run<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        if worker.isCurrentThread {
            try Task.checkCancellation()
            return try body(connection)
        }
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        state.withLock { _ = $0.pending.insert(id) }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                worker.enqueue(.closure { continuation.resume(with: self.execute(id, body)) })
            }
        } onCancel: {
            self.cancel(id)
        }
    }

    private func execute<T>(_ id: Int, _ body: (SQLiteConnection) throws -> T) -> Result<T, any Error> {
        let skip = state.withLock { state -> Bool in
            state.pending.remove(id)
            if state.cancelled.remove(id) != nil { return true }
            state.running = id
            return false
        }
        if skip { return .failure(CancellationError()) }
        let result = Result { try body(connection) }
        let interrupted = state.withLock { state -> Bool in
            state.running = nil
            return state.interrupted.remove(id) != nil
        }
        if interrupted, case .failure = result { return .failure(CancellationError()) }
        return result
    }

    private func cancel(_ id: Int) {
        state.withLock { state in
            if state.running == id {
                // Under the lock, so the interrupt cannot reach the next call's statement.
                connection.interrupt()
                state.interrupted.insert(id)
            } else if state.pending.contains(id) {
                state.cancelled.insert(id)
            }
        }
    }

    /// Whether the caller runs on the connection's thread (a task preferring its executor).
    var isCurrentThread: Bool { worker.isCurrentThread }

    /// Queues `body` to run with the connection on its thread, behind what is queued already,
    /// with nobody awaiting it: the ``GroupCommitter`` answers its own callers.
    func schedule(_ body: @escaping @Sendable (SQLiteConnection) -> Void) {
        worker.enqueue(.closure { body(self.connection) })
    }

    /// Stops the connection's running statement (``GroupCommitter`` decides when that is safe).
    func interrupt() {
        connection.interrupt()
    }

    // MARK: TaskExecutor

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        worker.enqueue(.job(job, self.asUnownedTaskExecutor()))
    }
}

extension SerialConnection {
    /// The thread and its queue of work: closures of ``run(_:)`` and jobs of tasks that prefer
    /// the connection's executor, in arrival order.
    final class Worker: @unchecked Sendable {
        enum Item: Sendable {
            case closure(@Sendable () -> Void)
            case job(UnownedJob, UnownedTaskExecutor)
            case stop
        }

        /// Items in arrival order; `head` is the next to run, so taking one is O(1).
        private let queue = Mutex<(items: [Item], head: Int)>(([], 0))
        private let wake = DispatchSemaphore(value: 0)
        private let waiting = Atomic<Int>(0)
        private let threadID = Atomic<UInt>(0)

        init(label: String) {
            let thread = Thread { [self] in self.loop() }
            thread.name = label
            thread.qualityOfService = .userInitiated
            thread.start()
        }

        var isCurrentThread: Bool {
            threadID.load(ordering: .acquiring) == Self.currentThread()
        }

        func enqueue(_ item: Item) {
            queue.withLock { $0.items.append(item) }
            waiting.add(1, ordering: .releasing)
            wake.signal()
        }

        func stop() {
            enqueue(.stop)
        }

        private static func currentThread() -> UInt {
            #if canImport(Darwin)
            UInt(bitPattern: pthread_self())
            #else
            UInt(pthread_self())
            #endif
        }

        private func loop() {
            threadID.store(Self.currentThread(), ordering: .releasing)
            while true {
                waitForWork()
                let item = queue.withLock { queue -> Item in
                    let item = queue.items[queue.head]
                    // Release what the item holds (a write's documents) as soon as it is taken.
                    queue.items[queue.head] = .closure {}
                    queue.head += 1
                    // Drop what has run once it is most of the array, so memory stays bounded.
                    if queue.head > 64 && queue.head * 2 > queue.items.count {
                        queue.items.removeFirst(queue.head)
                        queue.head = 0
                    }
                    return item
                }
                waiting.subtract(1, ordering: .relaxed)
                switch item {
                case .closure(let body): body()
                case .job(let job, let executor): job.runSynchronously(on: executor)
                case .stop: return
                }
            }
        }

        /// Waits for the next item: first by spinning briefly, because a caller awaiting one
        /// small write usually sends the next within microseconds, and a thread that went to
        /// sleep takes longer than that to wake.
        private func waitForWork() {
            let deadline = DispatchTime.now().uptimeNanoseconds + 50_000
            while waiting.load(ordering: .acquiring) == 0 && DispatchTime.now().uptimeNanoseconds < deadline {
                sched_yield()
            }
            wake.wait()
        }
    }
}
