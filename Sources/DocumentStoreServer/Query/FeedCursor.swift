import DocumentStore
import ReQL

/// A change feed served to a cursor: a stream that never ends by itself (unless a `limit`
/// follows `changes`), each batch being the changes ready when a CONTINUE comes, or else the
/// next ones to arrive.
///
/// Waiting for changes is an `await` on the feed (``Feed/fetch(waiting:)``), which holds no
/// thread: no NIO event loop, no thread of the cooperative pool, no query thread. Only pulling
/// the stream (the feed's changes through the `map`/`filter`/... written after `changes`, which
/// may read tables) runs on a query thread, as every evaluation does.
///
/// As in RethinkDB (`subscription_t::get_els`), the first batch is sent at once with what is
/// ready, possibly nothing, so that `run()` returns a cursor; but the feed has started by
/// then (its position in the change log is taken), so no write acknowledged after the first
/// response is missed. Later batches wait for at least one change.
actor FeedCursor: QueryStream {
    private let rows: RowStream
    private let feed: Feed
    private let engine: ReqlEngine
    /// Every feed the query opened, closed with the cursor.
    private let opened: FeedTracker
    private var sentFirst = false
    private var stopped = false
    /// An error met after some changes of a batch: those go out first, the error with the next
    /// CONTINUE, which ends the query.
    private var pendingError: ReqlError?

    nonisolated let notes: [Int]

    init(rows: RowStream, feed: Feed, engine: ReqlEngine, opened: FeedTracker) {
        self.rows = rows
        self.feed = feed
        self.engine = engine
        self.opened = opened
        self.notes = feed.notes
    }

    func nextBatch(limit: Int) async -> Result<(items: [Document], finished: Bool), ReqlError> {
        guard !stopped else { return .success(([], true)) }
        if let error = pendingError { return .failure(error) }
        let first = !sentFirst
        sentFirst = true
        if first { _ = await fetch(waiting: false) }
        var items: [Document] = []
        while true {
            switch await pull(limit - items.count) {
            case .failure(let error):
                guard items.isEmpty else {
                    pendingError = error
                    return .success((items, false))
                }
                return .failure(error)
            case .success(let batch):
                items += batch.items
                if batch.finished {
                    // The protocol layer forgets a finished stream without stopping it.
                    release()
                    return .success((items, true))
                }
            }
            if first || !items.isEmpty { return .success((items, false)) }
            // Nothing ready, or all of it filtered out: wait for the next changes.
            guard await fetch(waiting: true) else {
                if rows.cancellation.isCancelled { return .failure(.interrupted) }
                return .failure(.runtime(.opFailed, "Changefeed aborted (unavailable)."))
            }
        }
    }

    /// Takes what the stream gives without waiting, on a query thread. The stream is finished
    /// when its pull ends without having found a feed empty (a `limit` that has all it wants).
    private func pull(_ wanted: Int) async -> Result<(items: [Document], finished: Bool), ReqlError> {
        let rows = self.rows
        let feed = self.feed
        return await engine.evaluate(rows.cancellation) { () throws(ReqlError) -> (items: [Document], finished: Bool) in
            var items: [Document] = []
            while items.count < wanted {
                let emptyPolls = feed.emptyPolls
                guard let row = try rows.next() else { return (items, feed.emptyPolls == emptyPolls) }
                try Bound.checkOutput(row)
                items.append(row)
            }
            return (items, false)
        }
    }

    /// Fetches from the feed, ending a wait when the query is cancelled (STOP, the client
    /// gone, the server stopping): the protocol layer cancels the query's token, not a task.
    private func fetch(waiting: Bool) async -> Bool {
        let feed = self.feed
        let fetching = Task { await feed.fetch(waiting: waiting) }
        let handler = rows.cancellation.onCancel { fetching.cancel() }
        let ready = await fetching.value
        rows.cancellation.removeHandler(handler)
        return ready && !rows.cancellation.isCancelled
    }

    func stop() async {
        rows.cancellation.cancel()
        release()
    }

    private func release() {
        stopped = true
        feed.close()
        opened.closeAll()
    }
}
