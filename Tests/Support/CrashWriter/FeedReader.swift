import DocumentStore
import Foundation

/// `feedread` mode: the following side of the cross-process latency test, in a process of its
/// own so that what else the test runner does cannot delay it. Opens a feed on `--table`,
/// prints `READY`, then for each of `--ops` changes `LATENCY <milliseconds>`: from the `t` a
/// `feedwrite` process put in the document just before inserting it, to the delivery.
struct FeedReader {
    let options: Options

    func run() async throws {
        let store = try DocumentStore(path: options.db)
        let table = store.table(options.table.isEmpty ? "t" : options.table)
        var feed = try await table.changes().start()
        LineOutput.line("READY")
        for _ in 0..<(options.ops == Int.max ? 100 : options.ops) {
            guard let change = try await feed.next() else { return }
            let arrived = Date().timeIntervalSince1970
            let written = change.newValue?["t"]?.doubleValue ?? arrived
            LineOutput.line("LATENCY \((arrived - written) * 1000)")
        }
    }
}
