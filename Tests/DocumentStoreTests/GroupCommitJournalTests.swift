import Foundation
import Synchronization
import Testing

@testable import DocumentStore

/// The journal of a savepoint, which holds the old content of each page a call in a group
/// changes: the writer keeps it in memory, so only calls of bounded size may join a group.
@Suite("Group commit: savepoint journals")
struct GroupCommitJournalTests {
    /// The descriptors of this process open on SQLite's temporary files, which SQLite names
    /// `etilqs_…` and unlinks at once (`/proc/self/fd` still shows them).
    static func temporaryFiles() -> Set<String> {
        let directory = "/proc/self/fd"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return Set(names.compactMap { name in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + name),
                  target.contains("etilqs_") else { return nil }
            return name + " " + target
        })
    }

    #if os(Linux)
    @Test("A call that rewrites a thousand pages in a group's savepoint opens no temporary file")
    func joinedJournalStaysInMemory() async throws {
        let scratch = try TemporaryDirectory()
        let statements = Mutex<[String]>([])
        let store = try await GroupCommitTests.makeStore(scratch.path("journal.sqlite")) { sql in statements.withLock { $0.append(sql) } }
        let table = store.table("t")
        // One document a page (3 KB each), so that rewriting them changes a thousand pages
        // that existed before the savepoint: about 4 MB of journal, SQLite's limit is 64 KiB.
        let pad = String(repeating: "p", count: 3000)
        let documents: [Document] = (0..<1000).map { ["id": .string("page-\($0)"), "pad": .string(pad)] }
        try await table.insert(documents)
        // Taken in the savepoint, at its first document and at its last: only the call's own
        // journal can open a file between them.
        let seen = Mutex<(first: Set<String>?, last: Set<String>?)>((nil, nil))
        let rewrite: GroupCommitTests.Call = { table in
            try await table.insert(documents.map { $0.merging(["v": 1]) }, conflict: .resolve { _, _, new in
                seen.withLock { seen in
                    if seen.first == nil { seen.first = Self.temporaryFiles() } else { seen.last = Self.temporaryFiles() }
                }
                return new
            })
        }
        let results = try await GroupCommitTests.queuedBehindBusyWriter(store, [
            { try await $0.insert(["id": "first"]) }, rewrite,
        ])
        #expect(try results[1].get().replaced == 1000)
        let after = GroupCommitTests.afterBusyWriter(statements.withLock { $0 })
        #expect(after.filter { $0 == "SAVEPOINT docstore_call" }.count == 1, "the rewrite did not run in a savepoint")
        let first = try #require(seen.withLock { $0.first }), last = try #require(seen.withLock { $0.last })
        #expect(last.subtracting(first).isEmpty, "the savepoint's journal went to a temporary file")
        #expect(try await table.get("page-999")?["v"] == 1)
    }
    #endif

    @Test("A write to the whole table waits for the group before it and begins its own; a write by key joins it")
    func wholeTableWritesDoNotJoin() async throws {
        let scratch = try TemporaryDirectory()
        let statements = Mutex<[String]>([])
        let store = try await GroupCommitTests.makeStore(scratch.path("whole.sqlite")) { sql in statements.withLock { $0.append(sql) } }
        let results = try await GroupCommitTests.queuedBehindBusyWriter(store, [
            { try await $0.insert(["id": "new"]) },
            { try await $0.all.update(["w": 1]) },
            { try await $0.document("old-1").update(["w": 2]) },
        ])
        let after = GroupCommitTests.afterBusyWriter(statements.withLock { $0 })
        // The insert alone; then the whole-table update, first of the next, and the update by
        // key in its savepoint.
        #expect(after.filter { $0 == "BEGIN IMMEDIATE" }.count == 2)
        #expect(after.filter { $0 == "COMMIT" }.count == 2)
        #expect(after.filter { $0 == "SAVEPOINT docstore_call" }.count == 1)
        #expect(try results[1].get().replaced == 11)
        #expect(try results[2].get().replaced == 1)
        #expect(try await store.table("t").get("old-1")?["w"] == 2)
        #expect(try await store.table("t").get("new")?["w"] == 1)
    }
}
