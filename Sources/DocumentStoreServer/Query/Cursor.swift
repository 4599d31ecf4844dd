import DocumentStore
import ReQL

/// A stream result served to a cursor in batches, each batch pulled on a query thread.
///
/// An actor, because a client may send the next CONTINUE before the previous batch is out (the
/// Python driver does); the actor keeps batches one at a time, which is what lets the stream
/// be pulled without a lock.
actor Cursor: QueryStream {
    private let rows: RowStream
    private let engine: ReqlEngine
    private var stopped = false

    init(rows: RowStream, engine: ReqlEngine) {
        self.rows = rows
        self.engine = engine
    }

    func nextBatch(limit: Int) async -> Result<(items: [Document], finished: Bool), ReqlError> {
        guard !stopped else { return .success(([], true)) }
        let rows = self.rows
        return await engine.evaluate(rows.cancellation) { () throws(ReqlError) -> (items: [Document], finished: Bool) in
            var items: [Document] = []
            while items.count < limit {
                guard let row = try rows.next() else { return (items, true) }
                try Bound.checkOutput(row)
                items.append(row)
            }
            return (items, false)
        }
    }

    func stop() async {
        stopped = true
        rows.cancellation.cancel()
    }
}
