import DocumentStore

/// The V1_0 connection handshake as a pure state machine: bytes in; bytes to send and a verdict
/// out.
///
/// It holds no socket, so every byte-level rule (magic numbers, the pipelined client hello, the
/// 2048-byte message limit, SCRAM and its error codes) can be tested by feeding arrays, and the
/// NIO handler that drives it stays a thin adapter. Input may arrive in any split: the machine
/// buffers until a whole message is there.
struct HandshakeStateMachine: Sendable {
    /// What the caller must do after writing ``Step/replies``.
    enum Verdict: Equatable, Sendable {
        /// Keep reading.
        case needMoreData
        /// Close the connection. The error is nil for an unsupported magic number, whose reply
        /// is plain text rather than a JSON error.
        case failed(HandshakeError?)
        /// Switch to query frames. `leftover` holds bytes the client sent after its final
        /// handshake message, which already belong to the first query frame.
        case authenticated(user: String, leftover: [UInt8])
    }

    /// The result of feeding bytes: replies to write, in order, then what to do next.
    struct Step: Equatable, Sendable {
        var replies: [[UInt8]]
        var verdict: Verdict
    }

    private enum State: Sendable {
        case awaitingMagic
        case awaitingClientFirst
        case awaitingClientFinal(ScramExchange)
        case authenticated(user: String)
        case failed
    }

    /// The four bytes a V1_0 client opens with (`0x34c2bdc3`, little-endian).
    static let v1_0Magic: [UInt8] = [0xC3, 0xBD, 0xC2, 0x34]

    /// Sent right after the magic, before the client's first JSON has been read, because the
    /// Python driver pipelines its hello behind the magic and then waits for this line.
    static let serverHello: [UInt8] = Array(
        #"{"max_protocol_version":0,"min_protocol_version":0,"server_version":"2.4.4","success":true}"#.utf8
    ) + [0]

    /// What RethinkDB 2.4 answers to every pre-V1_0 magic (V0_1...V0_4) and to unknown ones.
    /// It is plain text, not JSON, because old drivers print it verbatim.
    static let unsupportedProtocolReply: [UInt8] = Array(
        (
            "ERROR: Received an unsupported protocol version. This port is for RethinkDB queries. "
                + "Does your client driver version not match the server?\n"
        ).utf8
    ) + [0]

    /// The longest handshake message, terminator included, that the server buffers: a client
    /// that never sends `\0` must not make the server hold its bytes forever.
    static let maximumMessageLength = 2048

    private var state = State.awaitingMagic
    private var buffer: [UInt8] = []
    private let users: UserCredentials
    private let random: RandomByteSource

    init(users: UserCredentials, random: RandomByteSource = .system) {
        self.users = users
        self.random = random
    }

    /// Takes the next bytes from the client and advances as far as they allow.
    mutating func receive(_ bytes: [UInt8]) -> Step {
        self.buffer.append(contentsOf: bytes)
        var replies: [[UInt8]] = []
        while true {
            do throws(HandshakeError) {
                switch self.state {
                case .awaitingMagic:
                    guard self.buffer.count >= 4 else {
                        return Step(replies: replies, verdict: .needMoreData)
                    }
                    let magic = Array(self.buffer.prefix(4))
                    self.buffer.removeFirst(4)
                    guard magic == Self.v1_0Magic else {
                        self.state = .failed
                        self.buffer = []
                        return Step(replies: replies + [Self.unsupportedProtocolReply], verdict: .failed(nil))
                    }
                    replies.append(Self.serverHello)
                    self.state = .awaitingClientFirst

                case .awaitingClientFirst:
                    guard let message = try self.nextMessage() else {
                        return Step(replies: replies, verdict: .needMoreData)
                    }
                    let exchange = try self.readClientFirst(message)
                    replies.append(Self.authenticationReply(exchange.serverFirstMessage))
                    self.state = .awaitingClientFinal(exchange)

                case .awaitingClientFinal(let exchange):
                    guard let message = try self.nextMessage() else {
                        return Step(replies: replies, verdict: .needMoreData)
                    }
                    let serverFinal = try exchange.finish(clientFinal: try Self.authentication(in: message))
                    replies.append(Self.authenticationReply(serverFinal))
                    self.state = .authenticated(user: exchange.user)
                    let leftover = self.buffer
                    self.buffer = []
                    return Step(replies: replies, verdict: .authenticated(user: exchange.user, leftover: leftover))

                case .authenticated(let user):
                    // The caller should have switched to framing; hand the bytes back rather than lose them.
                    let leftover = self.buffer
                    self.buffer = []
                    return Step(replies: replies, verdict: .authenticated(user: user, leftover: leftover))

                case .failed:
                    self.buffer = []
                    return Step(replies: replies, verdict: .failed(nil))
                }
            } catch {
                self.state = .failed
                self.buffer = []
                return Step(replies: replies + [error.wireMessage], verdict: .failed(error))
            }
        }
    }

    /// Cuts the next NUL-terminated message off the buffer, or nil when it is not all there yet.
    private mutating func nextMessage() throws(HandshakeError) -> [UInt8]? {
        let window = self.buffer.prefix(Self.maximumMessageLength)
        guard let end = window.firstIndex(of: 0) else {
            if self.buffer.count >= Self.maximumMessageLength {
                throw .limitedReadBufferSize
            }
            return nil
        }
        let message = Array(self.buffer[..<end])
        self.buffer.removeFirst(end + 1)
        return message
    }

    /// Checks the client hello in `server.cc`'s order and starts SCRAM with its `authentication`.
    private func readClientFirst(_ message: [UInt8]) throws(HandshakeError) -> ScramExchange {
        let hello = try Self.parse(message)
        guard case .number(let version)? = hello["protocol_version"] else {
            throw .expectedProtocolVersionNumber
        }
        guard version == 0 else {
            throw .unsupportedProtocolVersion
        }
        guard case .string(let method)? = hello["authentication_method"] else {
            throw .expectedAuthenticationMethodString
        }
        guard method == "SCRAM-SHA-256" else {
            throw .unsupportedAuthenticationMethod
        }
        guard case .string(let clientFirst)? = hello["authentication"] else {
            throw .expectedAuthenticationString
        }
        return try ScramExchange(clientFirst: clientFirst, users: self.users, random: self.random)
    }

    /// The `authentication` string of the client-final message.
    private static func authentication(in message: [UInt8]) throws(HandshakeError) -> String {
        guard case .string(let text)? = try self.parse(message)["authentication"] else {
            throw .expectedAuthenticationString
        }
        return text
    }

    /// Text that is not JSON is code 8; JSON that cannot be a datum (a repeated key, invalid
    /// UTF-8) is code 9, the distinction RethinkDB makes between its parser and its datum layer.
    private static func parse(_ message: [UInt8]) throws(HandshakeError) -> Document {
        do {
            return try Document(parsing: message)
        } catch is JSONSyntaxError {
            throw .invalidJSON
        } catch {
            throw .jsonToDatum
        }
    }

    /// A successful SCRAM step: `{"authentication":"…","success":true}` plus the terminator.
    static func authenticationReply(_ text: String) -> [UInt8] {
        let body: Document = ["authentication": .string(text), "success": true]
        return body.jsonBytes + [0]
    }
}

/// A reason to refuse a V1_0 handshake, with the code and text RethinkDB 2.4 sends.
///
/// The drivers pick their exception class from `error_code` (10...20 become an authentication
/// error in Python) and show `error` to the user, so both are part of the protocol and are
/// spelled exactly as `client_protocol/server.cc` and `auth/authentication_error.hpp` spell them.
struct HandshakeError: Error, Equatable, Sendable {
    /// `client_server_error_t` (1...9) or an authentication error (10...20).
    var code: Int
    var message: String

    // Protocol errors: the client hello is not what a V1_0 driver sends.
    static let expectedProtocolVersionNumber = HandshakeError(
        code: 1,
        message: "Expected a number for `protocol_version`."
    )
    static let unsupportedProtocolVersion = HandshakeError(code: 2, message: "Unsupported `protocol_version`.")
    static let expectedAuthenticationMethodString = HandshakeError(
        code: 3,
        message: "Expected a string for `authentication_method`."
    )
    static let unsupportedAuthenticationMethod = HandshakeError(
        code: 4,
        message: "Unsupported `authentication_method`."
    )
    static let expectedAuthenticationString = HandshakeError(
        code: 5,
        message: "Expected a string for `authentication`."
    )
    static let limitedReadBufferSize = HandshakeError(code: 7, message: "Limited read buffer size.")
    static let invalidJSON = HandshakeError(code: 8, message: "Invalid JSON object.")
    static let jsonToDatum = HandshakeError(code: 9, message: "Failed to convert JSON to datum.")

    // Authentication errors (SCRAM).
    static let invalidEncoding = HandshakeError(code: 10, message: "Invalid encoding")
    static let extensionsNotSupported = HandshakeError(code: 11, message: "Extensions not supported")
    static let wrongPassword = HandshakeError(code: 12, message: "Wrong password")
    static let channelBindingNotSupported = HandshakeError(code: 15, message: "Channel binding is not supported")
    static let unknownUser = HandshakeError(code: 17, message: "Unknown user")
    static let invalidUsernameEncoding = HandshakeError(code: 18, message: "Invalid username encoding")
    static let emptyUsername = HandshakeError(code: 18, message: "Empty username")
    static let otherError = HandshakeError(code: 20, message: "Other error")

    /// The NUL-terminated JSON message that reports the failure: `{"error":…,"error_code":N,"success":false}`.
    ///
    /// Both `error` and `error_code` must be present: the Python driver reads them unconditionally
    /// and turns a missing key into an unhelpful `KeyError`.
    var wireMessage: [UInt8] {
        let body: Document = [
            "error": .string(self.message),
            "error_code": .number(Double(self.code)),
            "success": false,
        ]
        return body.jsonBytes + [0]
    }
}
