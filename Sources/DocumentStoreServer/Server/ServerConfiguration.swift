import Foundation

/// How `docstore serve` listens and whom it lets in.
///
/// A value type with defaults matching a fresh RethinkDB server (port 28015, user `admin` with
/// the empty password), so the CLI only sets what the user gave and tests only what they test.
public struct ServerConfiguration: Sendable {
    /// The address to bind. Loopback by default: a server with the empty admin password must
    /// not be reachable from the network unless someone asks for it.
    public var host: String
    /// The TCP port; 0 lets the system pick a free one (see ``DocStoreServer/start()``).
    public var port: Int
    /// The `admin` user's password. Never logged; see ``description``.
    public var adminPassword: String
    /// Connections beyond this many are closed as soon as they are accepted.
    public var maxConnections: Int
    /// How long shutdown waits for running queries before it closes their connections anyway.
    public var shutdownGracePeriod: Duration
    /// How long a client may take to authenticate before its connection is closed, so clients
    /// that connect and stay silent cannot use up the connection slots.
    public var handshakeTimeout: Duration
    /// Event loop threads for sockets. Queries run on the query layer's own threads, not on these.
    public var eventLoopThreads: Int
    /// The `name` SERVER_INFO reports.
    public var serverName: String
    /// The certificate and key of TLS for driver connections; nil serves plain TCP.
    public var tls: TLSFiles?

    public init(
        host: String = "127.0.0.1",
        port: Int = 28015,
        adminPassword: String = "",
        maxConnections: Int = 256,
        shutdownGracePeriod: Duration = .seconds(10),
        handshakeTimeout: Duration = .seconds(30),
        eventLoopThreads: Int = ProcessInfo.processInfo.activeProcessorCount,
        serverName: String = ServerConfiguration.defaultServerName,
        tls: TLSFiles? = nil
    ) {
        self.tls = tls
        self.host = host
        self.port = port
        self.adminPassword = adminPassword
        self.maxConnections = maxConnections
        self.shutdownGracePeriod = shutdownGracePeriod
        self.handshakeTimeout = handshakeTimeout
        self.eventLoopThreads = eventLoopThreads
        self.serverName = serverName
    }

    /// The host name made into a RethinkDB server name (letters, digits and `_`), as RethinkDB
    /// derives its default; `docstore` when the host name is empty.
    public static var defaultServerName: String {
        let sanitized = String(
            ProcessInfo.processInfo.hostName.map { character in
                character.isASCII && (character.isLetter || character.isNumber) ? character : "_"
            }
        )
        return sanitized.isEmpty || sanitized == "localhost" ? "docstore" : sanitized
    }

    /// Reads a password the way `--password-file` promises: the file's first line, without its
    /// line ending, so `echo secret > file` works and the newline is not part of the password.
    public static func readPasswordFile(atPath path: String) throws -> String {
        // Bytes, not Characters: "\r\n" is a single Character and would hide the "\n".
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        var line = bytes.prefix { $0 != UInt8(ascii: "\n") }
        if line.last == UInt8(ascii: "\r") {
            line = line.dropLast()
        }
        return String(decoding: line, as: UTF8.self)
    }
}

extension ServerConfiguration: CustomStringConvertible {
    /// Everything but the password, so a configuration can be logged whole.
    public var description: String {
        "ServerConfiguration(host: \(self.host), port: \(self.port), adminPassword: <redacted>, "
            + "maxConnections: \(self.maxConnections), shutdownGracePeriod: \(self.shutdownGracePeriod), "
            + "eventLoopThreads: \(self.eventLoopThreads), serverName: \(self.serverName), "
            + "tls: \(self.tls.map { "\($0.certificatePath)" } ?? "off"))"
    }
}
