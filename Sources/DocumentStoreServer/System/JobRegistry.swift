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
        let cancellation: CancellationToken

        var query: String { term.jsonString }
    }

    private let running = Mutex<[String: Job]>([:])
    private let ids = Mutex(UUIDGenerator())

    init() {}

    /// Registers a query; the returned id is its job's UUID.
    func begin(query: Document, cancellation: CancellationToken) -> String {
        let job = Job(id: ids.withLock { $0.v4() }, started: Date(), term: query, cancellation: cancellation)
        running.withLock { $0[job.id] = job }
        return job.id
    }

    func end(_ id: String) {
        _ = running.withLock { $0.removeValue(forKey: id) }
    }

    var jobs: [Job] {
        running.withLock { Array($0.values) }.sorted { $0.started < $1.started }
    }

    /// Cancels a running query; false when no query has this id (it has finished).
    @discardableResult
    func cancel(_ id: String) -> Bool {
        guard let job = running.withLock({ $0[id] }) else { return false }
        job.cancellation.cancel()
        return true
    }
}
