import Logging
import NIOCore

/// Runs the V1_0 handshake at the front of a connection's pipeline, then steps aside.
///
/// Until the client has authenticated, every byte goes to ``HandshakeStateMachine`` and nothing
/// reaches the query frame decoder behind this handler; afterwards bytes pass straight through,
/// starting with whatever the client pipelined behind its final handshake message. Staying in
/// the pipeline as a pass-through is simpler than removing itself mid-read and costs one call.
final class HandshakeHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var machine: HandshakeStateMachine
    private var isAuthenticated = false
    private var hasFailed = false
    private let logger: Logger
    private let timeout: TimeAmount
    private var timeoutTask: Scheduled<Void>?
    private let authenticatedUser: AuthenticatedUser?

    /// - Parameter timeout: how long a client may take to authenticate. Without a limit, a
    ///   client that connects and sends nothing would hold one of the server's connection slots
    ///   for ever; enough of them would lock every other client out.
    /// - Parameter authenticatedUser: told who logged in, for the connection's queries.
    init(
        users: UserCredentials,
        random: RandomByteSource = .system,
        timeout: TimeAmount = .seconds(30),
        authenticatedUser: AuthenticatedUser? = nil,
        logger: Logger
    ) {
        self.machine = HandshakeStateMachine(users: users, random: random)
        self.authenticatedUser = authenticatedUser
        self.timeout = timeout
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        let logger = self.logger
        self.timeoutTask = context.eventLoop.scheduleTask(in: self.timeout) {
            logger.info("handshake timed out")
            channel.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timeoutTask?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if self.isAuthenticated {
            context.fireChannelRead(data)
            return
        }
        guard !self.hasFailed else { return }
        var buffer = Self.unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        let step = self.machine.receive(bytes)

        var lastWrite: EventLoopFuture<Void>?
        for reply in step.replies {
            lastWrite = context.write(Self.wrapOutboundOut(context.channel.allocator.buffer(bytes: reply)))
        }
        context.flush()

        switch step.verdict {
        case .needMoreData:
            break
        case .failed(let error):
            self.hasFailed = true
            if let error {
                // The code and fixed text only: SCRAM messages carry the proof, never log them.
                self.logger.info(
                    "handshake refused",
                    metadata: ["error_code": "\(error.code)", "error": "\(error.message)"]
                )
            } else {
                self.logger.info("handshake refused: unsupported protocol version")
            }
            // Close only once the error is on the wire, so the client can read why.
            let channel = context.channel
            if let lastWrite {
                lastWrite.whenComplete { _ in channel.close(promise: nil) }
            } else {
                channel.close(promise: nil)
            }
        case .authenticated(let user, let leftover):
            self.isAuthenticated = true
            self.authenticatedUser?.set(user)
            self.timeoutTask?.cancel()
            self.logger.info("client authenticated", metadata: ["user": "\(user)"])
            if !leftover.isEmpty {
                context.fireChannelRead(Self.wrapInboundOut(context.channel.allocator.buffer(bytes: leftover)))
            }
        }
    }
}

/// Handlers belong to one channel's event loop; nothing should carry one across threads.
@available(*, unavailable)
extension HandshakeHandler: Sendable {}
