import DocumentStore
import Foundation
import NIOPosix
import ReQL
import Synchronization

/// The `rethinkdb` database of `docstore serve`: RethinkDB's system tables for a one-server
/// cluster, made from the server's state when they are read. One instance lives as long as
/// the server's query engine and holds what the tables show that no database file keeps:
/// the server's identity, its running queries, its counters and its recent events; and the
/// tables it keeps in memory: `_debug_scratch`, and the copies its change feeds read.
///
/// ```swift
/// let system = try SystemDatabase(registry: registry, serverName: "docstore", pool: queryThreads)
/// system.table(named: "server_status")?.rows(context)
/// ```
final class SystemDatabase: Sendable {
    static let name = "rethinkdb"

    /// Every system table but `users` and `permissions`, which come with user accounts.
    static let tables: [any SystemTable] = [
        ClusterConfigTable(), CurrentIssuesTable(), DbConfigTable(), JobsTable(), LogsTable(),
        ServerConfigTable(), ServerStatusTable(), StatsTable(), TableConfigTable(), TableStatusTable(),
    ]

    let registry: DatabaseRegistry
    let identity: ServerIdentity
    let jobs = JobRegistry()
    let stats = ServerStatistics()
    let logs = LogBook()
    let memory: SystemMemoryStore
    let feeds: SystemFeeds
    /// `cluster_config`'s `heartbeat` row: kept and shown, though one server has no peers.
    let heartbeatTimeout = Mutex<Double>(10)
    private let network = Mutex<Network>(Network())

    /// What only the TCP server knows: where it listens and how many clients it has.
    struct Network: Sendable {
        var host: String?
        var port: Int?
        var connections: (@Sendable () -> Int)?
    }

    /// `pool` runs the feeds' refreshes: the server's query threads, which may wait for the library.
    init(registry: DatabaseRegistry, serverName: String, pool: NIOThreadPool) throws {
        self.registry = registry
        memory = try SystemMemoryStore()
        feeds = SystemFeeds(memory: memory, pool: pool)
        identity = try ServerIdentity(directory: registry.directory, defaultName: serverName)
        logs.record("notice", "Running \(ServerIdentity.versionText)...")
        logs.record("notice", "Server ready, \"\(identity.name)\" \(identity.id)")
    }

    func table(named name: String) -> (any SystemTable)? {
        Self.tables.first { $0.name == name }
    }

    static var tableNames: [String] {
        tables.map(\.name).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Called by the TCP server once it listens.
    func listening(host: String, port: Int, connections: @escaping @Sendable () -> Int) {
        network.withLock { $0 = Network(host: host, port: port, connections: connections) }
    }

    var networkState: Network { network.withLock { $0 } }

    /// The error of a table term the system database does not take (`table_create` in it,
    /// `config()` of its tables...), in RethinkDB's words.
    static func special(_ what: String) -> ReqlError {
        .runtime(.opFailed, "Database `\(name)` is special; \(what)")
    }
}
