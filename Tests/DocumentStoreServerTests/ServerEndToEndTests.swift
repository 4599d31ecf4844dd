import Synchronization
import Testing

@testable import DocumentStoreServer

/// The whole server over real loopback sockets, with a client that speaks the protocol the way
/// the Python driver does.
@Suite(.timeLimit(.minutes(1)))
struct ServerEndToEndTests {
    @Test("A client authenticates with SCRAM-SHA-256 and runs queries")
    func authenticateAndQuery() async throws {
        let server = try await RunningServer.start(password: "s3cret")
        try await TestConnection.with(port: server.port) { connection in
            let (reply, expected) = try await connection.authenticate(password: "s3cret")
            #expect(reply == expected)

            try await connection.send(token: 0, #"[1,["atom",{"hero":"Iron Man"}],{}]"#)
            let atom = try await connection.readFrame()
            #expect(atom?.token == 0)
            #expect(atom?.json == #"{"t":1,"r":[{"hero":"Iron Man"}]}"#)

            try await connection.send(token: 1, #"[1,["stream",3],{}]"#)
            #expect(try await connection.readFrame()?.json == #"{"t":2,"r":[0,1,2],"n":[]}"#)

            try await connection.send(token: 2, "[5]")
            let info = try await connection.readFrame()
            #expect(info?.token == 2)
            #expect(info?.json.hasPrefix(#"{"t":5,"r":[{"id":""#) == true)
            #expect(info?.json.hasSuffix(#"","name":"test","proxy":false}]}"#) == true)
        }
        try await server.stop()
    }

    @Test("A wrong password is refused with error code 12 and the connection is closed")
    func wrongPassword() async throws {
        let server = try await RunningServer.start(password: "s3cret")
        try await TestConnection.with(port: server.port) { connection in
            let (reply, _) = try await connection.authenticate(password: "wrong")
            #expect(reply == #"{"error":"Wrong password","error_code":12,"success":false}"#)
            #expect(try await connection.readToEnd().isEmpty)
        }
        try await server.stop()
    }

    @Test("The default admin user has the empty password, and other users are unknown")
    func defaultAdminAndUnknownUser() async throws {
        let server = try await RunningServer.start()
        try await TestConnection.with(port: server.port) { connection in
            let (reply, expected) = try await connection.authenticate(password: "")
            #expect(reply == expected)
        }
        try await TestConnection.with(port: server.port) { connection in
            let (reply, _) = try await connection.authenticate(user: "bob", password: "")
            #expect(reply == #"{"error":"Unknown user","error_code":17,"success":false}"#)
        }
        try await server.stop()
    }

    @Test("An unsupported protocol version gets the plain-text error and the connection is closed")
    func unsupportedProtocol() async throws {
        let server = try await RunningServer.start()
        try await TestConnection.with(port: server.port) { connection in
            try await connection.send([0x20, 0x2D, 0x0C, 0x40])
            let reply = try await connection.readToEnd()
            let text = String(decoding: reply, as: UTF8.self)
            #expect(text.hasPrefix("ERROR: Received an unsupported protocol version."))
            #expect(reply.last == 0)
        }
        try await server.stop()
    }

    @Test("An oversized query gets the size error and closes only its own connection")
    func oversizedQuery() async throws {
        let server = try await RunningServer.start()
        try await TestConnection.with(port: server.port) { bystander in
            #expect(try await bystander.authenticate(password: "").reply?.contains("v=") == true)
            try await TestConnection.with(port: server.port) { connection in
                #expect(try await connection.authenticate(password: "").reply?.contains("v=") == true)
                var header: [UInt8] = [3, 0, 0, 0, 0, 0, 0, 0]
                withUnsafeBytes(of: UInt32(134_217_728).littleEndian) { header.append(contentsOf: $0) }
                try await connection.send(header)
                let frame = try await connection.readFrame()
                #expect(frame?.token == 3)
                #expect(
                    frame?.json == #"{"t":16,"r":["Query size (134217728) greater than maximum (134217727)."],"b":[]}"#
                )
                #expect(try await connection.readToEnd().isEmpty)
            }
            try await bystander.send(token: 1, #"[1,["atom",1],{}]"#)
            #expect(try await bystander.readFrame()?.json == #"{"t":1,"r":[1]}"#)
        }
        try await server.stop()
    }

    @Test("A client that never authenticates is disconnected, and one that did is not")
    func handshakeTimeout() async throws {
        // Seconds, not milliseconds: the authenticated client must finish its handshake well
        // inside the timeout even when the whole suite runs in parallel on two cores.
        let server = try await RunningServer.start(handshakeTimeout: .seconds(10))
        try await TestConnection.with(port: server.port) { authenticated in
            let reply = try await authenticated.authenticate(password: "").reply
            #expect(reply?.contains("v=") == true)
            try await TestConnection.with(port: server.port) { silent in
                // Sends nothing at all: the server closes the connection after the timeout.
                let received = try await silent.readToEnd()
                #expect(received.isEmpty)
            }
            // The silent one is gone, past the timeout; the authenticated one still works.
            try await authenticated.send(token: 0, "[5]")
            #expect(try await authenticated.readFrame()?.token == 0)
        }
        try await server.stop()
    }

    @Test("Connections beyond the limit are closed at once")
    func connectionLimit() async throws {
        let server = try await RunningServer.start(maxConnections: 1)
        try await TestConnection.with(port: server.port) { first in
            #expect(try await first.authenticate(password: "").reply?.contains("v=") == true)
            try await TestConnection.with(port: server.port) { second in
                let received = try await second.readToEnd()
                #expect(received.isEmpty)
            }
            try await first.send(token: 0, "[5]")
            #expect(try await first.readFrame()?.token == 0)
        }
        try await server.stop()
    }

    @Test("Shutdown lets a running query finish, then closes the runner")
    func gracefulShutdown() async throws {
        let closed = Mutex(false)
        let server = try await RunningServer.start(closed: { closed.withLock { $0 = true } })
        try await TestConnection.with(port: server.port) { connection in
            #expect(try await connection.authenticate(password: "").reply?.contains("v=") == true)
            try await connection.send(token: 5, #"[1,["gated","slow","done"],{}]"#)
            while !server.runner.events.contains(where: { $0.hasPrefix("start:") }) {
                try await Task.sleep(for: .milliseconds(10))
            }
            server.server.shutdown()
            try await Task.sleep(for: .milliseconds(50))
            #expect(!closed.withLock { $0 })
            await server.runner.gates.open("slow")
            #expect(try await connection.readFrame()?.json == #"{"t":1,"r":["done"]}"#)
            #expect(try await connection.readToEnd().isEmpty)
        }
        try await server.runTask.value
        #expect(closed.withLock { $0 })
    }
}
