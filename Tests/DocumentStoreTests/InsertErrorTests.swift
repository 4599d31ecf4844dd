import Foundation
import Testing
@testable import DocumentStore

/// `insert`'s failures: per-document errors are counted (the other documents are written), and
/// whole-call errors are thrown with nothing written.
@Suite("Insert: errors")
struct InsertErrorTests {
    // MARK: Per-document errors

    static let invalidDocuments: [(document: Document, message: String)] = [
        (["id": .null], "Primary keys must be either a number, string, bool, pseudotype or array (got type NULL):\nnull"),
        (["id": ["a": 1]], "Primary keys must be either a number, string, bool, pseudotype or array (got type OBJECT):\n{\n\t\"a\":\t1\n}"),
        (["id": [1, .null]], "Array keys can only contain numbers, strings, bools,  pseudotypes, or arrays (got null of type NULL)."),
        (["id": ["$reql_type$": "GEOMETRY", "type": "Point", "coordinates": [0, 0]]],
         "Cannot use a geometry value as a key value in a primary or non-geospatial secondary index."),
        (["id": .string(String(repeating: "a", count: 128))],
         "Primary key too long (max 127 characters): \"" + String(repeating: "a", count: 128) + "\""),
        (["id": .string(String(repeating: "é", count: 64))],
         "Primary key too long (max 127 characters): \"" + String(repeating: "é", count: 64) + "\""),
        (["id": [.string(String(repeating: "b", count: 126))]],
         "Primary key too long (max 127 characters): [\n\t\"" + String(repeating: "b", count: 126) + "\"\n]"),
        (["id": "\u{0}"], #"String "\x00" (truncated) contains NULL byte at offset 0 in index key."#),
        (["id": "ab\u{0}c"], #"String "ab\x00c" (truncated) contains NULL byte at offset 2 in index key."#),
        (["id": "abcdefghijklmnopqrstuvwxyz\u{0}"], #"String "abcdefghijklmnopqrst" (truncated) contains NULL byte at offset 26 in index key."#),
        (["id": ["ok", "\u{0}"]], #"String "\x00" (truncated) contains NULL byte at offset 0 in index key."#),
        (1, "Expected type OBJECT but found NUMBER."),
        ("x", "Expected type OBJECT but found STRING."),
        (.null, "Expected type OBJECT but found NULL."),
        ([1], "Expected type OBJECT but found ARRAY."),
        (["id": 5, "x": .number(.nan)], "Non-finite number: nan"),
        (["id": 5, "x": [.number(.infinity)]], "Non-finite number: inf"),
        (["id": 5, "x": ["y": .number(-.infinity)]], "Non-finite number: -inf"),
        (["id": 5, "big": .array(Array(repeating: 0, count: 100_001))], "Array too large for disk writes (limit 100,000 elements)."),
        (["id": 5, "deep": ["big": .array(Array(repeating: .null, count: 100_001))]], "Array too large for disk writes (limit 100,000 elements)."),
    ]

    @Test("A bad document is counted with RethinkDB's message and the others are written", arguments: invalidDocuments)
    func invalidDocument(document: Document, message: String) async throws {
        try await withMarvel { marvel, store in
            let result = try await marvel.insert([["id": 1], document, ["id": 2]])
            #expect(result.errors == 1)
            #expect(result.inserted == 2)
            #expect(result.firstError == message)
            #expect(try shellRowCount(store) == 2)
        }
    }

    @Test("Keys up to 127 UTF-8 bytes are accepted", arguments: [
        String(repeating: "a", count: 127), "a" + String(repeating: "é", count: 63), String(repeating: "😀", count: 31) + "abc",
    ])
    func longestKeys(key: String) async throws {
        #expect(key.utf8.count == 127)
        try await withMarvel { marvel, _ async throws in
            #expect(try await marvel.insert(["id": .string(key)]).inserted == 1)
            #expect(try await marvel.insert(json: "{\"id\": \"\(key)\", \"json\": true}", options: InsertOptions(conflict: .replace)).replaced == 1)
            #expect(try await marvel.get(.string(key)) == ["id": .string(key), "json": true])
        }
    }

    @Test("Keys over 127 bytes fail through JSON text too, escaped or not", arguments: [
        "\"" + String(repeating: "a", count: 128) + "\"",
        "\"\\u0061" + String(repeating: "a", count: 127) + "\"",
    ])
    func longKeysInJSON(keyText: String) async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.insert(json: "[{\"id\": \(keyText)}, {\"id\": 1}]")
            #expect(result.errors == 1 && result.inserted == 1)
            #expect(result.firstError == "Primary key too long (max 127 characters): \"" + String(repeating: "a", count: 128) + "\"")
        }
    }

    @Test("Arrays of exactly 100,000 elements can be stored")
    func largestArray() async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.insert(["id": 1, "big": .array(Array(repeating: 7, count: 100_000))])
            #expect(result.inserted == 1 && result.errors == 0)
            #expect(try await marvel.get(1)?["big"]?.arrayValue?.count == 100_000)
        }
    }

    @Test("A too-large array fails on replace and update too, and the stored document stays",
          arguments: [ConflictMode.replace, .update, .error])
    func tooLargeOnConflict(mode: ConflictMode) async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1, "v": 1])
            let result = try await marvel.insert(["id": 1, "big": .array(Array(repeating: 0, count: 100_001))], conflict: mode.strategy)
            #expect(result.errors == 1)
            #expect(result.firstError?.hasPrefix(mode == .error ? "Duplicate primary key `id`:" : "Array too large for disk writes (limit 100,000 elements).") == true)
            #expect(try await marvel.get(1) == ["id": 1, "v": 1])
        }
    }

    @Test("JSON text with a bad value fails that document only", arguments: [
        ([UInt8](#"[{"id":1,"s":"a"#.utf8) + [0xFF] + [UInt8](#""}, {"id":2}]"#.utf8),
         "String `a` (truncated) is not a UTF-8 string; Invalid initial byte seen at position 1."),
        (Array(#"[{"id":1,"x":NaN}, {"id":2}]"#.utf8), "Non-finite number: nan"),
        (Array(#"[{"id":1,"x":-1e400}, {"id":2}]"#.utf8), "Non-finite number: -inf"),
        (Array(#"[{"id":1,"a":1,"a":2}, {"id":2}]"#.utf8), #"Duplicate key "a" in JSON."#),
        (Array(#"[{"id":"\u0000"}, {"id":2}]"#.utf8), #"String "\x00" (truncated) contains NULL byte at offset 0 in index key."#),
        (Array(#"[17, {"id":2}]"#.utf8), "Expected type OBJECT but found NUMBER."),
    ] as [([UInt8], String)])
    func invalidJSONDocument(json: [UInt8], message: String) async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.insert(json: json)
            #expect(result.errors == 1 && result.inserted == 1)
            #expect(result.firstError == message)
            #expect(try await marvel.get(1) == nil)
            #expect(try await marvel.get(2) == ["id": 2])
        }
    }

    @Test("A validation error is preferred over an earlier duplicate for first_error")
    func firstErrorPreference() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 123])
            let long = String(repeating: "a", count: 500)
            let result = try await marvel.insert([["id": 123], ["id": .string(long)], ["id": 321]])
            #expect(result.errors == 2 && result.inserted == 1)
            #expect(result.firstError == "Primary key too long (max 127 characters): \"\(long)\"")
        }
    }

    @Test("Among storage errors, the first in input order is first_error")
    func firstStorageError() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert([["id": 1], ["id": 2]])
            let result = try await marvel.insert([["id": 3], ["id": 2], ["id": 1]])
            #expect(result.firstError == "Duplicate primary key `id`:\n{\n\t\"id\":\t2\n}\n{\n\t\"id\":\t2\n}")
        }
    }

    // MARK: Whole-call errors

    static let callErrors: [(name: String, value: Document, message: String)] = [
        ("number", 1, "Cannot convert NUMBER to SEQUENCE"),
        ("string", "x", "Cannot convert STRING to SEQUENCE"),
        ("null", .null, "Cannot convert NULL to SEQUENCE"),
        ("bool", true, "Cannot convert BOOL to SEQUENCE"),
    ]

    @Test("A value that is neither object nor array fails the call", arguments: callErrors)
    func notASequence(name: String, value: Document, message: String) async throws {
        try await withMarvel { marvel, store async throws in
            let error = await #expect(throws: DocumentStoreError.self) { try await marvel.insert(value) }
            #expect(error?.message == message)
            #expect(error?.code == .queryLogic)
            let jsonError = await #expect(throws: DocumentStoreError.self) { try await marvel.insert(json: value.jsonString) }
            #expect(jsonError?.message == message)
            #expect(try shellRowCount(store) == 0)
        }
    }

    @Test("A missing table fails the call")
    func missingTable() async throws {
        try await withFileStore { store, _ async throws in
            let nope = store.table("nope")
            let error = await #expect(throws: DocumentStoreError.self) { try await nope.insert(["id": 1]) }
            #expect(error?.message == "Table `test.nope` does not exist.")
            #expect(error?.code == .opFailed)
            let jsonError = await #expect(throws: DocumentStoreError.self) { try await nope.insert(json: "{}") }
            #expect(jsonError?.message == "Table `test.nope` does not exist.")
            #expect(try await store.tableList() == [])
        }
    }

    static let overLimit = "Array over size limit `100000`.  To raise the number of allowed elements, modify the `array_limit` option to `.run` (not available in the Data Explorer), or use an index."

    @Test("More than 100,000 documents in one call fail it, nothing written")
    func tooManyDocuments() async throws {
        try await withMarvel { marvel, store async throws in
            let documents = (0..<100_001).map { ["id": .number(Double($0))] as Document }
            let error = await #expect(throws: DocumentStoreError.self) { try await marvel.insert(documents) }
            #expect(error?.message == Self.overLimit)
            #expect(error?.code == .resourceLimit)
            let json = "[" + Array(repeating: "{}", count: 100_001).joined(separator: ",") + "]"
            let jsonError = await #expect(throws: DocumentStoreError.self) { try await marvel.insert(json: json) }
            #expect(jsonError?.message == Self.overLimit)
            #expect(try shellRowCount(store) == 0)
        }
    }

    @Test("Exactly 100,000 documents in one call are inserted")
    func largestCall() async throws {
        try await withMarvel { marvel, store in
            let result = try await marvel.insert([Document](repeating: [:], count: 100_000), durability: .soft)
            #expect(result.inserted == 100_000)
            #expect(result.generatedKeys?.count == 100_000)
            #expect(result.warnings == nil)
            #expect(try shellRowCount(store) == 100_000)
        }
    }

    @Test("Option errors fail the call before anything is written")
    func optionErrors() async throws {
        try await withMarvel { marvel, store async throws in
            var error = await #expect(throws: DocumentStoreError.self) { try await marvel.insert([["id": 1]], upsert: false, returnValues: true) }
            #expect(error?.message == "Optarg RETURN_VALS is invalid for multi-row inserts.")
            error = await #expect(throws: DocumentStoreError.self) { try await marvel.insert(json: #"[{"id": 1}]"#, options: .legacy(returnValues: true)) }
            #expect(error?.message == "Optarg RETURN_VALS is invalid for multi-row inserts.")
            error = #expect(throws: DocumentStoreError.self) { try InsertOptions.combining(conflict: .replace, durability: nil, returnChanges: nil, upsert: true, returnValues: nil) }
            #expect(error?.message == "Cannot use both `upsert` (RethinkDB 1.x) and `conflict`: `upsert: true` is `conflict: .replace`, `upsert: false` is `conflict: .error`.")
            #expect(error?.code == .compile)
            error = #expect(throws: DocumentStoreError.self) { try InsertOptions.combining(conflict: nil, durability: nil, returnChanges: .on, upsert: nil, returnValues: true) }
            #expect(error?.message == "Cannot use both `return_vals` (RethinkDB 1.x) and `return_changes`: use `return_changes`.")
            #expect(try shellRowCount(store) == 0)
        }
    }

    @Test("Option texts are parsed with RethinkDB's errors")
    func optionTexts() throws {
        var error = #expect(throws: DocumentStoreError.self) { try ConflictStrategy(option: "merge") }
        #expect(error?.message == #"Conflict option `merge` unrecognized (options are "error", "replace" and "update")."#)
        error = #expect(throws: DocumentStoreError.self) { try Durability(option: "medium") }
        #expect(error?.message == #"Durability option `medium` unrecognized (options are "hard" and "soft")."#)
        #expect(try Durability(option: "soft") == .soft)
        if case .update = try ConflictStrategy(option: "update") {} else { Issue.record("update") }
    }

    @Test("Upsert true replaces and upsert false errors, as conflict does")
    func upsert() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1, "v": 1])
            #expect(try await marvel.insert(["id": 1, "v": 2], upsert: false).errors == 1)
            #expect(try await marvel.insert(["id": 1, "v": 3], upsert: true).replaced == 1)
            #expect(try await marvel.get(1) == ["id": 1, "v": 3])
        }
    }

    @Test("An empty array gives exactly the six zero counters", arguments: [ReturnChanges.off, .on, .always])
    func emptyArray(returnChanges: ReturnChanges) async throws {
        try await withMarvel { marvel, _ async throws in
            let zeros = #"{"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":0}"#
            #expect(try await marvel.insert([Document](), returnChanges: returnChanges).jsonString == zeros)
            #expect(try await marvel.insert(json: " [ ] ", options: InsertOptions(returnChanges: returnChanges)).jsonString == zeros)
        }
    }
}
