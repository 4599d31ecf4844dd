import DocumentModel
import Dispatch
import Synchronization

/// A SQLite connection used by one caller at a time: the store's one writer, and each of its
/// readers.
///
/// SQLite calls block (on the disk, on fsync, on another process's lock), so large work must
/// not run on Swift's cooperative thread pool; GRDB and sqlite-nio also give each connection a
/// thread or queue of its own, and `run` hops onto this connection's serial queue.
///
/// Small work (a point read, a single-document write) may instead run inline on the caller's
/// thread when the connection is idle: measured here, the two thread switches of a queue hop
/// cost more than a soft single-document insert itself (0.05 ms against 0.02 ms in C). It
/// blocks the caller for at most one small statement batch (and one fsync for a hard write),
/// about what any file write costs.
///
/// `@unchecked Sendable` is sound because the connection is only touched while `exclusive` is
/// held, by the queue or by an inline caller, never by two at once.
final class SerialConnection: @unchecked Sendable {
    private let queue: DispatchQueue
    private let connection: SQLiteConnection
    private let exclusive = Mutex(())

    init(connection: SQLiteConnection, label: String) {
        self.connection = connection
        self.queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    /// Runs `body` with the connection and returns its result to the awaiting task: inline when
    /// `inlineIfIdle` and nobody else holds the connection, else on the connection's queue.
    func run<T: Sendable>(inlineIfIdle: Bool = false,
                          _ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        if inlineIfIdle, let result = exclusive.withLockIfAvailable({ _ in Self.capture { try body(self.connection) } }) {
            return try result.get()
        }
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: self.exclusive.withLock { _ in Self.capture { try body(self.connection) } })
            }
        }
    }

    /// Runs `body` and blocks the calling thread until it is done: for opening and closing,
    /// which are not async.
    func sync<T>(_ body: (SQLiteConnection) throws -> T) rethrows -> T {
        try queue.sync { try exclusive.withLock { _ in try body(connection) } }
    }

    /// Stops the statement running now at its next step; callable from any thread.
    func interrupt() {
        connection.interrupt()
    }

    private static func capture<T>(_ body: () throws -> T) -> Result<T, any Error> {
        do {
            return .success(try body())
        } catch {
            return .failure(error)
        }
    }
}
