import DocumentStore
import Foundation
import ReQL

/// `rethinkdb.server_status`: this server's one row: its process (the RethinkDB version it
/// follows and DocStore's own, as `rethinkdb 2.4.4 (DocStore 0.1.0)`: RethinkDB's tools read
/// the version there) and its network. Read-only.
struct ServerStatusTable: SystemTable {
    let name = "server_status"

    func rows(_ context: SystemContext) throws(ReqlError) -> [Document] {
        let identity = context.identity
        let network = context.system.networkState
        let host = ProcessInfo.processInfo.hostName
        let started = Document.time(identity.started)
        var networkRow: DocumentObject = [
            "cluster_port": .null,
            "connected_to": [:],
            "hostname": .string(host),
            "http_admin_port": "<no http admin>",
            "time_connected": started,
        ]
        if let port = network.port {
            networkRow["reql_port"] = .number(Double(port))
            networkRow["canonical_addresses"] = [["host": .string(network.host ?? "127.0.0.1"), "port": .number(Double(port))]]
        }
        return [[
            "id": .string(identity.id),
            "name": .string(identity.name),
            "network": .object(networkRow),
            "process": [
                "argv": .array(CommandLine.arguments.map(Document.string)),
                "pid": .number(Double(ProcessInfo.processInfo.processIdentifier)),
                "time_started": started,
                "version": .string(ServerIdentity.versionText),
            ],
        ]]
    }
}

extension Document {
    /// A ReQL TIME pseudo-type for a moment, in UTC, as RethinkDB's system tables give times.
    static func time(_ date: Date) -> Document {
        ["$reql_type$": "TIME", "epoch_time": .number((date.timeIntervalSince1970 * 1000).rounded() / 1000), "timezone": "+00:00"]
    }
}
