import ArgumentParser
import Dispatch
import DocumentStore
import DocumentStoreServer
import Foundation
import Logging

/// `docstore serve`: speaks RethinkDB's client protocol so the official drivers can write to
/// DocStore.
///
/// The command owns only process concerns: the data directory, the password file, signals and
/// the "listening" line scripts wait for. Everything about connections lives in
/// ``DocStoreServer``.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the RethinkDB client protocol (V1_0) over a directory of SQLite databases.",
        discussion: """
            Clients log in as user admin, with the empty password unless --password-file names a file whose first line is the password, or as a user added to rethinkdb.users (kept in DIR/users.json). With --tls-cert and --tls-key the server accepts TLS connections only. The server listens on 127.0.0.1 unless --bind says otherwise; --port 0 picks a free port. When ready it prints one line on stderr:

              docstore serve: listening on HOST:PORT, data in DIR

            SIGINT or SIGTERM stop it: it stops accepting connections, lets running queries finish (for up to 10 seconds), then closes the databases.

            Example:
              docstore serve --data-dir ./data &
              python3 -c 'from rethinkdb import r; print(r.db_list().run(r.connect()))'
            """
    )

    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp("Where the databases live (created if missing).", valueName: "dir")
    )
    var dataDirectory = "./docstore-data"

    @Option(help: ArgumentHelp("The address to listen on.", valueName: "host"))
    var bind = "127.0.0.1"

    @Option(help: ArgumentHelp("The TCP port; 0 picks a free one.", valueName: "port"))
    var port = 28015

    @Option(
        name: .customLong("password-file"),
        help: ArgumentHelp("A file whose first line is the admin user's password.", valueName: "file")
    )
    var passwordFile: String?

    @Option(
        name: .customLong("max-connections"),
        help: ArgumentHelp("Connections beyond this many are closed at once.", valueName: "n")
    )
    var maxConnections = 256

    @Option(
        name: .customLong("tls-cert"),
        help: ArgumentHelp("A PEM certificate (chain): serve TLS only, with --tls-key.", valueName: "file")
    )
    var tlsCertificate: String?

    @Option(
        name: .customLong("tls-key"),
        help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "file")
    )
    var tlsKey: String?

    func validate() throws {
        guard (tlsCertificate == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key must be given together.")
        }
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535.")
        }
        guard maxConnections >= 1 else {
            throw ValidationError("--max-connections must be at least 1.")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let password = try readPassword()
            do {
                try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            } catch {
                throw CommandFailure("cannot create the data directory \(dataDirectory): \(error.localizedDescription)")
            }
            // Logs go to stderr, leaving stdout free; no LoggingSystem.bootstrap, which may only
            // run once per process and would break running the command twice in tests.
            let logger = Logger(label: "docstore.serve", factory: { StreamLogHandler.standardError(label: $0) })
            let configuration = ServerConfiguration(
                host: bind,
                port: port,
                adminPassword: password,
                maxConnections: maxConnections,
                tls: tlsCertificate.map { TLSFiles(certificatePath: $0, keyPath: tlsKey ?? "") }
            )

            let server: DocStoreServer
            do {
                // Builds the ReQL engine (ReqlEngine) over the data directory.
                server = try DocStoreServer(configuration: configuration, dataDirectory: dataDirectory, logger: logger)
            } catch let error as DocumentStoreError {
                throw error
            } catch {
                throw CommandFailure("cannot open the data directory \(dataDirectory): \(error)")
            }
            let boundPort: Int
            do {
                boundPort = try await server.start()
            } catch ServerError.invalidTLSFiles(let reason) {
                throw CommandFailure("cannot use the TLS certificate and key (\(tlsCertificate ?? ""), \(tlsKey ?? "")): \(reason)")
            } catch {
                throw CommandFailure("cannot listen on \(bind):\(port): \(error)")
            }

            let signalSources = Signals.onInterrupt {
                Output.note("docstore serve: stopping")
                server.shutdown()
            }
            Output.note("docstore serve: listening on \(bind):\(boundPort), data in \(dataDirectory)")
            try await server.run()
            for source in signalSources {
                source.cancel()
            }
        }
    }

    private func readPassword() throws -> String {
        guard let passwordFile else { return "" }
        do {
            return try ServerConfiguration.readPasswordFile(atPath: passwordFile)
        } catch {
            throw CommandFailure("cannot read the password file \(passwordFile): \(error.localizedDescription)")
        }
    }
}
