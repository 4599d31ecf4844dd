import DocumentStore

extension QuerySession {
    /// A stream's rows per batch: the server's batch size, or fewer when the query's
    /// `max_batch_rows` global optarg asks for fewer (RethinkDB's `batchspec_t::user`). A
    /// batch is always filled up to that size when the rows are there, so `min_batch_rows`
    /// (the fewest rows worth sending) is met whenever RethinkDB would meet it.
    static func batchSize(_ serverSize: Int, globalOptargs: DocumentObject) -> Int {
        guard case .number(let rows)? = globalOptargs["max_batch_rows"], rows >= 1, rows.rounded() == rows else {
            return serverSize
        }
        return rows < Double(serverSize) ? Int(rows) : serverSize
    }
}
