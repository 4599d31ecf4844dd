import DocumentModel
import Foundation

/// Where the document builders put what they prepared: either all of it in one batch (small
/// inputs), or chunk by chunk into a ``BatchPipe`` that the writer drains while the next chunk
/// is being parsed, so JSON work runs on one core while SQLite works on the other.
final class BatchSink {
    private(set) var batch = PreparedBatch()
    private let pipe: BatchPipe?
    private let chunkDocuments: Int
    /// Documents added so far, across chunks (for the array limit).
    private(set) var total = 0

    /// Collects everything into ``batch``.
    init() {
        pipe = nil
        chunkDocuments = .max
    }

    /// Sends a chunk to `pipe` every `chunkDocuments` documents.
    init(pipe: BatchPipe, chunkDocuments: Int) {
        self.pipe = pipe
        self.chunkDocuments = chunkDocuments
    }

    /// Called by the builders as they go; hands a full chunk over.
    func append(_ build: (inout PreparedBatch) throws -> Void) throws {
        try build(&batch)
        total += 1
        if batch.documents.count >= chunkDocuments { try flush() }
    }

    /// Hands over what is pending; throws `CancellationError` when the writer has stopped.
    func flush() throws {
        guard let pipe, !batch.documents.isEmpty || !batch.generatedKeys.isEmpty else { return }
        let chunk = batch
        batch = PreparedBatch()
        batch.reserve(like: chunk)
        guard pipe.send(chunk) else { throw CancellationError() }
    }
}

/// A bounded hand-over of prepared chunks from a parsing thread to the writer.
///
/// At most `capacity` chunks wait, so a fast parser cannot fill memory ahead of a slow disk.
/// `close()` (the writer giving up, e.g. on a disk error) releases a parser blocked on a full
/// pipe; `finish(throwing:)` ends the stream, with the parser's error if it failed, which the
/// writer rethrows inside its transaction, so a bad input writes nothing.
final class BatchPipe: @unchecked Sendable {
    // @unchecked: every stored property is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var chunks: [PreparedBatch] = []
    private var finished = false
    private var failure: (any Error)?
    private var closed = false
    private let capacity: Int

    init(capacity: Int = 2) {
        self.capacity = max(1, capacity)
    }

    /// Queues a chunk, waiting while the pipe is full; false when the writer has closed it.
    func send(_ chunk: PreparedBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= capacity && !closed { condition.wait() }
        guard !closed else { return false }
        chunks.append(chunk)
        condition.broadcast()
        return true
    }

    /// Ends the stream; an error makes the writer's next `receive()` throw it.
    func finish(throwing error: (any Error)? = nil) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk, or nil at the end; throws the parser's error.
    func receive() throws -> PreparedBatch? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && !finished { condition.wait() }
        if !chunks.isEmpty {
            condition.broadcast()
            return chunks.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// The writer is done (or failed): a waiting parser stops.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
