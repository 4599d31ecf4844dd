// The wire-protocol fuzz target's checks; compiled into the libFuzzer binary by Fuzz/run.sh
// (DOCSTORE_FUZZ defined, in one module with the protocol sources) and into the test suite.
import DocumentStore
import NIOCore
import NIOEmbedded
import ReQL
#if !DOCSTORE_FUZZ
@testable import DocumentStoreServer
#endif

/// What the connection's front end must do with any bytes: the handshake state machine, then
/// (once authenticated, or directly when the first byte's top bit is set) the query frame
/// decoder and the query envelope parser. Input is `[mode/split byte] + stream`.
///
/// Both parts are also checked against themselves: the stream cut into random pieces must give
/// the same replies, verdict and frames as the stream in one piece.
enum ProtocolFuzzCheck {
    /// The fixed salt and nonce source the seed corpus's valid handshake was computed for
    /// (Fuzz/make_corpus.py): bytes 0, 1, 2, … 31.
    static let random = RandomByteSource.fixed(Array(0..<32))
    /// PBKDF2 runs once, not per input.
    static let users = UserCredentials.admin(password: "fuzz-password", random: random)

    static func check(_ input: [UInt8]) {
        guard let control = input.first else { return }
        let stream = input.dropFirst()
        if control & 0x80 != 0 {
            checkFrames(stream, seed: control)
            return
        }
        let whole = handshake([Array(stream)])
        var splitter = FuzzSplitter(seed: control)
        let pieces = handshake(splitter.pieces(stream))
        if Array(whole.replies.joined()) != Array(pieces.replies.joined()) || whole.verdict != pieces.verdict {
            fuzzFailure("the handshake depends on how the bytes were cut: \(whole.verdict) vs \(pieces.verdict)")
        }
        if case .authenticated(_, let leftover) = whole.verdict {
            if !stream.suffix(leftover.count).elementsEqual(leftover) {
                fuzzFailure("the leftover is not the end of the stream")
            }
            checkFrames(leftover[...], seed: control)
        }
    }

    /// Feeds the pieces until a verdict other than "need more data"; then checks what a
    /// finished machine does with more bytes.
    static func handshake(_ pieces: [[UInt8]]) -> HandshakeStateMachine.Step {
        var machine = HandshakeStateMachine(users: users, random: random)
        var replies: [[UInt8]] = []
        var verdict = HandshakeStateMachine.Verdict.needMoreData
        var index = 0
        while index < pieces.count {
            let step = machine.receive(pieces[index])
            index += 1
            replies += step.replies
            verdict = step.verdict
            if verdict != .needMoreData { break }
        }
        for reply in replies {
            guard reply.last == 0 else { fuzzFailure("a handshake reply without its NUL terminator") }
            if reply != HandshakeStateMachine.unsupportedProtocolReply {
                guard case .object? = try? Document(parsing: Array(reply.dropLast())) else { fuzzFailure("a reply that is not a JSON object") }
            }
        }
        if case .failed = verdict {
            let after = machine.receive(Array(pieces[index...].joined()) + [0])
            if !after.replies.isEmpty || after.verdict != .failed(nil) { fuzzFailure("a failed handshake answered again") }
        }
        if case .authenticated(let user, var leftover) = verdict {
            // Bytes that arrived in later pieces belong to the frames too.
            leftover += pieces[index...].joined()
            verdict = .authenticated(user: user, leftover: leftover)
        }
        return HandshakeStateMachine.Step(replies: replies, verdict: verdict)
    }

    static func checkFrames(_ stream: ArraySlice<UInt8>, seed: UInt8) {
        let whole = frames([Array(stream)])
        var splitter = FuzzSplitter(seed: seed)
        let pieces = frames(splitter.pieces(stream))
        if whole != pieces { fuzzFailure("frames depend on how the bytes were cut") }
        var consumed = 0
        for (position, frame) in whole.enumerated() {
            switch frame {
            case .query(let token, let payload):
                let header = withUnsafeBytes(of: token.littleEndian, Array.init) + withUnsafeBytes(of: UInt32(payload.count).littleEndian, Array.init)
                if !stream.dropFirst(consumed).starts(with: header + payload) { fuzzFailure("a frame that is not what was sent") }
                consumed += header.count + payload.count
                // The envelope parser must answer every payload, well-formed or not.
                switch ClientQuery.parse(payload) {
                case .success: break
                case .failure(let error): if error.responseType != .clientError || error.message.isEmpty { fuzzFailure("a bad CLIENT_ERROR") }
                }
            case .oversized(_, let length):
                if position != whole.count - 1 { fuzzFailure("frames after an oversized header") }
                if length <= QueryFrameDecoder.maximumQueryLength { fuzzFailure("a small frame called oversized") }
            }
        }
    }

    /// The frames the decoder cuts from the pieces, the end of input included.
    static func frames(_ pieces: [[UInt8]]) -> [QueryFrame] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(QueryFrameDecoder()))
        var frames: [QueryFrame] = []
        do {
            for piece in pieces {
                try channel.writeInbound(channel.allocator.buffer(bytes: piece))
                while let frame = try channel.readInbound(as: QueryFrame.self) { frames.append(frame) }
            }
            _ = try channel.finish(acceptAlreadyClosed: true)
            while let frame = try channel.readInbound(as: QueryFrame.self) { frames.append(frame) }
        } catch {
            fuzzFailure("the frame decoder threw \(error)")
        }
        return frames
    }
}
