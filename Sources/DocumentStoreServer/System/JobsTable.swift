import DocumentStore
import Foundation
import ReQL

/// `rethinkdb.jobs`: the queries running now (``JobRegistry``), this one included. Deleting
/// a job's row interrupts its query, as in RethinkDB; nothing else may be written.
struct JobsTable: SystemTable {
    let name = "jobs"

    func rows(_ context: SystemContext) throws(ReqlError) -> [Document] {
        let now = Date()
        return context.system.jobs.jobs.map { job in
            [
                "duration_sec": .number(now.timeIntervalSince(job.started)),
                "id": ["query", .string(job.id)],
                // The query's wire form: DocStore keeps no ReQL source text of it.
                "info": ["query": .string(job.query), "user": "admin"],
                "servers": [context.server],
                "type": "query",
            ]
        }
    }

    func write(key: Document, old: Document?, new: Document?, _ context: SystemContext) throws(ReqlError) {
        guard new == nil else {
            throw .runtime(.opFailed, "The `rethinkdb.jobs` system table only allows deletions, not inserts or updates.")
        }
        guard case .array(let parts) = key, parts.count == 2, case .string(let type) = parts[0], case .string(let id) = parts[1] else {
            return
        }
        guard type == "query" else {
            throw .runtime(.opFailed, "Jobs of type `\(type)` cannot be interrupted.")
        }
        context.system.jobs.cancel(id)
    }
}
