import Dispatch

/// A SQLite connection confined to its own serial dispatch queue: the store's one writer, and
/// each of its readers.
///
/// SQLite calls block (on the disk, on fsync, on another process's lock), so they must not run
/// on Swift's cooperative thread pool; GRDB and sqlite-nio also give each connection a thread
/// or queue of its own. `run` hops onto the queue and resumes the caller when done.
///
/// `@unchecked Sendable` is sound because the connection is only ever touched from `queue`:
/// every access goes through `run` or `sync`, and the queue runs one block at a time.
final class SerialConnection: @unchecked Sendable {
    private let queue: DispatchQueue
    private let connection: SQLiteConnection

    init(connection: SQLiteConnection, label: String) {
        self.connection = connection
        self.queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    /// Runs `body` on the connection's queue and returns its result to the awaiting task.
    func run<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(self.connection) })
            }
        }
    }

    /// Runs `body` on the queue and blocks the calling thread until it is done: for opening and
    /// closing, which are not async.
    func sync<T>(_ body: (SQLiteConnection) throws -> T) rethrows -> T {
        try queue.sync { try body(connection) }
    }

    /// Stops the statement running now at its next step; callable from any thread.
    func interrupt() {
        connection.interrupt()
    }
}
