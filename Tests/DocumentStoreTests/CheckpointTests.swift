import Foundation
import Testing
@testable import DocumentStore

/// `Configuration.walCheckpointPages` on real files: how large the write-ahead log grows
/// before the writer copies it into the database, and that it is cut back afterwards.
@Suite("Checkpoints")
struct CheckpointTests {
    /// `commits` transactions of 10 documents of about 4 KB each: ten new pages or more a commit.
    static func write(_ table: Table, commits: Int, from first: Int = 0) async throws {
        let filler = String(repeating: "x", count: 4000)
        for commit in 0..<commits {
            let lines = (0..<10).map { #"{"id": \#(first + commit * 10 + $0), "filler": "\#(filler)"}"# }
            let result = try await table.insert(ndjson: Array(lines.joined(separator: "\n").utf8))
            #expect(result.inserted == 10)
        }
    }

    static func walSize(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path + "-wal")
        return (attributes[.size] as? NSNumber)?.intValue ?? 0
    }

    @Test("The log holds every commit's pages until it reaches the configured size")
    func growsToTheLimit() async throws {
        var configuration = DocumentStore.Configuration()
        configuration.walCheckpointPages = 2_000
        try await withFileStore(configuration: configuration) { store, path in
            try await store.tableCreate("t")
            // 1,200 pages and more: past SQLite's default of 1,000, short of the 2,000 set.
            try await Self.write(store.table("t"), commits: 120)
            // Nothing was checkpointed: every commit's frames are still in the log (with
            // SQLite's default it would have restarted at about 1,000 frames).
            #expect(try Self.walSize(path) > 1_100 * 4096)
            #expect(try await store.table("t").count() == 1_200)
        }
    }

    @Test("A small limit checkpoints every few commits and keeps the log small")
    func smallLimit() async throws {
        var configuration = DocumentStore.Configuration()
        configuration.walCheckpointPages = 20
        try await withFileStore(configuration: configuration) { store, path in
            try await store.tableCreate("t")
            try await Self.write(store.table("t"), commits: 30)
            // SQLite's default (1,000 pages) would have kept all 300+ pages in the log.
            #expect(try Self.walSize(path) < 100 * 4096)
            #expect(try await store.table("t").count() == 300)
        }
    }

    @Test("After one large commit the log is cut back to the limit by the next one")
    func cutBack() async throws {
        var configuration = DocumentStore.Configuration()
        configuration.walCheckpointPages = 20
        try await withFileStore(configuration: configuration) { store, path in
            try await store.tableCreate("t")
            let filler = String(repeating: "y", count: 4000)
            let lines = (0..<600).map { #"{"id": \#($0), "filler": "\#(filler)"}"# }
            #expect(try await store.table("t").insert(ndjson: Array(lines.joined(separator: "\n").utf8)).inserted == 600)
            #expect(try Self.walSize(path) > 600 * 4096)
            try await Self.write(store.table("t"), commits: 1, from: 600)
            #expect(try Self.walSize(path) <= 40 * 4096)
            #expect(try await store.table("t").count() == 610)
        }
    }
}
