import NIOCore

/// One client request as cut from the byte stream, before its JSON is looked at.
enum QueryFrame: Equatable, Sendable {
    /// `[token: UInt64 LE][length: UInt32 LE][length bytes of JSON]`. The token is kept as the
    /// raw 64 bits so the response echoes exactly what the client sent.
    case query(token: UInt64, payload: [UInt8])
    /// A header announcing a query of at least 128 MiB. The payload is never read: the server
    /// answers CLIENT_ERROR and closes, so buffering up to 4 GiB for it would be pointless.
    case oversized(token: UInt64, length: UInt32)
}

/// Cuts query frames out of the connection's bytes once the handshake is over.
///
/// Frames may arrive split across reads or several to a read; `ByteToMessageDecoder` takes care
/// of the buffering, so this only says whether a whole frame is there.
struct QueryFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = QueryFrame

    /// RethinkDB rejects `length >= 128 MiB` (`client_protocol/protocols.cc`).
    static let maximumQueryLength: UInt32 = 134_217_727
    static let headerLength = 12

    /// Set once an oversized header has been seen: the connection is about to close, and the
    /// bytes after that header are payload of a query that will never run.
    private var discarding = false

    init() {}

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if self.discarding {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        guard
            let token = buffer.getInteger(at: buffer.readerIndex, endianness: .little, as: UInt64.self),
            let length = buffer.getInteger(at: buffer.readerIndex + 8, endianness: .little, as: UInt32.self)
        else {
            return .needMoreData
        }
        if length > Self.maximumQueryLength {
            buffer.moveReaderIndex(forwardBy: Self.headerLength)
            self.discarding = true
            context.fireChannelRead(Self.wrapInboundOut(.oversized(token: token, length: length)))
            return .continue
        }
        guard buffer.readableBytes >= Self.headerLength + Int(length) else {
            return .needMoreData
        }
        buffer.moveReaderIndex(forwardBy: Self.headerLength)
        let payload = buffer.readBytes(length: Int(length)) ?? []
        context.fireChannelRead(Self.wrapInboundOut(.query(token: token, payload: payload)))
        return .continue
    }

    /// A partial frame at end of input is dropped: its query never fully arrived, so there is
    /// nothing to answer.
    mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while try self.decode(context: context, buffer: &buffer) == .continue {}
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }
}
