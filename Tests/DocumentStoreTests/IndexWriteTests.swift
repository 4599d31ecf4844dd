import Foundation
import Synchronization
import Testing
@testable import DocumentStore

/// Every kind of write keeps every index's entries equal to what its documents give, in the
/// same transaction.
@Suite("Index maintenance on every write")
struct IndexWriteTests {
    static let indexes: [(name: String, path: [String], multi: Bool)] = [
        ("team", ["team"], false), ("city", ["address", "city"], false), ("tags", ["tags"], true),
    ]

    /// A table with three indexes (a field, a nested field, a multi index) and some documents.
    static func withIndexedTable(_ body: (Table) async throws -> Void) async throws {
        try await withMarvel { marvel, _ in
            try await marvel.indexCreate("team")
            try await marvel.indexCreate("city", .field("address", "city"))
            try await marvel.indexCreate("tags", multi: true)
            try await marvel.insert([
                ["id": 1, "team": "avengers", "address": ["city": "New York"], "tags": ["genius", "rich", "genius"]],
                ["id": 2, "team": "avengers", "tags": ["god"]],
                ["id": "loki", "team": .null, "address": "Asgard", "tags": "trickster"],
                ["id": 4, "team": ["x", 1], "tags": [.null, ["o": 1], 3]],
            ])
            try await IndexCheck.expectExact(marvel, indexes)
            try await body(marvel)
            try await IndexCheck.expectExact(marvel, indexes)
        }
    }

    @Test("Insert with each conflict mode, conflict functions included",
          arguments: ["error", "replace", "update", "function", "function-delete"])
    func insertConflicts(mode: String) async throws {
        try await Self.withIndexedTable { marvel in
            let conflict: ConflictStrategy
            switch mode {
            case "error": conflict = .error
            case "replace": conflict = .replace
            case "update": conflict = .update
            case "function": conflict = .resolve { _, old, new in old.merging(["team": new["team"] ?? .null, "tags": ["merged"]]) }
            default: conflict = .resolve { _, _, _ in nil }
            }
            try await marvel.insert([["id": 1, "team": "x-men", "tags": ["mutant"]], ["id": 5, "team": "x-men", "address": ["city": "Westchester"]],
                                     ["id": 2, "team": "avengers", "tags": ["god"]]], conflict: conflict)
        }
    }

    @Test("Update of one key, of several keys and of the whole table, by patch and by function")
    func updates() async throws {
        try await Self.withIndexedTable { marvel in
            try await marvel.document(1).update(["address": ["city": "Malibu"], "tags": ["armor"]])
            try await marvel.getAll(2, "loki", 99).update(["team": "asgard"])
            try await marvel.all.update { hero in (hero["id"]?.intValue ?? 0) % 2 == 0 ? ["tags": ["even", "even"]] : nil }
            try await marvel.document(4).update(["address": .null])
        }
    }

    @Test("Replace of a missing key inserts, of a present one replaces, and nil deletes")
    func replaces() async throws {
        try await Self.withIndexedTable { marvel in
            try await marvel.document(7).replace(["id": 7, "team": "defenders", "tags": ["new"]])
            try await marvel.document(1).replace(["id": 1, "team": "solo"])
            try await marvel.document(2).replace(nil)
            try await marvel.replace { hero in hero?["team"] == "defenders" ? hero?.merging(["tags": ["a", "b"]]) : hero }
        }
    }

    @Test("Delete of one key, of several, and of every document")
    func deletes() async throws {
        try await Self.withIndexedTable { marvel in
            try await marvel.document(1).delete()
            try await IndexCheck.expectExact(marvel, Self.indexes)
            try await marvel.getAll("loki", 4).delete()
            try await IndexCheck.expectExact(marvel, Self.indexes)
            try await marvel.delete()
            #expect(try await IndexCheck.entries(marvel, index: "tags").isEmpty)
        }
    }

    @Test("JSON and NDJSON inserts, and a chunked import with conflicts")
    func bulkPaths() async throws {
        try await Self.withIndexedTable { marvel in
            try await marvel.insert(json: #"[{"id": 10, "team": "a", "tags": ["t", "u"]}, {"id": 1, "team": "dup"}]"#)
            try await marvel.insert(ndjson: Array(#"{"id": 11, "team": "b"}"#.utf8) + [10] + Array(#"{"id": 12, "address": {"city": "Oslo"}}"#.utf8))
            var lines = ""
            for number in 0..<250 {
                lines += #"{"id": \#(number % 120), "team": "t\#(number % 7)", "tags": ["x\#(number % 3)", "y"]}"# + "\n"
            }
            let bytes = Array(lines.utf8)
            let offset = Mutex(0)
            let source = DocumentSource { buffer in
                offset.withLock { position in
                    let count = min(buffer.count, bytes.count - position, 700)
                    for index in 0..<count { buffer[index] = bytes[position + index] }
                    position += count
                    return count
                }
            }
            let result = try await marvel.importDocuments(from: source, chunkSize: 40, options: InsertOptions(conflict: .update))
            #expect(result.inserted + result.replaced + result.unchanged == 250)
        }
    }

    @Test("A document the update function fails on keeps its document and its entries")
    func failingFunction() async throws {
        try await Self.withIndexedTable { marvel in
            struct Refused: Error {}
            try await marvel.all.update { hero in
                if hero["id"] == 2 { throw Refused() }
                return ["team": "changed"]
            }
            let after = try await IndexCheck.entries(marvel, index: "team")
            #expect(after.contains(EntryRow(id: "2", tag: 0, value: #""avengers""#)))
            #expect(after.contains(EntryRow(id: "1", tag: 0, value: #""changed""#)))
        }
    }

    @Test("A write that fails on a full disk leaves no document and no entry of it")
    func fullDisk() async throws {
        var configuration = DocumentStore.Configuration()
        configuration.maxPageCount = 60
        try await withFileStore(configuration: configuration) { store, _ in
            try await store.tableCreate("marvel")
            let marvel = store.table("marvel")
            try await marvel.indexCreate("team")
            try await marvel.indexCreate("tags", multi: true)
            var failed = false
            for batch in 0..<200 where !failed {
                let documents: [Document] = (0..<20).map { number in
                    let id = batch * 20 + number
                    return ["id": .number(Double(id)), "team": .string(String(repeating: "t", count: 200) + "\(id)"),
                            "tags": .array((0..<5).map { .string("tag\($0)-\(id)") })]
                }
                do {
                    try await marvel.insert(documents)
                } catch let error as DocumentStoreError where error.code == .storage {
                    failed = true
                }
            }
            #expect(failed)
            try await IndexCheck.expectExact(marvel, [("team", ["team"], false), ("tags", ["tags"], true)])
        }
    }
}
