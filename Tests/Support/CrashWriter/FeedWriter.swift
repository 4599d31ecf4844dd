import DocumentStore
import Foundation

/// `feedwrite` mode: the other process of the change-feed tests. Inserts `--ops` documents
/// `{"id": n, "t": <seconds since 1970 just before the insert>}` into `--table` (which the
/// parent created with its change log on), one every `--interval-ms` (20 by default), and
/// prints `ACK n` after each.
/// A feed in the parent measures from `t` to its delivery: the write's own time included.
struct FeedWriter {
    let options: Options

    func run() async throws {
        let store = try DocumentStore(path: options.db)
        let table = store.table(options.table.isEmpty ? "t" : options.table)
        LineOutput.line("READY")
        for n in 0..<(options.ops == Int.max ? 100 : options.ops) {
            let document: Document = ["id": .number(Double(n)), "t": .number(Date().timeIntervalSince1970)]
            try await table.insert(document, durability: options.durability)
            LineOutput.line("ACK \(n)")
            try await Task.sleep(for: .milliseconds(options.intervalMilliseconds))
        }
    }
}
