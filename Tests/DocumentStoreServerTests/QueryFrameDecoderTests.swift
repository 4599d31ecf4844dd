import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@testable import DocumentStoreServer

/// Cutting `[token][length][JSON]` frames out of a byte stream that arrives in arbitrary pieces.
@Suite struct QueryFrameDecoderTests {
    static func frame(token: UInt64, _ json: String) -> [UInt8] {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: token.littleEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(json.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
        return bytes + Array(json.utf8)
    }

    @Test("The NIO decoder verifier accepts the decoder for drip-fed and merged input")
    func verifierAcceptsDecoder() throws {
        let pairs: [(ByteBuffer, [QueryFrame])] = [
            (
                ByteBuffer(bytes: Self.frame(token: 0, "[1,[15,[\"marvel\"]],{}]")),
                [.query(token: 0, payload: Array("[1,[15,[\"marvel\"]],{}]".utf8))]
            ),
            (
                ByteBuffer(bytes: Self.frame(token: 5, "[2]") + Self.frame(token: 6, "[3]")),
                [.query(token: 5, payload: Array("[2]".utf8)), .query(token: 6, payload: Array("[3]".utf8))]
            ),
            (
                ByteBuffer(bytes: Self.frame(token: .max, "")),
                [.query(token: .max, payload: [])]
            ),
        ]
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { QueryFrameDecoder() }
    }

    @Test("A frame fed one byte at a time comes out once, whole")
    func byteAtATime() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(QueryFrameDecoder()))
        let bytes = Self.frame(token: 0x0102_0304_0506_0708, "[4]")
        for byte in bytes.dropLast() {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
            #expect(try channel.readInbound(as: QueryFrame.self) == nil)
        }
        try channel.writeInbound(ByteBuffer(bytes: [bytes.last!]))
        let frame = try channel.readInbound(as: QueryFrame.self)
        #expect(frame == .query(token: 0x0102_0304_0506_0708, payload: Array("[4]".utf8)))
        #expect(try channel.finish().isClean)
    }

    @Test("Several frames in one buffer, the last one split, come out in order")
    func mergedAndSplitFrames() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(QueryFrameDecoder()))
        let third = Self.frame(token: 3, "[5]")
        try channel.writeInbound(
            ByteBuffer(bytes: Self.frame(token: 1, "[4]") + Self.frame(token: 2, "[1,1,{}]") + third.prefix(7))
        )
        #expect(try channel.readInbound(as: QueryFrame.self) == .query(token: 1, payload: Array("[4]".utf8)))
        #expect(try channel.readInbound(as: QueryFrame.self) == .query(token: 2, payload: Array("[1,1,{}]".utf8)))
        #expect(try channel.readInbound(as: QueryFrame.self) == nil)
        try channel.writeInbound(ByteBuffer(bytes: Array(third.dropFirst(7))))
        #expect(try channel.readInbound(as: QueryFrame.self) == .query(token: 3, payload: Array("[5]".utf8)))
        #expect(try channel.finish().isClean)
    }

    @Test("A header announcing 128 MiB is reported at once and what follows is discarded")
    func oversizedHeader() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(QueryFrameDecoder()))
        var header: [UInt8] = [9, 0, 0, 0, 0, 0, 0, 0]
        withUnsafeBytes(of: UInt32(134_217_728).littleEndian) { header.append(contentsOf: $0) }
        try channel.writeInbound(ByteBuffer(bytes: header + Array("[1,".utf8)))
        #expect(try channel.readInbound(as: QueryFrame.self) == .oversized(token: 9, length: 134_217_728))
        try channel.writeInbound(ByteBuffer(bytes: Self.frame(token: 10, "[5]")))
        #expect(try channel.readInbound(as: QueryFrame.self) == nil)
        _ = try channel.finish()
    }

    @Test("A query of exactly 134217727 bytes is within the limit")
    func largestAllowedLength() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(QueryFrameDecoder()))
        var header: [UInt8] = [1, 0, 0, 0, 0, 0, 0, 0]
        withUnsafeBytes(of: UInt32(134_217_727).littleEndian) { header.append(contentsOf: $0) }
        try channel.writeInbound(ByteBuffer(bytes: header + [UInt8(ascii: "[")]))
        #expect(try channel.readInbound(as: QueryFrame.self) == nil)
        _ = try channel.finish()
    }
}
