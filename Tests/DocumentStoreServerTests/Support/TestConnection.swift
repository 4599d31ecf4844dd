import DocumentStore
import Logging
import NIOCore
import NIOPosix
import NIOSSL

@testable import DocumentStoreServer

/// A raw TCP client for end-to-end tests: sends bytes and reads NUL-terminated handshake
/// messages or response frames, the way a driver does.
final class TestConnection {
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let writer: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var pending: [UInt8] = []

    private init(
        iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
        writer: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) {
        self.iterator = iterator
        self.writer = writer
    }

    /// Connects to the server on loopback, runs `body`, then closes the connection.
    /// With `tls`, the connection is TLS to a server named `localhost`.
    static func with<Result: Sendable>(
        port: Int,
        tls: NIOSSLContext? = nil,
        _ body: (TestConnection) async throws -> Result
    ) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: tls, serverHostname: "localhost"))
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            let connection = TestConnection(iterator: inbound.makeAsyncIterator(), writer: outbound)
            return try await body(connection)
        }
    }

    func send(_ bytes: [UInt8]) async throws {
        try await self.writer.write(ByteBuffer(bytes: bytes))
    }

    /// Sends one query frame.
    func send(token: UInt64, _ json: String) async throws {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: token.littleEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(json.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
        try await self.send(bytes + Array(json.utf8))
    }

    /// Reads more bytes into the buffer; false at end of stream.
    private func fill() async throws -> Bool {
        guard var buffer = try await self.iterator.next() else {
            return false
        }
        self.pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        return true
    }

    /// Reads up to and including the next NUL, returning the text before it; nil at end of stream.
    func readMessage() async throws -> String? {
        while true {
            if let end = self.pending.firstIndex(of: 0) {
                let message = String(decoding: self.pending[..<end], as: UTF8.self)
                self.pending.removeFirst(end + 1)
                return message
            }
            guard try await self.fill() else { return nil }
        }
    }

    /// Reads one response frame: its token and JSON text; nil at end of stream.
    func readFrame() async throws -> (token: UInt64, json: String)? {
        while self.pending.count < 12 {
            guard try await self.fill() else { return nil }
        }
        let token = self.pending[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let length = Int(self.pending[8..<12].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        while self.pending.count < 12 + length {
            guard try await self.fill() else { return nil }
        }
        let json = String(decoding: self.pending[12..<(12 + length)], as: UTF8.self)
        self.pending.removeFirst(12 + length)
        return (token, json)
    }

    /// Reads until the server closes, returning everything not read yet.
    func readToEnd() async throws -> [UInt8] {
        while try await self.fill() {}
        defer { self.pending = [] }
        return self.pending
    }

    /// Runs the whole V1_0 handshake as the Python driver does. Returns the server's last
    /// message (the signature on success, the error JSON on failure) and the signature message
    /// a server that knows the password must send.
    func authenticate(
        user: String = "admin",
        password: String
    ) async throws -> (reply: String?, expected: String) {
        let client = ScramTestClient(user: user, password: password)
        try await self.send(client.openingBytes)
        _ = try await self.readMessage()  // the hello
        guard let serverFirst = try await self.readMessage() else { return (nil, "") }
        let authentication = (try? Document(parsing: serverFirst))?["authentication"]?.stringValue ?? ""
        let final = client.finalMessage(serverFirst: authentication)
        try await self.send(ScramTestClient.finalBytes(final.message))
        let expected = #"{"authentication":"\#(final.expectedServerSignature)","success":true}"#
        return (try await self.readMessage(), expected)
    }
}

/// A running server over a fake runner, on a free loopback port, for one test.
struct RunningServer {
    let server: DocStoreServer
    let port: Int
    let runner: FakeQueryRunner
    let runTask: Task<Void, any Error>

    static func start(
        password: String = "",
        maxConnections: Int = 16,
        gracePeriod: Duration = .seconds(5),
        handshakeTimeout: Duration = .seconds(30),
        closed: @escaping @Sendable () -> Void = {}
    ) async throws -> RunningServer {
        let runner = FakeQueryRunner()
        let configuration = ServerConfiguration(
            host: "127.0.0.1",
            port: 0,
            adminPassword: password,
            maxConnections: maxConnections,
            shutdownGracePeriod: gracePeriod,
            handshakeTimeout: handshakeTimeout,
            eventLoopThreads: 1,
            serverName: "test"
        )
        let server = DocStoreServer(
            configuration: configuration,
            runner: runner,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            closeRunner: closed
        )
        let port = try await server.start()
        let runTask = Task { try await server.run() }
        return RunningServer(server: server, port: port, runner: runner, runTask: runTask)
    }

    /// Shuts the server down and waits until it has stopped.
    func stop() async throws {
        self.server.shutdown()
        try await self.runTask.value
    }
}
