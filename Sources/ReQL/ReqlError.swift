import DocumentModel

/// The ResponseType numbers of `ql2.proto`: what kind of answer a response frame carries.
///
/// The query layer only produces the three error types; the protocol layer sends the others.
package enum ResponseType: Int, Sendable {
    case successAtom = 1, successSequence = 2, successPartial = 3, waitComplete = 4, serverInfo = 5
    case clientError = 16, compileError = 17, runtimeError = 18

    /// CLIENT_ERROR, COMPILE_ERROR and RUNTIME_ERROR: responses that carry a backtrace.
    package var isError: Bool {
        switch self {
        case .clientError, .compileError, .runtimeError: return true
        default: return false
        }
    }

    /// SUCCESS_SEQUENCE and SUCCESS_PARTIAL: responses that carry response notes.
    package var isSequence: Bool { self == .successSequence || self == .successPartial }
}

/// The ErrorType of a RUNTIME_ERROR (`ql2.proto`), which drivers map onto their exception
/// classes (`ReqlQueryLogicError`, `ReqlNonExistenceError`, ...).
package enum ErrorType: Int, Sendable {
    case `internal` = 1_000_000
    case resourceLimit = 2_000_000
    case queryLogic = 3_000_000
    case nonExistence = 3_100_000
    case opFailed = 4_100_000
    case opIndeterminate = 4_200_000
    case user = 5_000_000
    case permission = 6_000_000
}

/// A failed query, in the protocol's terms: which error response, its ErrorType, the message
/// RethinkDB would send, and the backtrace to the term that failed.
package struct ReqlError: Error, Sendable, Equatable {
    /// CLIENT_ERROR, COMPILE_ERROR or RUNTIME_ERROR.
    package var responseType: ResponseType
    /// Only for RUNTIME_ERROR; the wire omits it for the other two.
    package var errorType: ErrorType?
    package var message: String
    /// The path from the root term to the failing one: numbers (argument positions) and strings
    /// (optarg names).
    package var backtrace: [Document] = []

    package init(responseType: ResponseType, errorType: ErrorType?, message: String, backtrace: [Document] = []) {
        self.responseType = responseType
        self.errorType = errorType
        self.message = message
        self.backtrace = backtrace
    }

    /// A request the server cannot make sense of (a malformed envelope, an unknown token).
    package static func client(_ message: String) -> ReqlError {
        ReqlError(responseType: .clientError, errorType: nil, message: message)
    }

    /// A term that is malformed before it runs (arity, unknown optargs, unknown variables).
    package static func compile(_ message: String, backtrace: [Document] = []) -> ReqlError {
        ReqlError(responseType: .compileError, errorType: nil, message: message, backtrace: backtrace)
    }

    /// A failure while evaluating.
    package static func runtime(_ errorType: ErrorType, _ message: String, backtrace: [Document] = []) -> ReqlError {
        ReqlError(responseType: .runtimeError, errorType: errorType, message: message, backtrace: backtrace)
    }

    /// What a query that was cancelled (client gone, STOP, server shutdown) ends with: the text
    /// RethinkDB's `query_cache.cc` uses for an interruption it has no better name for. A STOP
    /// turns it into an empty SUCCESS_SEQUENCE in the protocol layer, as RethinkDB does.
    package static let interrupted = ReqlError.runtime(.opIndeterminate, "Query terminated by an unknown cause.")

    /// RethinkDB's RANGE error for a sequence that never ends, where all of it is needed
    /// (`range_datum_stream_t::next_raw_batch`).
    package static let infiniteStream = ReqlError.runtime(
        .queryLogic,
        "Cannot use an infinite stream with an aggregation function (`reduce`, `count`, etc.) or coerce it to an array."
    )

    /// The array limit's error, in the library's words (one text for both layers).
    package static func arrayLimit(_ limit: Int) -> ReqlError {
        ReqlError(ArrayLimit.exceeded(limit))
    }

    /// Library, parser and system errors in ReQL's terms: the library's error codes map onto
    /// ReQL's error types, and anything unexpected is an internal error rather than a crash.
    package init(_ error: any Error) {
        switch error {
        case let error as ReqlError:
            self = error
        case let error as DocumentStoreError:
            switch error.code {
            case .queryLogic: self = .runtime(.queryLogic, error.message)
            case .nonExistence: self = .runtime(.nonExistence, error.message)
            case .opFailed, .notADocStoreFile, .newerSchema, .storage: self = .runtime(.opFailed, error.message)
            case .resourceLimit: self = .runtime(.resourceLimit, error.message)
            case .compile: self = .compile(error.message)
            case .busy: self = .runtime(.opIndeterminate, error.message)
            default: self = .runtime(.internal, error.message)
            }
        case let error as JSONSyntaxError:
            self = .runtime(.queryLogic, error.description)
        case is CancellationError:
            self = .interrupted
        default:
            self = .runtime(.internal, "Unexpected exception: \(error)")
        }
    }
}

extension ReqlError: CustomStringConvertible {
    /// The bare message: what ends up in `first_error` when a function fails inside a write.
    package var description: String { message }
}
