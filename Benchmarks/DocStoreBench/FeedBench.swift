import DocumentStore
import Foundation

// The change-feed latency across processes.
//
//   docstore-bench feed-latency DB [--count N] [--interval-ms M]
//       creates a table with its change log on, opens a feed on it, and starts a second
//       docstore-bench process (`feed-write`) that inserts N documents (200 by default), one
//       every M ms (20 by default), soft, each carrying the time just before its insert. The
//       feed here measures from that time to the change's delivery: the write's own time
//       included, and the other process's commit reaching this one through the file (there is
//       no notification between processes but the file).
//   docstore-bench feed-write DB --count N --interval-ms M    that second process

extension DocStoreBench {
    static func feedLatency(_ options: Options) async throws {
        let path = options.positional[0]
        let count = Int(options.value("--count") ?? "200") ?? 200
        let interval = options.value("--interval-ms") ?? "20"
        let store = try freshStore(path)
        try await store.tableCreate("feed", changeLog: .on())
        var feed = try await store.table("feed").changes().start()
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        writer.arguments = ["feed-write", path, "--count", "\(count)", "--interval-ms", interval]
        try writer.run()
        var latencies: [Double] = []
        latencies.reserveCapacity(count)
        while latencies.count < count, let change = try await feed.next() {
            let arrived = Date().timeIntervalSince1970
            guard let written = change.newValue?["t"]?.doubleValue else { continue }
            latencies.append((arrived - written) * 1000)
        }
        writer.waitUntilExit()
        guard writer.terminationStatus == 0, latencies.count == count else {
            FileHandle.standardError.write(Data("feed-latency: the writer failed or the feed ended early\n".utf8))
            exit(1)
        }
        let sorted = latencies.sorted()
        report(["mode": "feed-latency", "changes": .number(Double(count)), "interval_ms": .number(Double(interval) ?? 0),
                "median_ms": .number(sorted[sorted.count / 2]),
                "p99_ms": .number(sorted[min(sorted.count - 1, sorted.count * 99 / 100)]),
                "max_ms": .number(sorted[sorted.count - 1])])
    }

    static func feedWrite(_ options: Options) async throws {
        let store = try DocumentStore(path: options.positional[0])
        let table = store.table("feed")
        let count = Int(options.value("--count") ?? "200") ?? 200
        let interval = Int(options.value("--interval-ms") ?? "20") ?? 20
        for n in 0..<count {
            let document: Document = ["id": .number(Double(n)), "t": .number(Date().timeIntervalSince1970)]
            try await table.insert(document, durability: .soft)
            try await Task.sleep(for: .milliseconds(interval))
        }
    }
}
