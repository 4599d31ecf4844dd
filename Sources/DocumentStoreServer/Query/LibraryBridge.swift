import Dispatch
import ReQL
import Synchronization

/// Calls the library's async API from the synchronous evaluator.
///
/// The evaluator is synchronous (the library will call it from its writer thread), while the
/// library's public API is async. This is the one place the two meet: the call runs as a Swift
/// task and the calling thread waits for it, running the task's jobs itself while it waits
/// (``CallingThreadExecutor``): a write resumed by the writer's thread finishes here, with one
/// thread wake-up instead of two.
///
/// Only the server's query threads (``ReqlEngine``'s thread pool) may call ``run(_:_:)``:
/// blocking a thread of Swift's cooperative pool or a NIO event loop on a task could starve
/// the very threads that task needs. The library's own threads never call it: the closures it
/// runs in a write (conflict and update functions) are deterministic and touch no table.
///
/// When the query's token is cancelled the task is cancelled too, so a library call that
/// honours cancellation (its SQLite statement interrupted) returns at once.
enum LibraryBridge {
    static func run<T: Sendable>(
        _ cancellation: CancellationToken,
        _ body: @escaping @Sendable () async throws -> T
    ) throws(ReqlError) -> T {
        try cancellation.check()
        let executor = CallingThreadExecutor()
        let outcome = Mutex<Result<T, any Error>?>(nil)
        // `immediate`: the task starts on this thread, so a call the library answers from
        // memory (a cached table definition, an inline read) costs no thread switch; and when
        // it suspends, it resumes here too (the executor), not on the cooperative pool.
        let task = Task.immediate(executorPreference: executor) {
            let result: Result<T, any Error>
            do {
                result = .success(try await body())
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
            executor.poke()
        }
        let handler = cancellation.onCancel { task.cancel() }
        executor.run(until: { outcome.withLock { $0 != nil } })
        cancellation.removeHandler(handler)
        switch outcome.withLock({ $0 })! {
        case .success(let value):
            return value
        case .failure(let error):
            throw ReqlError(error)
        }
    }
}
