import Foundation
import Testing
@testable import DocumentStore

/// Table and point feeds, with the expected events of RethinkDB's own tests
/// (test/rql_test/src/changefeeds/table.yaml, point.yaml, include_states.yaml).
@Suite("Change feeds on tables and documents")
struct ChangeFeedTests {
    @Test("a table feed delivers inserts, updates and deletes with old and new values (table.yaml)")
    func tableFeed() async throws {
        try await withLoggedTable { table, _, _ in
            let feed = try await table.changes().start()
            try await table.insert([["id": 1], ["id": 2]])
            #expect(sameBag(try await take(2, from: feed).documents, [
                ["old_val": .null, "new_val": ["id": 1]], ["old_val": .null, "new_val": ["id": 2]],
            ]))
            try await table.document(1).update(["version": 1])
            #expect(try await take(1, from: feed).documents == [["old_val": ["id": 1], "new_val": ["id": 1, "version": 1]]])
            try await table.document(1).delete()
            #expect(try await take(1, from: feed).documents == [["old_val": ["id": 1, "version": 1], "new_val": .null]])
        }
    }

    @Test("a table feed has no initial values unless asked, and an unchanged write is no change")
    func noInitialValuesAndNoUnchanged() async throws {
        try await withLoggedTable { table, _, _ in
            try await table.insert(["id": 1, "a": 1])
            let feed = try await table.changes().start()
            try await table.document(1).update(["a": 1])   // unchanged: no change
            try await table.insert(["id": 2])
            #expect(try await take(1, from: feed).documents == [["old_val": .null, "new_val": ["id": 2]]])
        }
    }

    @Test("each conflict mode of insert records the change it made", arguments: ["error", "replace", "update"])
    func insertConflictModes(mode: String) async throws {
        try await withLoggedTable { table, _, _ in
            try await table.insert(["id": 1, "a": 1, "b": 1])
            let feed = try await table.changes().start()
            let conflict: ConflictStrategy = mode == "error" ? .error : mode == "replace" ? .replace : .update
            let result = try await table.insert(["id": 1, "a": 2], options: InsertOptions(conflict: conflict))
            try await table.insert(["id": 9])
            let events = try await take(mode == "error" ? 1 : 2, from: feed).documents
            switch mode {
            case "error":
                #expect(result.errors == 1)
                #expect(events == [["old_val": .null, "new_val": ["id": 9]]])
            case "replace":
                #expect(events == [["old_val": ["id": 1, "a": 1, "b": 1], "new_val": ["id": 1, "a": 2]], ["old_val": .null, "new_val": ["id": 9]]])
            default:
                #expect(events == [["old_val": ["id": 1, "a": 1, "b": 1], "new_val": ["id": 1, "a": 2, "b": 1]], ["old_val": .null, "new_val": ["id": 9]]])
            }
        }
    }

    @Test("a replace, a table-wide update and a conflict function that deletes are recorded")
    func replaceAndScanWrites() async throws {
        try await withLoggedTable { table, _, _ in
            try await table.insert([["id": 1], ["id": 2]])
            let feed = try await table.changes().start()
            try await table.document(1).replace(["id": 1, "r": true])
            try await table.update(["all": true])
            try await table.insert(["id": 2], options: InsertOptions(conflict: .resolve { _, _, _ in nil }))
            let events = try await take(4, from: feed).documents
            #expect(events[0] == ["old_val": ["id": 1], "new_val": ["id": 1, "r": true]])
            #expect(sameBag(Array(events[1...2]), [
                ["old_val": ["id": 1, "r": true], "new_val": ["id": 1, "r": true, "all": true]],
                ["old_val": ["id": 2], "new_val": ["id": 2, "all": true]],
            ]))
            #expect(events[3] == ["old_val": ["id": 2, "all": true], "new_val": .null])
        }
    }

    @Test("an import in chunks records every document, in commit order")
    func importIsRecorded() async throws {
        try await withLoggedTable { table, _, _ in
            let feed = try await table.changes().start()
            let lines = (1...25).map { "{\"id\":\($0)}" }.joined(separator: "\n")
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("feed-import-\(UUID().uuidString).ndjson")
            try Data(lines.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let descriptor = open(file.path, O_RDONLY)
            defer { close(descriptor) }
            try await table.importDocuments(from: DocumentSource(fileDescriptor: descriptor), chunkSize: 10)
            let events = try await take(25, from: feed)
            #expect(events.map { $0.newValue?["id"] } == (1...25).map { Document.number(Double($0)) })
            #expect(events.compactMap(\.sequence) == events.compactMap(\.sequence).sorted())
        }
    }

    @Test("a point feed with include_initial gives the document (or null) first (point.yaml)")
    func pointFeed() async throws {
        try await withLoggedTable { table, _, _ in
            let feed = try await table.document(1).changes(.with { $0.includeInitial = true }).start()
            #expect(try await take(1, from: feed).documents == [["new_val": .null]])
            try await table.insert(["id": 1])
            #expect(try await take(1, from: feed).documents == [["old_val": .null, "new_val": ["id": 1]]])
            try await table.insert(["id": 2])   // another key: not this feed's
            try await table.document(1).update(["update": 1])
            #expect(try await take(1, from: feed).documents == [["old_val": ["id": 1], "new_val": ["id": 1, "update": 1]]])
            try await table.document(1).delete()
            #expect(try await take(1, from: feed).documents == [["old_val": ["id": 1, "update": 1], "new_val": .null]])
        }
    }

    @Test("states: a point feed with initial values, a table feed without (include_states.yaml)")
    func states() async throws {
        try await withLoggedTable { table, _, _ in
            let point = try await table.document(0).changes(.with {
                $0.includeStates = true
                $0.includeInitial = true
            }).start()
            #expect(try await take(3, from: point).documents == [["state": "initializing"], ["new_val": .null], ["state": "ready"]])
            let tableFeed = try await table.changes(.with { $0.includeStates = true }).start()
            try await table.insert(["id": 2])
            #expect(try await take(2, from: tableFeed).documents == [["state": "ready"], ["new_val": ["id": 2], "old_val": .null]])
            let getChanges = try await table.document(2).changes(.with {
                $0.includeStates = true
                $0.includeInitial = true
            }).start()
            try await table.document(2).update(["a": 1])
            #expect(try await take(4, from: getChanges).documents == [
                ["state": "initializing"], ["new_val": ["id": 2]], ["state": "ready"],
                ["old_val": ["id": 2], "new_val": ["id": 2, "a": 1]],
            ])
        }
    }

    @Test("types: add, change, remove, initial and state")
    func types() async throws {
        try await withLoggedTable { table, _, _ in
            try await table.insert(["id": 1])
            let feed = try await table.changes(.with {
                $0.includeTypes = true
                $0.includeInitial = true
                $0.includeStates = true
            }).start()
            try await table.insert(["id": 2])
            try await table.document(2).update(["x": 1])
            try await table.document(2).delete()
            #expect(try await take(6, from: feed).documents == [
                ["state": "initializing", "type": "state"],
                ["new_val": ["id": 1], "type": "initial"],
                ["state": "ready", "type": "state"],
                ["old_val": .null, "new_val": ["id": 2], "type": "add"],
                ["old_val": ["id": 2], "new_val": ["id": 2, "x": 1], "type": "change"],
                ["old_val": ["id": 2, "x": 1], "new_val": .null, "type": "remove"],
            ])
        }
    }

    @Test("an in-memory store has feeds too, initial values included")
    func inMemory() async throws {
        let store = try DocumentStore.inMemory()
        try await store.tableCreate("t", changeLog: .on())
        let table = store.table("t")
        try await table.insert((0..<1500).map { ["id": .number(Double($0))] })
        let feed = try await table.changes(.with { $0.includeInitial = true }).start()
        try await table.insert(["id": "new"])
        let events = try await take(1501, from: feed)
        #expect(events.prefix(1500).allSatisfy { $0.kind == .initial })
        #expect(Set(events.prefix(1500).compactMap { $0.newValue?["id"] }).count == 1500)
        #expect(events.last?.document == ["old_val": .null, "new_val": ["id": "new"]])
    }

    @Test("include_offsets is refused on table and point feeds with RethinkDB's texts")
    func offsetsRefused() async throws {
        try await withLoggedTable { table, _, _ in
            await #expect(throws: DocumentStoreError(.queryLogic, "Cannot include offsets for range subs.")) {
                _ = try await table.changes(.with { $0.includeOffsets = true }).start()
            }
            await #expect(throws: DocumentStoreError(.queryLogic, "Cannot include offsets for point subs.")) {
                _ = try await table.document(1).changes(.with { $0.includeOffsets = true }).start()
            }
            await #expect(throws: DocumentStoreError(.queryLogic, "Illegal changefeed queue size `0`.  (Must be >= 1.)")) {
                _ = try await table.changes(.with { $0.queueSize = 0 }).start()
            }
        }
    }
}
