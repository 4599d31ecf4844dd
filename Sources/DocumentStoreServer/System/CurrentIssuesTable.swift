import DocumentStore
import ReQL

/// `rethinkdb.current_issues`: the problems RethinkDB reports (unreachable servers, name
/// collisions, outdated indexes, log write failures). A single server with one file per
/// database has none of them to report, so the table is always empty. Read-only.
struct CurrentIssuesTable: SystemTable {
    let name = "current_issues"

    func rows(_ context: SystemContext) throws(ReqlError) -> [Document] {
        []
    }
}
