import DocumentStore
import Foundation
import ReQL

/// `rethinkdb.logs`: the server's recent events (``LogBook``), one row each, keyed as
/// RethinkDB keys them by time and server. Read-only.
struct LogsTable: SystemTable {
    let name = "logs"

    func rows(_ context: SystemContext) throws(ReqlError) -> [Document] {
        let identity = context.identity
        return context.system.logs.all.map { entry in
            let seconds = entry.time.timeIntervalSince1970
            return [
                "id": [.string(String(format: "%.6f", seconds) + "-\(entry.sequence)"), .string(identity.id)],
                "level": .string(entry.level),
                "message": .string(entry.message),
                "server": context.server,
                "timestamp": .time(entry.time),
                "uptime": .number(entry.time.timeIntervalSince(identity.started)),
            ]
        }
    }

    func write(key: Document, old: Document?, new: Document?, _ context: SystemContext) throws(ReqlError) {
        throw .runtime(.opFailed, "It's illegal to write to the `rethinkdb.logs` system table.")
    }
}
