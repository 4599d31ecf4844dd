import Foundation
import Testing
@testable import DocumentStore

/// A write's entry changes are held until its transaction ends and then written sorted
/// (``IndexWriter``): what is stored must still be what the write's last documents give,
/// whatever order the changes were made in, and a write that fails must leave none of them.
@Suite("Index changes written in key order")
struct IndexChangeOrderTests {
    static let indexes: [(name: String, path: [String], multi: Bool)] = [("team", ["team"], false), ("tags", ["tags"], true)]

    static func withIndexes(_ body: (Table) async throws -> Void) async throws {
        try await withMarvel { marvel, _ in
            try await marvel.indexCreate("team")
            try await marvel.indexCreate("tags", multi: true)
            try await marvel.insert([["id": 1, "team": "avengers", "tags": ["a", "b"]], ["id": 2, "team": "x-men"]])
            try await body(marvel)
            try await IndexCheck.expectExact(marvel, indexes)
        }
    }

    /// A conflict function that deletes when the new document says so and merges otherwise.
    static let mergeOrDelete = ConflictStrategy.resolve { _, old, new in
        new["delete"] == true ? nil : old.merging(new)
    }

    @Test("One call that inserts, updates, deletes and inserts again one key keeps the entries of its last document",
          arguments: [false, true])
    func sameKeyManyTimes(endsDeleted: Bool) async throws {
        try await Self.withIndexes { marvel in
            var documents: [Document] = [
                ["id": 7, "team": "avengers", "tags": ["a", "b", "a"]],
                ["id": 7, "team": "defenders", "tags": ["b"]],
                ["id": 7, "delete": true],
                ["id": 7, "team": "avengers", "tags": ["c", "a"]],
                ["id": 1, "tags": ["b", "a"]],
                ["id": 2, "delete": true],
            ]
            if endsDeleted { documents.append(["id": 7, "delete": true]) }
            let result = try await marvel.insert(documents, conflict: Self.mergeOrDelete)
            #expect(result.errors == 0)
            let team = try await IndexCheck.entries(marvel, index: "team")
            #expect(team.contains(EntryRow(id: "7", tag: 0, value: #""avengers""#)) == !endsDeleted)
            #expect(!team.contains { $0.id == "2" })
            #expect(!team.contains(EntryRow(id: "7", tag: 0, value: #""defenders""#)))
        }
    }

    @Test("Two values whose keys are cut to the same bytes: the entry ends with the later value")
    func truncatedKeyChangedTwice() async throws {
        try await Self.withIndexes { marvel in
            let prefix = String(repeating: "t", count: 300)
            try await marvel.insert([["id": 9, "team": .string(prefix + "a")], ["id": 9, "team": .string(prefix + "b")]],
                                    conflict: .update)
            let team = try await IndexCheck.entries(marvel, index: "team")
            #expect(team.contains(EntryRow(id: "9", tag: 0, value: Document.string(prefix + "b").jsonString)))
        }
    }

    static func hero(_ id: Int, team: String, tags: [Int]) -> Document {
        let tagValues: [Document] = tags.map { .string("g\($0)") }
        return ["id": .number(Double(id)), "team": .string(team), "tags": .array(tagValues)]
    }

    @Test("Changes of one entry before and after the writer flushes part of a large call")
    func changesAcrossAFlush() async throws {
        try await Self.withIndexes { marvel in
            // More entries than a flush holds, then the same documents again, some tags kept,
            // some moved to other positions, some gone.
            let count = IndexWriter.flushThreshold / 100 + 50
            let first: [Document] = (0..<count).map { id in Self.hero(id + 100, team: "t\(id % 5)", tags: Array(0..<100)) }
            let second: [Document] = (0..<count).map { id in
                if id % 3 == 0 { return ["id": .number(Double(id + 100)), "delete": true] }
                return Self.hero(id + 100, team: "u\(id % 4)", tags: (0..<(id % 7)).map { $0 * 2 })
            }
            let result = try await marvel.insert(first + second, conflict: Self.mergeOrDelete)
            #expect(result.errors == 0)
            #expect(result.inserted == count)
        }
    }

    @Test("A call that fails after the writer has stored part of it leaves none of its entries, and the next call writes its own")
    func failedCallAmongOthers() async throws {
        try await Self.withIndexes { marvel in
            // Larger than one chunk of a pipelined insert, so earlier chunks are written when
            // the syntax error at the end is found.
            var text = ""
            for id in 0..<15_000 {
                text += #"{"id": \#(id + 1000), "team": "team\#(id % 9)", "tags": ["x", "y\#(id % 4)"], "pad": "\#(String(repeating: "p", count: 40))"}"# + "\n"
            }
            text += #"{"id": "broken", "team": }"#
            await #expect(throws: JSONSyntaxError.self) { try await marvel.insert(ndjson: Array(text.utf8)) }
            #expect(try await marvel.count() == 2)
            try await IndexCheck.expectExact(marvel, Self.indexes)
            try await marvel.insert([["id": 1000, "team": "after", "tags": ["z"]]])
            let team = try await IndexCheck.entries(marvel, index: "team")
            #expect(team.filter { $0.id != "1" && $0.id != "2" } == [EntryRow(id: "1000", tag: 0, value: #""after""#)])
        }
    }
}
