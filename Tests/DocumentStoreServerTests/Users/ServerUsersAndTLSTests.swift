import DocumentStore
import Foundation
import Logging
import NIOSSL
import Testing
@testable import DocumentStoreServer

/// `docstore serve` with users and with TLS: logins checked against each user's own SCRAM
/// keys, and a TLS listener that serves TLS clients and drops plaintext ones. The certificate
/// is made by the openssl command for each run.
@Suite("Server users and TLS")
struct ServerUsersAndTLSTests {
    /// A data directory and a server on it (with TLS when `tls`), stopped and removed after `body`.
    static func withServer(
        tls: Bool = false,
        prepare: (String) throws -> Void = { _ in },
        _ body: (_ port: Int, _ certificate: String) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try prepare(directory)
        // A long handshake timeout: beside the rest of the suite on two cores, PBKDF2 and TLS in
        // a debug build can take longer than the default 30 seconds.
        var configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, handshakeTimeout: .seconds(300), eventLoopThreads: 1, serverName: "test")
        let certificate = (directory as NSString).appendingPathComponent("cert.pem")
        if tls {
            let key = (directory as NSString).appendingPathComponent("key.pem")
            try makeCertificate(certificate: certificate, key: key)
            configuration.tls = TLSFiles(certificatePath: certificate, keyPath: key)
        }
        let server = try DocStoreServer(
            configuration: configuration,
            dataDirectory: (directory as NSString).appendingPathComponent("data"),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let port = try await server.start()
        let running = Task { try await server.run() }
        do {
            try await body(port, certificate)
        } catch {
            server.shutdown()
            try await running.value
            throw error
        }
        server.shutdown()
        try await running.value
    }

    /// A self-signed certificate for `localhost`, as `openssl req -x509` makes one.
    static func makeCertificate(certificate: String, key: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", key, "-out", certificate, "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
        ]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "openssl could not make a certificate")
    }

    /// A client context that trusts only `certificate`.
    static func clientContext(trusting certificate: String) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificate))
        return try NIOSSLContext(configuration: configuration)
    }

    @Test("A user added to the users file logs in with their own password, and only with it")
    func userLogsIn() async throws {
        let prepare: (String) throws -> Void = { directory in
            let data = (directory as NSString).appendingPathComponent("data")
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            _ = try UsersTable(store: try UserStore(directory: data)).write(key: "bob", new: ["id": "bob", "password": "hunter2"])
        }
        try await Self.withServer(prepare: prepare) { port, _ in
            let good = try await TestConnection.with(port: port) { try await $0.authenticate(user: "bob", password: "hunter2") }
            #expect(good.reply == good.expected)
            let bad = try await TestConnection.with(port: port) { try await $0.authenticate(user: "bob", password: "wrong") }
            #expect(bad.reply?.contains(#""error_code":12"#) == true)
            let nobody = try await TestConnection.with(port: port) { try await $0.authenticate(user: "carol", password: "") }
            #expect(nobody.reply?.contains(#""error_code":17"#) == true)
        }
    }

    @Test("With a certificate, TLS clients get the handshake and log in")
    func tlsClientsServed() async throws {
        try await Self.withServer(tls: true) { port, certificate in
            let context = try Self.clientContext(trusting: certificate)
            let result = try await TestConnection.with(port: port, tls: context) { try await $0.authenticate(password: "") }
            #expect(result.reply == result.expected)
            let answer = try await TestConnection.with(port: port, tls: context) { connection in
                _ = try await connection.authenticate(password: "")
                try await connection.send(token: 1, #"[1,[59,[]],{}]"#)
                return try await connection.readFrame()
            }
            #expect(answer?.json.contains("test") == true)
        }
    }

    @Test("With a certificate, a plaintext client gets no reply and is disconnected")
    func plaintextRefused() async throws {
        try await Self.withServer(tls: true) { port, _ in
            let bytes = try await TestConnection.with(port: port) { connection in
                // What a driver sends first: the magic number and its SCRAM hello.
                try await connection.send(ScramTestClient(user: "admin", password: "").openingBytes)
                return try await connection.readToEnd()
            }
            #expect(!String(decoding: bytes, as: UTF8.self).contains("max_protocol_version"))
        }
    }
}
