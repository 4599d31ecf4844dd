import DocumentStore
import NIOCore
import ReQL
import Synchronization

/// One response frame: the token it answers and the JSON object RethinkDB would send.
///
/// The JSON is written by hand rather than as a `Document`, because a `Document` object sorts its
/// keys and the server writes `t`, `e`, `r`, `b`, `p`, `n` in that fixed order (`json.cc`
/// `write_response_internal`); drivers do not care, but byte-for-byte fidelity makes captures
/// comparable.
struct QueryResponse: Equatable, Sendable {
    var token: UInt64
    var type: ResponseType
    /// The ErrorType, written only for RUNTIME_ERROR: the server omits `e` on client and compile
    /// errors even when it knows one.
    var errorType: ErrorType?
    var results: [Document]
    /// The path to the failing term; written (possibly `[]`) on every error and never otherwise.
    var backtrace: [Document]
    /// The response notes (`ql2.proto` `ResponseNote`) of a stream's batches: what kind of change
    /// feed it is, and whether it includes states. Empty for every other stream.
    var notes: [Int]
    /// The `profile: true` run option's profile, written as `p` when there is one.
    var profile: Document?

    init(token: UInt64, type: ResponseType, errorType: ErrorType? = nil, results: [Document], backtrace: [Document] = [],
         notes: [Int] = []) {
        self.token = token
        self.type = type
        self.errorType = errorType
        self.results = results
        self.backtrace = backtrace
        self.notes = notes
    }

    static func atom(_ value: Document, token: UInt64) -> QueryResponse {
        QueryResponse(token: token, type: .successAtom, results: [value])
    }

    /// A batch of a stream: SUCCESS_SEQUENCE when it is the last, SUCCESS_PARTIAL otherwise. A
    /// change feed's batches carry its notes, its last one (after a `limit`) too, as RethinkDB's
    /// `query_cache_t::ref_t::serve` adds them.
    static func batch(_ items: [Document], finished: Bool, token: UInt64, notes: [Int] = []) -> QueryResponse {
        QueryResponse(token: token, type: finished ? .successSequence : .successPartial, results: items, notes: notes)
    }

    /// This response with a query's profile (`profile: true`), if it has one.
    func profiled(_ profile: Document?) -> QueryResponse {
        var response = self
        response.profile = profile
        return response
    }

    /// What a STOP, and a CONTINUE cut short by one, are answered with: `{"t":2,"r":[],"n":[]}`.
    static func stopped(token: UInt64) -> QueryResponse {
        .batch([], finished: true, token: token)
    }

    static func error(_ error: ReqlError, token: UInt64) -> QueryResponse {
        QueryResponse(
            token: token,
            type: error.responseType,
            errorType: error.errorType,
            results: [.string(error.message)],
            backtrace: error.backtrace
        )
    }

    static func clientError(_ message: String, token: UInt64) -> QueryResponse {
        QueryResponse(token: token, type: .clientError, results: [.string(message)])
    }

    /// The reply to a CONTINUE or STOP whose token has no open stream (RethinkDB's wording).
    static func notInStreamCache(token: UInt64) -> QueryResponse {
        .clientError("Token \(Int64(bitPattern: token)) not in stream cache.", token: token)
    }

    /// The JSON object, keys in the server's order.
    var json: [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: #"{"t":"#.utf8)
        out.append(contentsOf: String(self.type.rawValue).utf8)
        if self.type == .runtimeError, let errorType = self.errorType {
            out.append(contentsOf: #","e":"#.utf8)
            out.append(contentsOf: String(errorType.rawValue).utf8)
        }
        out.append(contentsOf: #","r":"#.utf8)
        Self.appendArray(self.results, to: &out)
        if self.type.isError {
            out.append(contentsOf: #","b":"#.utf8)
            Self.appendArray(self.backtrace, to: &out)
        }
        if let profile = self.profile {
            out.append(contentsOf: #","p":"#.utf8)
            out.append(contentsOf: profile.jsonBytes)
        }
        if self.type.isSequence {
            out.append(contentsOf: #","n":"#.utf8)
            Self.appendArray(self.notes.map { .number(Double($0)) }, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The JSON to put in the frame. A text too long for the 32-bit length field becomes the
    /// RESOURCE_LIMIT error RethinkDB sends in that case, so the client gets an answer instead
    /// of a corrupt frame.
    private var frameJSON: [UInt8] {
        let json = self.json
        guard json.count >= Int(UInt32.max) else {
            return json
        }
        let tooLarge = ReqlError.runtime(
            .resourceLimit,
            "Response size (\(json.count)) greater than maximum (\(UInt32.max - 1))."
        )
        return QueryResponse.error(tooLarge, token: self.token).json
    }

    /// The whole frame: the token's 8 bytes and the JSON length, both little-endian, then the
    /// JSON. The one place a response is framed: the socket writer and the tests both use it.
    var frame: [UInt8] {
        let json = self.frameJSON
        var out: [UInt8] = []
        out.reserveCapacity(json.count + 12)
        withUnsafeBytes(of: self.token.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: json)
        return out
    }

    private static func appendArray(_ values: [Document], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: value.jsonBytes)
        }
        out.append(UInt8(ascii: "]"))
    }
}

/// Where a connection's responses go.
///
/// `send` is synchronous so that a caller holding the session's state can hand responses over
/// in exactly the order it decided on, without an `await` in between that would let another
/// completion overtake it. The session never needs to know about sockets, so tests can collect
/// responses in memory.
protocol ResponseSink: Sendable {
    /// Queues one response frame; frames go out whole and in call order.
    func send(_ response: QueryResponse)
    /// Returns once everything sent so far has been written or has failed, so the connection
    /// can be closed without cutting off its last responses.
    func flushed() async
}

/// Writes responses to a NIO channel, one `writeAndFlush` per frame.
///
/// `Channel.writeAndFlush` may be called from any thread and is executed on the channel's event
/// loop in call order, which is what keeps frames whole and ordered.
final class ChannelResponseSink: ResponseSink {
    private let channel: any Channel
    /// The future of the most recent write: writes complete in order, so waiting for the last
    /// one waits for all of them.
    private let lastWrite: Mutex<EventLoopFuture<Void>?>

    init(channel: any Channel) {
        self.channel = channel
        self.lastWrite = Mutex(nil)
    }

    func send(_ response: QueryResponse) {
        let buffer = self.channel.allocator.buffer(bytes: response.frame)
        // Taking the lock around the write keeps "last write" and the event loop's order in step
        // when two tasks send at once.
        self.lastWrite.withLock { last in
            last = self.channel.writeAndFlush(buffer)
        }
    }

    func flushed() async {
        let last = self.lastWrite.withLock { $0 }
        _ = try? await last?.get()
    }
}
