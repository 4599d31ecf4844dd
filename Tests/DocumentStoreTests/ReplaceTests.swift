import Foundation
import Testing
@testable import DocumentStore

/// An error a replace or update closure throws; its description becomes the row's error.
private struct HeroError: Error, CustomStringConvertible {
    let description: String
}

/// `table.get(key).replace(...)` (spec §8.2) with RethinkDB's per-row error texts (§3.2).
@Suite("Modify: replace")
struct ReplaceTests {
    @Test("replace on a missing key with a document holding that key inserts it",
          arguments: Durability.allCases)
    func replaceMissingInserts(durability: Durability) async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.document("sdfjk").replace(["id": "sdfjk"], durability: durability,
                                                                    returnChanges: .on)
            #expect(result.jsonString == #"{"changes":[{"new_val":{"id":"sdfjk"},"old_val":null}],"deleted":0,"errors":0,"inserted":1,"replaced":0,"skipped":0,"unchanged":0}"#)
            #expect(try await marvel.get("sdfjk") == ["id": "sdfjk"])
        }
    }

    @Test("replace(nil) on a missing key is skipped")
    func replaceNilMissing() async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.document("non-existant").replace(nil)
            #expect(result.jsonString == #"{"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":1,"unchanged":0}"#)
            #expect(try await marvel.count() == 0)
        }
    }

    @Test("replace(nil) on an existing key deletes it")
    func replaceNilDeletes() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1, "a": 1])
            let result = try await marvel.document(1).replace(nil, returnChanges: .on)
            #expect(result.jsonString == #"{"changes":[{"new_val":null,"old_val":{"a":1,"id":1}}],"deleted":1,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":0}"#)
            #expect(try await marvel.get(1) == nil)
        }
    }

    @Test("a JSON null is RethinkDB's null: replace(.null) deletes an existing row and skips a missing one")
    func replaceJSONNull() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1])
            let deleted = try await marvel.document(1).replace(Document.null)
            #expect(deleted.jsonString == #"{"deleted":1,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":0}"#)
            let skipped = try await marvel.document(2).replace(Document.null)
            #expect(skipped.jsonString == #"{"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":1,"unchanged":0}"#)
            #expect(try await marvel.count() == 0)
        }
    }

    @Test("a replace closure returning a JSON null deletes the row")
    func replaceClosureJSONNull() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert([["id": 1, "keep": false], ["id": 2, "keep": true]])
            let result = try await marvel.replace { old in old?["keep"] == true ? old : Document.null }
            #expect(result.deleted == 1)
            #expect(result.unchanged == 1)
            #expect(result.errors == 0)
            #expect(try await marvel.all.values() == [["id": 2, "keep": true]])
        }
    }

    @Test("replace with a different document replaces it whole (fields not given are gone)")
    func replaceReplaces() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": "Iron Man", "superpower": "Arc Reactor", "age": 48])
            let result = try await marvel.document("Iron Man").replace(["id": "Iron Man", "superpower": "Nanotech suit"])
            #expect(result.replaced == 1)
            #expect(result.unchanged == 0 && result.errors == 0)
            #expect(try await marvel.get("Iron Man") == ["id": "Iron Man", "superpower": "Nanotech suit"])
        }
    }

    @Test("replace with an equal document (keys in another order, 1 as 1.0) is unchanged")
    func replaceEqualIsUnchanged() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(json: #"{"id": 1, "b": [1, 2], "a": {"y": 2, "x": 1}}"#)
            let result = try await marvel.document(1).replace(json(#"{"a": {"x": 1.0, "y": 2}, "b": [1, 2.0], "id": 1.0}"#))
            #expect(result.jsonString == #"{"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":1}"#)
        }
    }

    @Test("replace without the primary key fails with RethinkDB's message")
    func replaceWithoutPrimaryKey() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1])
            let result = try await marvel.document(1).replace(["a": 1])
            #expect(result.errors == 1)
            #expect(result.firstError == "Inserted object must have primary key `id`:\n{\n\t\"a\":\t1\n}")
            #expect(try await marvel.get(1) == ["id": 1])
        }
    }

    @Test("replace on an existing row with another key fails with the backtick message")
    func replaceChangesKeyOfExisting() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1])
            let result = try await marvel.document(1).replace(["id": 2, "a": 1])
            #expect(result.firstError == "Primary key `id` cannot be changed (`{\n\t\"id\":\t1\n}` -> `{\n\t\"a\":\t1,\n\t\"id\":\t2\n}`).")
            #expect(try await marvel.get(2) == nil)
            #expect(try await marvel.get(1) == ["id": 1])
        }
    }

    @Test("replace on a missing row with another key fails with the null message and inserts nothing")
    func replaceChangesKeyOfMissing() async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.document("sdfjki").replace(["id": "sdfjk"])
            #expect(result.jsonString == #"{"deleted":0,"errors":1,"first_error":"Primary key `id` cannot be changed (null -> {\n\t\"id\":\t\"sdfjk\"\n})","inserted":0,"replaced":0,"skipped":0,"unchanged":0}"#)
            #expect(result.firstError == "Primary key `id` cannot be changed (null -> {\n\t\"id\":\t\"sdfjk\"\n})")
            #expect(try await marvel.count() == 0)
        }
    }

    @Test("replace with a value that is not an object fails naming its type",
          arguments: [
              (Document.number(2), "Inserted value must be an OBJECT (got NUMBER):\n2"),
              (Document.string("x"), "Inserted value must be an OBJECT (got STRING):\n\"x\""),
              (Document.array([1]), "Inserted value must be an OBJECT (got ARRAY):\n[\n\t1\n]"),
              (Document.bool(true), "Inserted value must be an OBJECT (got BOOL):\ntrue"),
          ])
    func replaceWithNonObject(value: Document, message: String) async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1])
            let result = try await marvel.document(1).replace(value)
            #expect(result.errors == 1)
            #expect(result.firstError == message)
            #expect(try await marvel.get(1) == ["id": 1])
        }
    }

    @Test("replace with returnChanges .always on an error gives old_val, new_val and error")
    func replaceErrorEntryAlways() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1])
            let result = try await marvel.document(1).replace(.number(2), returnChanges: .always)
            #expect(result.jsonString == #"{"changes":[{"error":"Inserted value must be an OBJECT (got NUMBER):\n2","new_val":{"id":1},"old_val":{"id":1}}],"deleted":0,"errors":1,"first_error":"Inserted value must be an OBJECT (got NUMBER):\n2","inserted":0,"replaced":0,"skipped":0,"unchanged":0}"#)
        }
    }

    @Test("a replace closure sees nil for a missing row and may insert it")
    func replaceClosureOnMissing() async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.document(7).replace { old in
                old == nil ? ["id": 7, "created": true] : ["id": 7, "created": false]
            }
            #expect(result.inserted == 1)
            #expect(try await marvel.get(7) == ["id": 7, "created": true])
        }
    }

    @Test("a closure that throws fails its row with the error's text; the other rows are written")
    func throwingClosureFailsOneRow() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert([["id": 1, "n": 1], ["id": 2, "n": 2], ["id": 3, "n": 3]])
            let result = try await marvel.getAll(1, 2, 3).replace { old in
                guard var hero = old else { return nil }
                if hero["id"] == 2 { throw HeroError(description: "no access to 2") }
                hero["n"] = 10
                return hero
            }
            #expect(result.jsonString == #"{"deleted":0,"errors":1,"first_error":"no access to 2","inserted":0,"replaced":2,"skipped":0,"unchanged":0}"#)
            #expect(try await marvel.get(1) == ["id": 1, "n": 10])
            #expect(try await marvel.get(2) == ["id": 2, "n": 2])
            #expect(try await marvel.get(3) == ["id": 3, "n": 10])
        }
    }

    @Test("an update closure throwing a DocumentStoreError counts its message")
    func throwingUpdateClosureUsesMessage() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert([["id": 1], ["id": 2]])
            let result = try await marvel.all.update(returnChanges: .always) { hero in
                if hero["id"] == 1 { throw DocumentStoreError(.queryLogic, "a") }
                return ["seen": true]
            }
            #expect(result.errors == 1)
            #expect(result.replaced == 1)
            #expect(result.firstError == "a")
            #expect(result.changes?.contains(WriteResult.Change(oldValue: ["id": 1], newValue: ["id": 1], error: "a")) == true)
            #expect(result.changes?.contains(WriteResult.Change(oldValue: ["id": 2], newValue: ["id": 2, "seen": true])) == true)
            #expect(try await marvel.get(2) == ["id": 2, "seen": true])
        }
    }

    @Test("the first error is the first failing row's, later ones only add to errors")
    func firstErrorIsTheFirst() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert([["id": 1], ["id": 2], ["id": 3]])
            let result = try await marvel.getAll(1, 2, 3).replace { old in
                guard let id = old?["id"]?.intValue else { return nil }
                return id == 1 ? ["id": 1, "ok": true] : ["n": .number(Double(id))]
            }
            #expect(result.errors == 2)
            #expect(result.replaced == 1)
            #expect(result.firstError == "Inserted object must have primary key `id`:\n{\n\t\"n\":\t2\n}")
        }
    }

    private func json(_ text: String) throws -> Document {
        try Document(parsing: text)
    }
}
