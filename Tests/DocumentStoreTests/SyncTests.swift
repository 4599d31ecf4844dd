import Foundation
import Synchronization
import Testing
@testable import DocumentStore

/// Collects the SQL the writer runs (through `Configuration.trace`).
final class WriterTrace: Sendable {
    private let storage = Mutex<[String]>([])

    func append(_ sql: String) { storage.withLock { $0.append(sql) } }
    func clear() { storage.withLock { $0.removeAll() } }
    var lines: [String] { storage.withLock { $0 } }
}

/// `sync()` (RethinkDB's `table.sync()`) and the durability of update/replace/delete (spec §6).
@Suite("Modify: sync and durability")
struct SyncTests {
    /// A store whose writer's SQL goes to `log`, with a `marvel` table of the given default durability.
    private func withTracedMarvel(durability: Durability = .hard,
                                  _ body: (Table, DocumentStore, WriterTrace) async throws -> Void) async throws {
        let log = WriterTrace()
        var configuration = DocumentStore.Configuration()
        configuration.trace = { log.append($0) }
        try await withFileStore(configuration: configuration) { store, _ in
            try await store.tableCreate("marvel", durability: durability)
            try await body(store.table("marvel"), store, log)
        }
    }

    @Test("sync returns {\"synced\": 1}")
    func syncResult() async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.sync()
            #expect(result == SyncResult(synced: 1))
            #expect(result.document.jsonString == #"{"synced":1}"#)
        }
    }

    @Test("sync after soft writes runs at synchronous = FULL: pragma, BEGIN IMMEDIATE, catalog update, commit")
    func syncAfterSoftWrites() async throws {
        try await withTracedMarvel(durability: .soft) { marvel, store, log in
            try await marvel.insert([["id": 1], ["id": 2]])
            try await marvel.document(1).update(["a": 1])
            try await marvel.document(2).delete()
            #expect(try await store.writerSynchronousLevel() == "NORMAL")

            log.clear()
            #expect(try await marvel.sync().synced == 1)
            #expect(try await store.writerSynchronousLevel() == "FULL")

            let lines = log.lines
            let pragma = try #require(lines.firstIndex(of: "PRAGMA synchronous = FULL"))
            let begin = try #require(lines[pragma...].firstIndex(of: "BEGIN IMMEDIATE"))
            let touch = try #require(lines[begin...].firstIndex { $0.hasPrefix("UPDATE docstore_tables") })
            let commit = try #require(lines[touch...].firstIndex(of: "COMMIT"))
            #expect(pragma < begin && begin < touch && touch < commit)
            // The sync writes no document.
            #expect(!lines.contains { $0.contains(#""marvel""#) })
        }
    }

    @Test("the documents written before sync are all in the file afterwards")
    func syncKeepsDocuments() async throws {
        try await withFileStore { store, path in
            try await store.tableCreate("marvel", durability: .soft)
            let marvel = store.table("marvel")
            try await marvel.insert((1...50).map { ["id": .number(Double($0))] })
            try await marvel.all.update(["synced": true])
            try await marvel.sync()
            #expect(try sqlite3Shell(path, "select count(*) from marvel where json_extract(doc, '$.synced') = 1") == "50\n")
        }
    }

    @Test("sync on a missing table throws")
    func syncMissingTable() async throws {
        try await withFileStore { store, _ in
            _ = await #expect(throws: DocumentStoreError(.opFailed, "Table `test.nope` does not exist.")) {
                try await store.table("nope").sync()
            }
        }
    }

    @Test("a hard sync after a hard write needs no pragma change")
    func syncAfterHardWrite() async throws {
        try await withTracedMarvel(durability: .hard) { marvel, store, log in
            try await marvel.insert(["id": 1])
            log.clear()
            try await marvel.sync()
            #expect(!log.lines.contains { $0.hasPrefix("PRAGMA synchronous") })
            #expect(log.lines.contains("BEGIN IMMEDIATE"))
            #expect(try await store.writerSynchronousLevel() == "FULL")
        }
    }

    @Test("update, replace and delete run at the synchronous level of their durability",
          arguments: [(Durability.soft, "NORMAL"), (Durability.hard, "FULL")])
    func modifyDurability(durability: Durability, level: String) async throws {
        // The table's default is the other level, so only the option can set this one.
        let tableDefault: Durability = durability == .soft ? .hard : .soft
        try await withTracedMarvel(durability: tableDefault) { marvel, store, log in
            try await marvel.insert([["id": 1], ["id": 2], ["id": 3]])

            log.clear()
            #expect(try await marvel.document(1).update(["a": 1], durability: durability).replaced == 1)
            #expect(try await store.writerSynchronousLevel() == level)
            #expect(log.lines.first == "PRAGMA synchronous = \(level)")

            try await marvel.insert(["id": 9])   // back to the table's default
            #expect(try await marvel.document(2).replace(["id": 2, "b": 2], durability: durability).replaced == 1)
            #expect(try await store.writerSynchronousLevel() == level)

            try await marvel.insert(["id": 10])
            #expect(try await marvel.getAll(1, 3).delete(durability: durability).deleted == 2)
            #expect(try await store.writerSynchronousLevel() == level)

            try await marvel.insert(["id": 11])
            #expect(try await marvel.update(["all": true], durability: durability).replaced == 4)
            #expect(try await store.writerSynchronousLevel() == level)
        }
    }

    @Test("without the option a modify write uses the table's default durability",
          arguments: [(Durability.soft, "NORMAL"), (Durability.hard, "FULL")])
    func modifyDefaultDurability(tableDefault: Durability, level: String) async throws {
        try await withTracedMarvel(durability: tableDefault) { marvel, store, _ in
            try await marvel.insert(["id": 1], durability: tableDefault == .soft ? .hard : .soft)
            try await marvel.document(1).update(["a": 1])
            #expect(try await store.writerSynchronousLevel() == level)
        }
    }
}
