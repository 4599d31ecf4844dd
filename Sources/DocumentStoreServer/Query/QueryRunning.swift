import DocumentStore
import ReQL

/// What the wire-protocol layer asks of the query layer: run one START query and say what came
/// of it. The protocol layer owns sockets, framing, tokens and cursors; the query layer owns
/// ReQL (terms, optargs, evaluation onto ``DocumentStore``).
protocol QueryRunning: Sendable {
    /// Runs the term of a START query (`[1, term, globalOptargs]`). `globalOptargs` is the
    /// query's third element (`{}` when absent), not yet validated. The protocol layer cancels
    /// `cancellation` when the client leaves, sends STOP, or the server shuts down; the query
    /// (and its stream, which keeps the token) then ends with ``ReqlError/interrupted``.
    func start(term: Document, globalOptargs: DocumentObject, cancellation: CancellationToken) async -> QueryOutcome
    /// As ``start(term:globalOptargs:cancellation:)``, for a connection logged in as `user`,
    /// whose permissions the query is checked against.
    func start(term: Document, globalOptargs: DocumentObject, user: String, cancellation: CancellationToken) async -> QueryOutcome
    /// As ``start(term:globalOptargs:user:cancellation:)``, for an insert whose documents came
    /// as canonical JSON text, with `null` in their place in `term` (``InsertLiteral``).
    func start(term: Document, globalOptargs: DocumentObject, user: String, insertDocuments: [UInt8]?,
               cancellation: CancellationToken) async -> QueryOutcome
}

extension QueryRunning {
    /// Runners that know no users (test doubles) run every query alike.
    func start(term: Document, globalOptargs: DocumentObject, user: String, cancellation: CancellationToken) async -> QueryOutcome {
        await start(term: term, globalOptargs: globalOptargs, cancellation: cancellation)
    }
}

extension QueryRunning {
    /// Runners without a text path (test doubles) get the documents back in the term, as the
    /// DATUM they are.
    func start(term: Document, globalOptargs: DocumentObject, user: String, insertDocuments: [UInt8]?,
               cancellation: CancellationToken) async -> QueryOutcome {
        let whole = insertDocuments.map { InsertLiteral.term(term, documents: $0) } ?? term
        return await start(term: whole, globalOptargs: globalOptargs, user: user, cancellation: cancellation)
    }
}

extension QueryRunning {
    /// A query nobody will cancel (tests, tools).
    func start(term: Document, globalOptargs: DocumentObject) async -> QueryOutcome {
        await start(term: term, globalOptargs: globalOptargs, cancellation: CancellationToken())
    }
}

/// The result of a START query.
enum QueryOutcome: Sendable {
    /// A single value: SUCCESS_ATOM, `r: [value]`.
    case atom(Document)
    /// A stream, served in batches: SUCCESS_PARTIAL while more remain, then SUCCESS_SEQUENCE.
    case stream(any QueryStream)
    /// A failure: CLIENT_ERROR, COMPILE_ERROR or RUNTIME_ERROR.
    case error(ReqlError)
    /// An atom or stream of a query run with `profile: true`: its first response carries the
    /// profile recorded until then (errors carry none, as in RethinkDB).
    indirect case profiled(QueryOutcome, QueryProfile)
}

/// A cursor's source of results. The protocol layer calls `nextBatch` for the first response
/// and for each CONTINUE, and `stop` on STOP or when the connection closes.
protocol QueryStream: Sendable {
    /// The next batch (at most about `limit` items) and whether the stream is finished after it.
    func nextBatch(limit: Int) async -> Result<(items: [Document], finished: Bool), ReqlError>
    /// Releases what the stream holds; later calls to `nextBatch` are not made.
    func stop() async
    /// The response notes of every batch: a change feed's kind, empty for other streams.
    var notes: [Int] { get }
}

extension QueryStream {
    var notes: [Int] { [] }
}
