import NIOCore
import Synchronization

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
///
/// Frames already read when the channel turns unwritable (one socket read holds hundreds of
/// small queries) would still start queries; the connection's read loop therefore also waits
/// on ``signal`` before it hands the next frame to the session.
final class WritabilityGate: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A read the pipeline asked for while the channel was unwritable.
    private var heldRead = false
    let signal = WritabilitySignal()

    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            heldRead = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        let writable = context.channel.isWritable
        signal.set(writable: writable)
        if heldRead && writable {
            heldRead = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        // Nothing will be written any more: nobody may wait for it.
        signal.set(writable: true)
        context.fireChannelInactive()
    }
}

/// Whether a channel is writable, for tasks to wait on: set from the event loop by
/// ``WritabilityGate``, awaited by the connection's read loop.
final class WritabilitySignal: Sendable {
    private let state = Mutex<(writable: Bool, waiters: [CheckedContinuation<Void, Never>])>((true, []))

    func set(writable: Bool) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.writable = writable
            guard writable else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns at once while writable, else once the channel turns writable again.
    func writable() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.writable { return true }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }
}

@available(*, unavailable)
extension WritabilityGate: Sendable {}
