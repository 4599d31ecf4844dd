import DocumentStore
import ReQL
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// The RethinkDB-protocol TCP server behind `docstore serve`.
///
/// It owns the sockets and the event loops; queries go to a ``QueryRunning`` runner. Its life
/// has three calls: ``start()`` binds (so the caller learns the real port before anything else
/// happens), ``run()`` serves until ``shutdown()`` is called, then lets running queries finish
/// (for at most the configured grace period), closes the runner and stops the event loops.
///
/// Each connection is served in its own child task of one task group and never throws into it,
/// so a misbehaving client can only end its own connection.
public final class DocStoreServer: Sendable {
    public let configuration: ServerConfiguration

    private let runner: any QueryRunning
    private let closeRunner: @Sendable () -> Void
    private let users: UserCredentials
    /// The users a handshake checks against; nil for a runner with no users of its own, whose
    /// only user is `admin` with the configured password (``users``).
    private let userStore: UserStore?
    private let random: RandomByteSource
    private let serverInfo: Document
    private let logger: Logger
    private let group: MultiThreadedEventLoopGroup
    private let registry: ConnectionRegistry
    private let state = Mutex(State())

    private struct State {
        var serverChannel: NIOAsyncChannel<ServerConnection?, Never>?
        /// Made by ``start()`` when the configuration names a certificate and key.
        var tls: NIOSSLContext?
        var isRunning = false
        var isShutdownRequested = false
    }

    /// Creates a server for `runner`; `closeRunner` is called once, after the last query has
    /// finished (or the grace period is over), because only the server knows when that is.
    ///
    /// Derives the admin user's SCRAM keys (4096 rounds of PBKDF2) here, once, rather than on
    /// every login.
    init(
        configuration: ServerConfiguration,
        runner: any QueryRunning,
        logger: Logger,
        random: RandomByteSource = .system,
        userStore: UserStore? = nil,
        closeRunner: @escaping @Sendable () -> Void = {}
    ) {
        self.configuration = configuration
        self.userStore = userStore
        self.runner = runner
        self.closeRunner = closeRunner
        self.random = random
        self.users = UserCredentials.admin(password: configuration.adminPassword, random: random)
        self.serverInfo = [
            // The id `server_status` shows, when the runner has one.
            "id": .string((runner as? ReqlEngine)?.system.identity.id ?? UUID().uuidString.lowercased()),
            "name": .string((runner as? ReqlEngine)?.system.identity.name ?? configuration.serverName),
            "proxy": false,
        ]
        self.logger = logger
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoopThreads))
        self.registry = ConnectionRegistry(limit: max(1, configuration.maxConnections))
    }

    /// Unsent response bytes past which a connection stops reading queries, and below which it
    /// reads again: enough for a batch of large documents in flight, small enough that clients
    /// that never read cannot grow the server.
    static let outboundHighWater = 1 << 20
    static let outboundLowWater = 256 << 10

    /// Binds the listening socket and returns the port it got, which differs from the
    /// configured one when that was 0.
    ///
    /// On failure (the port is taken, the host does not resolve) the runner is closed and the
    /// event loops stopped: the server cannot be used any more.
    public func start() async throws -> Int {
        let channel: NIOAsyncChannel<ServerConnection?, Never>
        do {
            let tls: NIOSSLContext?
            do {
                tls = try self.configuration.tls.map { try $0.makeContext() }
            } catch {
                throw ServerError.invalidTLSFiles("\(error)")
            }
            self.state.withLock { $0.tls = tls }
            channel = try await ServerBootstrap(group: self.group)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(ChannelOptions.backlog, value: 256)
                .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                // Past 1 MiB of unsent answers a connection stops reading queries (WritabilityGate).
                .childChannelOption(ChannelOptions.writeBufferWaterMark,
                                    value: .init(low: Self.outboundLowWater, high: Self.outboundHighWater))
                .bind(host: self.configuration.host, port: self.configuration.port) { child in
                    child.eventLoop.makeCompletedFuture {
                        try self.accept(child)
                    }
                }
        } catch {
            self.closeRunner()
            try? await self.group.shutdownGracefully()
            throw error
        }
        let shutdownAlready = self.state.withLock { state in
            state.serverChannel = channel
            return state.isShutdownRequested
        }
        if shutdownAlready {
            channel.channel.close(promise: nil)
        }
        let port = channel.channel.localAddress?.port ?? self.configuration.port
        self.logger.info("listening", metadata: ["host": "\(self.configuration.host)", "port": "\(port)"])
        if let engine = self.runner as? ReqlEngine {
            engine.system.listening(host: self.configuration.host, port: port) { [registry] in registry.count }
        }
        return port
    }

    /// Serves connections until ``shutdown()``, then drains and releases everything.
    ///
    /// - Throws: ``ServerError/notStarted`` when ``start()`` has not succeeded, or the server is
    ///   already running.
    public func run() async throws {
        let channel = try self.state.withLock { state throws(ServerError) in
            guard let channel = state.serverChannel, !state.isRunning else {
                throw ServerError.notStarted
            }
            state.isRunning = true
            return channel
        }
        let watchdog = try await channel.executeThenClose { inbound in
            await withDiscardingTaskGroup(returning: Task<Void, Never>.self) { group in
                do {
                    for try await connection in inbound {
                        guard let connection else { continue }
                        group.addTask {
                            await connection.serve(
                                runner: self.runner,
                                serverInfo: self.serverInfo,
                                registry: self.registry
                            )
                        }
                    }
                } catch {
                    self.logger.error("accepting connections failed", metadata: ["error": "\(error)"])
                }
                self.registry.close()
                self.logger.info(
                    "shutting down: waiting for running queries",
                    metadata: ["connections": "\(self.registry.count)"]
                )
                // Cancelling a connection's task stops its reads, and its session then cancels the
                // queries it started (noreply writes excepted), which end within milliseconds.
                // The watchdog bounds the wait for whatever does not.
                let watchdog = Task { [registry, grace = self.configuration.shutdownGracePeriod, logger] in
                    try? await Task.sleep(for: grace)
                    if !Task.isCancelled {
                        logger.warning("grace period over: closing remaining connections")
                        registry.forceCloseAll()
                    }
                }
                group.cancelAll()
                return watchdog
            }
        }
        watchdog.cancel()
        self.closeRunner()
        try? await self.group.shutdownGracefully()
        self.logger.info("stopped")
    }

    /// Stops accepting connections; ``run()`` then finishes the work in progress and returns.
    /// Safe to call from any thread, more than once, and before ``run()``.
    public func shutdown() {
        let channel = self.state.withLock { state in
            state.isShutdownRequested = true
            return state.serverChannel
        }
        channel?.channel.close(promise: nil)
    }

    /// The child channel initializer: refuses connections over the limit, then installs the
    /// handshake in front of the frame decoder.
    private func accept(_ child: any Channel) throws -> ServerConnection? {
        var logger = self.logger
        if let remote = child.remoteAddress, let ip = remote.ipAddress, let port = remote.port {
            logger[metadataKey: "remote"] = "\(ip):\(port)"
        }
        guard let id = self.registry.admit(child) else {
            logger.warning(
                "connection refused: too many connections",
                metadata: ["limit": "\(self.registry.limit)"]
            )
            child.close(promise: nil)
            return nil
        }
        logger[metadataKey: "connection"] = "\(id)"
        logger.info("connection opened")
        let registry = self.registry
        child.closeFuture.whenComplete { _ in registry.remove(id) }

        let operations = child.pipeline.syncOperations
        // TLS first: with a certificate configured, a client that does not start with a TLS
        // handshake gets nothing but a closed connection.
        if let tls = self.state.withLock({ $0.tls }) {
            try operations.addHandler(NIOSSLServerHandler(context: tls))
        }
        let user = AuthenticatedUser()
        let credentials = self.userStore?.credentials() ?? self.users
        let (seconds, attoseconds) = self.configuration.handshakeTimeout.components
        let timeout = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        let gate = WritabilityGate()
        try operations.addHandler(gate)
        try operations.addHandler(
            HandshakeHandler(users: credentials, random: self.random, timeout: timeout, authenticatedUser: user, logger: logger)
        )
        try operations.addHandler(ByteToMessageHandler(QueryFrameDecoder()))
        let asyncChannel = try NIOAsyncChannel<QueryFrame, ByteBuffer>(wrappingChannelSynchronously: child)
        var connection = ServerConnection(id: id, channel: asyncChannel, writability: gate.signal, logger: logger)
        connection.user = user
        return connection
    }
}

/// Misuse of ``DocStoreServer``'s life cycle.
public enum ServerError: Error, Sendable {
    /// ``DocStoreServer/run()`` was called before a successful ``DocStoreServer/start()``, or twice.
    case notStarted
    /// The TLS certificate or key could not be read or used (the reason, from NIOSSL).
    case invalidTLSFiles(String)
}

extension DocStoreServer {
    /// A server over the ReQL engine for the databases in `dataDirectory`; the engine is closed
    /// when the server stops, after the last query has finished with it.
    ///
    /// This is the initializer the CLI uses. The engine is built here, inside the module,
    /// because ``QueryRunning`` and the engine type are the query layer's internal contract
    /// rather than API; the runner-taking initializer stays internal for the same reason, and
    /// tests reach it with `@testable import`.
    ///
    /// - Throws: whatever opening the data directory throws.
    public convenience init(configuration: ServerConfiguration, dataDirectory: String, logger: Logger) throws {
        // An empty configured password leaves admin's stored one (empty on a new directory).
        let password = configuration.adminPassword.isEmpty ? nil : configuration.adminPassword
        let engine = try ReqlEngine(dataDirectory: dataDirectory, adminPassword: password, logger: logger,
                                    serverName: configuration.serverName)
        self.init(configuration: configuration, runner: engine, logger: logger, userStore: engine.users, closeRunner: { engine.close() })
    }
}
