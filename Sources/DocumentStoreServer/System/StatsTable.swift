import DocumentStore
import Foundation
import ReQL

/// `rethinkdb.stats`: queries and documents read and written, for the cluster, the server,
/// each table, and each table on the server (``ServerStatistics``), as RethinkDB's rows.
/// Read-only.
struct StatsTable: SystemTable {
    let name = "stats"

    func rows(_ context: SystemContext) throws(ReqlError) -> [Document] {
        let now = Date()
        let stats = context.system.stats
        let server = stats.server
        let connections = Double(context.system.networkState.connections?() ?? 0)
        let active = Double(context.system.jobs.jobs.count)
        let serverId = Document.string(context.identity.id)
        var rows: [Document] = [
            ["id": ["cluster"],
             "query_engine": ["client_connections": .number(connections), "clients_active": .number(active),
                              "queries_per_sec": .number(server.queries.perSecond(now: now)),
                              "read_docs_per_sec": .number(server.readDocs.perSecond(now: now)),
                              "written_docs_per_sec": .number(server.writtenDocs.perSecond(now: now))]],
            ["id": ["server", serverId], "server": context.server,
             "query_engine": ["client_connections": .number(connections), "clients_active": .number(active),
                              "queries_per_sec": .number(server.queries.perSecond(now: now)),
                              "queries_total": .number(Double(server.queries.total)),
                              "read_docs_per_sec": .number(server.readDocs.perSecond(now: now)),
                              "read_docs_total": .number(Double(server.readDocs.total)),
                              "written_docs_per_sec": .number(server.writtenDocs.perSecond(now: now)),
                              "written_docs_total": .number(Double(server.writtenDocs.total))]],
        ]
        for config in try context.tableConfigs() {
            let counts = stats.table("\(config.database).\(config.name)")
            let table = Document.string(config.id)
            let naming: DocumentObject = ["db": context.database(config.database), "table": .string(config.name)]
            var tableRow = naming
            tableRow["id"] = ["table", table]
            tableRow["query_engine"] = ["read_docs_per_sec": .number(counts.readDocs.perSecond(now: now)),
                                        "written_docs_per_sec": .number(counts.writtenDocs.perSecond(now: now))]
            var serverRow = naming
            serverRow["id"] = ["table_server", table, serverId]
            serverRow["server"] = context.server
            serverRow["query_engine"] = ["read_docs_per_sec": .number(counts.readDocs.perSecond(now: now)),
                                         "read_docs_total": .number(Double(counts.readDocs.total)),
                                         "written_docs_per_sec": .number(counts.writtenDocs.perSecond(now: now)),
                                         "written_docs_total": .number(Double(counts.writtenDocs.total))]
            rows += [.object(tableRow), .object(serverRow)]
        }
        return rows
    }
}
