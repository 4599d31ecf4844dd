import DocumentStore

/// What the wire-protocol layer asks of the query layer: run one START query and say what came
/// of it. The protocol layer owns sockets, framing, tokens and cursors; the query layer owns
/// ReQL (terms, optargs, evaluation onto ``DocumentStore``).
protocol QueryRunning: Sendable {
    /// Runs the term of a START query (`[1, term, globalOptargs]`). `globalOptargs` is the
    /// query's third element (`{}` when absent), not yet validated.
    func start(term: Document, globalOptargs: DocumentObject) async -> QueryOutcome
}

/// The result of a START query.
enum QueryOutcome: Sendable {
    /// A single value: SUCCESS_ATOM, `r: [value]`.
    case atom(Document)
    /// A stream, served in batches: SUCCESS_PARTIAL while more remain, then SUCCESS_SEQUENCE.
    case stream(any QueryStream)
    /// A failure: CLIENT_ERROR, COMPILE_ERROR or RUNTIME_ERROR.
    case error(ReqlError)
}

/// A cursor's source of results. The protocol layer calls `nextBatch` for the first response
/// and for each CONTINUE, and `stop` on STOP or when the connection closes.
protocol QueryStream: Sendable {
    /// The next batch (at most about `limit` items) and whether the stream is finished after it.
    func nextBatch(limit: Int) async -> Result<(items: [Document], finished: Bool), ReqlError>
    /// Releases what the stream holds; later calls to `nextBatch` are not made.
    func stop() async
}

/// An error response, in the protocol's terms.
struct ReqlError: Error, Sendable, Equatable {
    /// The response type: 16 CLIENT_ERROR, 17 COMPILE_ERROR, 18 RUNTIME_ERROR.
    var responseType: Int
    /// For RUNTIME_ERROR only: 1000000 INTERNAL, 2000000 RESOURCE_LIMIT, 3000000 QUERY_LOGIC,
    /// 3100000 NON_EXISTENCE, 4100000 OP_FAILED, 4200000 OP_INDETERMINATE, 5000000 USER,
    /// 6000000 PERMISSION_ERROR.
    var errorType: Int?
    var message: String
    /// The path from the root term to the failing one: numbers (argument positions) and strings
    /// (optarg names).
    var backtrace: [Document] = []

    static func client(_ message: String) -> ReqlError {
        ReqlError(responseType: 16, errorType: nil, message: message)
    }

    static func compile(_ message: String, backtrace: [Document] = []) -> ReqlError {
        ReqlError(responseType: 17, errorType: nil, message: message, backtrace: backtrace)
    }

    static func runtime(_ errorType: ErrorType, _ message: String, backtrace: [Document] = []) -> ReqlError {
        ReqlError(responseType: 18, errorType: errorType.rawValue, message: message, backtrace: backtrace)
    }

    enum ErrorType: Int, Sendable {
        case `internal` = 1_000_000
        case resourceLimit = 2_000_000
        case queryLogic = 3_000_000
        case nonExistence = 3_100_000
        case opFailed = 4_100_000
        case opIndeterminate = 4_200_000
        case user = 5_000_000
        case permission = 6_000_000
    }
}

extension ReqlError: CustomStringConvertible {
    /// The bare message: what ends up in `first_error` when a function fails inside a write.
    var description: String { message }
}
