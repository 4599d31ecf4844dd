import Dispatch
import Synchronization

/// Runs async ReQL evaluation from the library's synchronous write closures.
///
/// Conflict functions and update/replace functions run inside the write transaction, on the
/// store's writer queue, where the library calls them synchronously. Their bodies are
/// deterministic (checked before the write starts), so they read no table and finish quickly;
/// the writer's dispatch thread (never a cooperative-pool thread) waits for them.
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<T, any Error>?>(nil)
        Task {
            let result: Result<T, any Error>
            do {
                result = .success(try await body())
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return try outcome.withLock { $0! }.get()
    }
}
