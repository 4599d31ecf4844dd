import DocumentStore
import Foundation
import ReQL
import Synchronization

/// The queries running now, for `rethinkdb.jobs`: each START query is a job from when the
/// server starts evaluating it until its answer (or its cursor) is finished, and deleting
/// its row cancels it through the query's own ``CancellationToken``.
///
/// ```swift
/// let id = jobs.begin(query: [15, ["heroes"]], cancellation: token)
/// defer { jobs.end(id) }
/// ```
final class JobRegistry: Sendable {
    struct Job: Sendable {
        let id: String
        let started: Date
        /// The query's term as it came; written out as text only when `jobs` is read, since
        /// a batch insert's term is the whole batch.
        let term: Document
        /// An insert's documents when they came as text (``InsertLiteral``), `null` in `term`.
        var documents: [UInt8]?
        let cancellation: CancellationToken

        var query: String { (documents.map { InsertLiteral.term(term, documents: $0) } ?? term).jsonString }
    }

    /// The running jobs, and the generator of their ids under the same lock.
    private let state = Mutex<(running: [String: Job], ids: UUIDGenerator)>(([:], UUIDGenerator()))

    init() {}

    /// Registers a query; the returned id is its job's UUID.
    func begin(query: Document, documents: [UInt8]? = nil, cancellation: CancellationToken) -> String {
        state.withLock { state in
            let job = Job(id: state.ids.v4(), started: Date(), term: query, documents: documents, cancellation: cancellation)
            state.running[job.id] = job
            return job.id
        }
    }

    func end(_ id: String) {
        _ = state.withLock { $0.running.removeValue(forKey: id) }
    }

    var jobs: [Job] {
        state.withLock { Array($0.running.values) }.sorted { $0.started < $1.started }
    }

    /// Cancels a running query; false when no query has this id (it has finished).
    @discardableResult
    func cancel(_ id: String) -> Bool {
        guard let job = state.withLock({ $0.running[id] }) else { return false }
        job.cancellation.cancel()
        return true
    }
}
