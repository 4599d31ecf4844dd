import Foundation
import Synchronization
import Testing
@testable import DocumentStore

/// The four conflict modes, named for test output. `.resolve` merges like `.update` and marks
/// the result, so that its outcome differs from the other modes'.
enum ConflictMode: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case error, replace, update, resolve

    var strategy: ConflictStrategy {
        switch self {
        case .error: return .error
        case .replace: return .replace
        case .update: return .update
        case .resolve: return .resolve { _, old, new in old.merging(new).merging(["resolved": true]) }
        }
    }

    var testDescription: String { rawValue }
}

/// Records the arguments a conflict function was called with.
final class ConflictCalls: Sendable {
    let calls = Mutex<[[Document]]>([])

    func record(_ key: Document, _ old: Document, _ new: Document) {
        calls.withLock { $0.append([key, old, new]) }
    }

    var all: [[Document]] { calls.withLock { $0 } }
}

/// Rows in a table, counted by the sqlite3 shell (not by DocStore itself).
func shellRowCount(_ store: DocumentStore, _ table: String = "marvel") throws -> Int {
    Int(try sqlite3Shell(store.path, "select count(*) from \(table)").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
}

/// `insert`: what each conflict mode does, duplicates inside one call, generated keys, and which
/// values are one key.
@Suite("Insert: conflicts and keys")
struct InsertTests {
    static var uuidV4: Regex<Substring> { /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/ }

    @Test("A new key is inserted whatever the mode", arguments: ConflictMode.allCases, Durability.allCases)
    func newKey(mode: ConflictMode, durability: Durability) async throws {
        try await withMarvel { marvel, store in
            let result = try await marvel.insert(["id": 1, "a": 1], conflict: mode.strategy, durability: durability)
            #expect(result.jsonString == #"{"deleted":0,"errors":0,"inserted":1,"replaced":0,"skipped":0,"unchanged":0}"#)
            #expect(try await marvel.get(1) == ["id": 1, "a": 1])
            #expect(try shellRowCount(store) == 1)
        }
    }

    @Test("An existing key errors, is replaced, merged or resolved", arguments: ConflictMode.allCases, Durability.allCases)
    func existingKey(mode: ConflictMode, durability: Durability) async throws {
        try await withMarvel { marvel, _ in
            let old: Document = ["id": 1, "a": 1, "nested": ["x": 1, "y": 1]]
            let new: Document = ["id": 1, "b": 2, "nested": ["x": 2]]
            try await marvel.insert(old)
            let result = try await marvel.insert(new, conflict: mode.strategy, durability: durability)
            let stored = try await marvel.get(1)
            switch mode {
            case .error:
                #expect(result.errors == 1 && result.replaced == 0 && result.inserted == 0)
                #expect(result.firstError == "Duplicate primary key `id`:\n{\n\t\"a\":\t1,\n\t\"id\":\t1,\n\t\"nested\":\t{\n\t\t\"x\":\t1,\n\t\t\"y\":\t1\n\t}\n}\n{\n\t\"b\":\t2,\n\t\"id\":\t1,\n\t\"nested\":\t{\n\t\t\"x\":\t2\n\t}\n}")
                #expect(stored == old)
            case .replace:
                #expect(result.replaced == 1 && result.errors == 0 && result.firstError == nil)
                #expect(stored == new)
            case .update:
                #expect(result.replaced == 1 && result.errors == 0)
                #expect(stored == ["id": 1, "a": 1, "b": 2, "nested": ["x": 2, "y": 1]])
            case .resolve:
                #expect(result.replaced == 1 && result.errors == 0)
                #expect(stored == ["id": 1, "a": 1, "b": 2, "nested": ["x": 2, "y": 1], "resolved": true])
            }
            #expect(result.inserted == 0 && result.deleted == 0 && result.skipped == 0 && result.unchanged == 0)
        }
    }

    @Test("An identical document is unchanged, except in error mode", arguments: ConflictMode.allCases, Durability.allCases)
    func identicalDocument(mode: ConflictMode, durability: Durability) async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 2, "a": 2])
            // 2.0 is the same number as 2: the documents are equal, so nothing changes.
            let strategy: ConflictStrategy = mode == .resolve ? .resolve { _, old, _ in old } : mode.strategy
            let result = try await marvel.insert(["a": 2.0, "id": 2], conflict: strategy, durability: durability)
            if mode == .error {
                #expect(result.errors == 1 && result.unchanged == 0)
                #expect(result.firstError == "Duplicate primary key `id`:\n{\n\t\"a\":\t2,\n\t\"id\":\t2\n}\n{\n\t\"a\":\t2,\n\t\"id\":\t2\n}")
            } else {
                #expect(result.jsonString == #"{"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":1}"#)
            }
        }
    }

    @Test("The reference example: a duplicate key in error mode shows both documents")
    func duplicateMessage() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 2, "a": 2])
            let result = try await marvel.insert(["id": 2, "b": 20])
            #expect(result.firstError == "Duplicate primary key `id`:\n{\n\t\"a\":\t2,\n\t\"id\":\t2\n}\n{\n\t\"b\":\t20,\n\t\"id\":\t2\n}")
            #expect(result.errors == 1)
        }
    }

    @Test("Update merges deeply, keeps null values and replaces arrays")
    func updateMerge() async throws {
        try await withMarvel { marvel, store in
            try await marvel.insert(["id": 1, "keep": 1, "drop": 2, "tags": [1, 2], "deep": ["a": ["b": 1, "c": 2]]])
            let result = try await marvel.insert(["id": 1, "drop": .null, "tags": [3], "deep": ["a": ["c": 3]]], conflict: .update)
            #expect(result.replaced == 1)
            let row = try sqlite3Shell(store.path, "select doc from marvel")
            #expect(row == #"{"deep":{"a":{"b":1,"c":3}},"drop":null,"id":1,"keep":1,"tags":[3]}"# + "\n")
        }
    }

    @Test("Replace stores the new document as it is, dropping old fields")
    func replaceDropsFields() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1, "old": true])
            try await marvel.insert(["id": 1, "new": true], conflict: .replace)
            #expect(try await marvel.get(1)?.jsonString == #"{"id":1,"new":true}"#)
        }
    }

    // MARK: Conflict functions

    @Test("A conflict function gets the key value, the old and the new document, only on conflict")
    func resolveArguments() async throws {
        try await withMarvel { marvel, _ in
            let calls = ConflictCalls()
            let strategy = ConflictStrategy.resolve { key, old, new in
                calls.record(key, old, new)
                return new
            }
            try await marvel.insert(["id": 7, "v": 1], conflict: strategy)
            #expect(calls.all.isEmpty)
            let result = try await marvel.insert(["id": 7, "v": 2], conflict: strategy)
            #expect(result.replaced == 1)
            #expect(calls.all == [[7, ["id": 7, "v": 1], ["id": 7, "v": 2]]])
        }
    }

    @Test("A conflict function returning nil deletes the stored document")
    func resolveDeletes() async throws {
        try await withMarvel { marvel, store in
            try await marvel.insert([["id": 1], ["id": 2]])
            let result = try await marvel.insert(["id": 1, "x": 1], conflict: .resolve { _, _, _ in nil })
            #expect(result.jsonString == #"{"deleted":1,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":0}"#)
            #expect(try await marvel.get(1) == nil)
            #expect(try shellRowCount(store) == 1)
        }
    }

    @Test("A conflict function returning JSON null deletes too, as a ReQL null does")
    func resolveNullDeletes() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1, "v": 1])
            let result = try await marvel.insert(["id": 1], conflict: .resolve { _, _, _ in .null })
            #expect(result.jsonString == #"{"deleted":1,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":0}"#)
            #expect(try await marvel.get(1) == nil)
        }
    }

    static let badResolutions: [(name: String, value: Document?, message: String)] = [
        ("changed key", ["id": 2, "a": 1],
         "Primary key `id` cannot be changed (`{\n\t\"id\":\t1\n}` -> `{\n\t\"a\":\t1,\n\t\"id\":\t2\n}`)."),
        ("a number", .number(2), "Inserted value must be an OBJECT (got NUMBER):\n2"),
        ("an array", [1, "x"], "Inserted value must be an OBJECT (got ARRAY):\n[\n\t1,\n\t\"x\"\n]"),
        ("no key", ["a": 1], "Inserted object must have primary key `id`:\n{\n\t\"a\":\t1\n}"),
        ("a null key", ["id": .null],
         "Primary key `id` cannot be changed (`{\n\t\"id\":\t1\n}` -> `{\n\t\"id\":\tnull\n}`)."),
        ("a non-finite number", ["id": 1, "x": .number(.infinity)], "Non-finite number: inf"),
    ]

    @Test("A conflict function's invalid result fails that document only", arguments: badResolutions)
    func resolveInvalid(name: String, value: Document?, message: String) async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1])
            let result = try await marvel.insert([["id": 1, "n": 1], ["id": 3]], conflict: .resolve { _, _, _ in value })
            #expect(result.errors == 1 && result.inserted == 1 && result.replaced == 0, "\(name)")
            #expect(result.firstError == message)
            #expect(try await marvel.get(1) == ["id": 1])
            #expect(try await marvel.get(2) == nil)
        }
    }

    struct Boom: Error, CustomStringConvertible {
        var description: String { "a" }
    }

    @Test("An error thrown by a conflict function becomes that document's error")
    func resolveThrows() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert([["id": 1], ["id": 2]])
            let result = try await marvel.insert([["id": 1, "x": 1], ["id": 2, "x": 2], ["id": 3]], conflict: .resolve { key, _, _ in
                if key == 1 { throw Boom() }
                throw DocumentStoreError(.queryLogic, "second")
            })
            #expect(result.errors == 2 && result.inserted == 1)
            #expect(result.firstError == "a")
            #expect(try await marvel.get(1) == ["id": 1])
            #expect(try await marvel.get(3) == ["id": 3])
        }
    }

    @Test("A conflict function may return the key as 1.0 for 1: it is the same key")
    func resolveSameKeyOtherSpelling() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1, "v": 1])
            let result = try await marvel.insert(["id": 1], conflict: .resolve { _, _, _ in ["id": 1.0, "v": 2] })
            #expect(result.replaced == 1 && result.errors == 0)
            #expect(try await marvel.get(1) == ["id": 1, "v": 2])
        }
    }

    // MARK: Duplicates inside one call

    @Test("Rows with the same key in one call apply in input order", arguments: [
        (.error, #"{"deleted":0,"errors":1,"first_error":"Duplicate primary key `id`:\n{\n\t\"id\":\t666\n}\n{\n\t\"id\":\t666\n}","inserted":1,"replaced":0,"skipped":0,"unchanged":0}"#, ["id": 666]),
        (.replace, #"{"deleted":0,"errors":0,"inserted":1,"replaced":1,"skipped":0,"unchanged":0}"#, ["id": 666, "b": 2]),
        (.update, #"{"deleted":0,"errors":0,"inserted":1,"replaced":1,"skipped":0,"unchanged":0}"#, ["id": 666, "a": 1, "b": 2]),
    ] as [(ConflictMode, String, Document)])
    func duplicatesInOneCall(mode: ConflictMode, json: String, stored: Document) async throws {
        try await withMarvel { marvel, _ in
            let documents: [Document] = mode == .error ? [["id": 666], ["id": 666]] : [["id": 666, "a": 1], ["id": 666, "b": 2]]
            let result = try await marvel.insert(documents, conflict: mode.strategy)
            #expect(result.jsonString == json)
            #expect(try await marvel.get(666) == stored)
        }
    }

    // MARK: Generated keys

    @Test("Keys are generated as lowercase v4 UUIDs, in input order", arguments: Durability.allCases)
    func generatedKeys(durability: Durability) async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.insert([["n": 0], ["id": "given", "n": 1], ["n": 2], ["n": 3]], durability: durability)
            let keys = try #require(result.generatedKeys)
            #expect(keys.count == 3)
            #expect(Set(keys).count == 3)
            for key in keys { #expect(key.wholeMatch(of: Self.uuidV4) != nil, "\(key)") }
            for (key, n) in zip(keys, [0, 2, 3]) {
                #expect(try await marvel.get(.string(key)) == ["id": .string(key), "n": .number(Double(n))])
            }
            #expect(result.inserted == 4)
        }
    }

    @Test("A generated key goes under the table's primary-key name")
    func generatedKeyField() async throws {
        try await withMarvel(primaryKey: "foo") { marvel, store in
            let result = try await marvel.insert([:])
            let key = try #require(result.generatedKeys?.first)
            #expect(try await marvel.get(.string(key)) == ["foo": .string(key)])
            #expect(try sqlite3Shell(store.path, "select doc from marvel") == "{\"foo\":\"\(key)\"}\n")
        }
    }

    @Test("A generated key is spliced into JSON text in sorted position")
    func generatedKeyInJSON() async throws {
        try await withMarvel(primaryKey: "foo") { marvel, _ in
            let result = try await marvel.insert(json: #"[{}, {"a":1}, {"z":1}, {"z":2, "a":1}, {"foo1":2,"fo":1}, {"f":{"foo":1}}]"#)
            let keys = try #require(result.generatedKeys)
            try #require(keys.count == 6)
            let expected = [#"{"foo":"K"}"#, #"{"a":1,"foo":"K"}"#, #"{"foo":"K","z":1}"#, #"{"a":1,"foo":"K","z":2}"#,
                            #"{"fo":1,"foo":"K","foo1":2}"#, #"{"f":{"foo":1},"foo":"K"}"#]
            for (key, text) in zip(keys, expected) {
                let stored = try #require(try await marvel.get(.string(key)))
                #expect(stored.jsonString == text.replacingOccurrences(of: "K", with: key))
            }
        }
    }

    @Test("A present null key is an error, not a reason to generate one")
    func nullKeyIsNotAbsent() async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.insert(["id": .null, "a": 1])
            #expect(result.generatedKeys == nil)
            #expect(result.errors == 1)
        }
    }

    // MARK: What is one key

    @Test("1, 1.0 and -0.0/0 are one key each; \"1\" and 1 are two")
    func numericKeys() async throws {
        try await withMarvel { marvel, store in
            try await marvel.insert([["id": 1, "v": "int"], ["id": "1", "v": "string"], ["id": .number(-0.0)]])
            let duplicate = try await marvel.insert([["id": 1.0], ["id": 0]])
            #expect(duplicate.errors == 2 && duplicate.inserted == 0)
            #expect(try await marvel.get(1.0) == ["id": 1, "v": "int"])
            #expect(try await marvel.get("1") == ["id": "1", "v": "string"])
            #expect(try await marvel.get(0)?.jsonString == #"{"id":-0.0}"#)
            #expect(try shellRowCount(store) == 3)
        }
    }

    static let otherKeys: [Document] = [
        true, false, [], [1, "a", [true]], ["x"], 1.5, -7, "",
        ["$reql_type$": "BINARY", "data": "AAEC"],
        ["$reql_type$": "TIME", "epoch_time": 1_500_000_000.25, "timezone": "+02:00"],
    ]

    @Test("Bools, arrays, binary and times are keys that round-trip through get", arguments: otherKeys)
    func otherKeyTypes(key: Document) async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.insert([["id": key, "v": 1], ["id": "other"], ["id": 1]])
            #expect(result.inserted == 3 && result.errors == 0)
            #expect(try await marvel.get(key) == ["id": key, "v": 1])
            #expect(try await marvel.insert(["id": key]).errors == 1)
        }
    }

    @Test("Two times at one instant in different timezones are one key")
    func timeKeys() async throws {
        try await withMarvel { marvel, _ in
            let utc: Document = ["$reql_type$": "TIME", "epoch_time": 1_500_000_000, "timezone": "+00:00"]
            let west: Document = ["$reql_type$": "TIME", "epoch_time": 1_500_000_000, "timezone": "-07:00"]
            try await marvel.insert(["id": utc])
            #expect(try await marvel.insert(["id": west]).errors == 1)
            #expect(try await marvel.get(west)?["id"]?["timezone"] == "+00:00")
        }
    }
}
