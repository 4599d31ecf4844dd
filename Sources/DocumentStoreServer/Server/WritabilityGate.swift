import NIOCore

/// Stops reading a client's queries while its answers are piling up unsent.
///
/// Every query a connection reads produces a response, and a client that sends queries but does
/// not read the answers would otherwise make the server buffer all of them (3,000 unread
/// answers of 100 KB grew it from 28 to 325 MiB). The channel turns unwritable when its
/// outbound buffer passes the high-water mark (``DocStoreServer``'s `writeBufferWaterMark`);
/// from then on this handler holds back the reads the pipeline asks for, so the client's frames
/// stay in its own socket buffer and TCP slows it down. Once the buffer drains below the
/// low-water mark the held read goes out and the connection carries on.
///
/// It sits at the front of the pipeline, where `read` leaves for the socket; bytes pass through
/// unchanged.
final class WritabilityGate: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A read the pipeline asked for while the channel was unwritable.
    private var heldRead = false

    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            heldRead = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if heldRead && context.channel.isWritable {
            heldRead = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }
}

@available(*, unavailable)
extension WritabilityGate: Sendable {}
