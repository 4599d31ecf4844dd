import Foundation
import Testing
@testable import DocumentStore

/// `table.get(key).update(...)` and `.delete()` on one document (spec §2.3, §2.4, §3.2, §8.3,
/// §8.4). Replace has its own file (ReplaceTests.swift).
@Suite("Modify: update and delete of one document")
struct ModifyTests {
    // MARK: update

    @Test("update merges deeply, replaces arrays and stores null values")
    func updateDeepMerge() async throws {
        try await withMarvel { marvel, store in
            try await marvel.insert(["id": 1, "name": "Iron Man", "stats": ["strength": 80, "speed": 60],
                                     "tags": ["avenger"], "retired": false])
            let result = try await marvel.document(1).update(
                ["stats": ["strength": 85, "armor": ["mark": 42]], "tags": ["stark"], "retired": .null])
            #expect(result.jsonString == #"{"deleted":0,"errors":0,"inserted":0,"replaced":1,"skipped":0,"unchanged":0}"#)
            #expect(try await marvel.get(1) == ["id": 1, "name": "Iron Man", "retired": .null,
                                                "stats": ["armor": ["mark": 42], "speed": 60, "strength": 85],
                                                "tags": ["stark"]])
            // The null is stored as a JSON null, not dropped (unlike SQLite's json_patch).
            let stored = try sqlite3Shell(store.path, "select doc, json_type(doc, '$.retired') from marvel")
            #expect(stored == #"{"id":1,"name":"Iron Man","retired":null,"stats":{"armor":{"mark":42},"speed":60,"strength":85},"tags":["stark"]}|null"# + "\n")
        }
    }

    @Test("update with returnChanges .on reports the old and the new document")
    func updateReturnsChange() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": "Thor", "weapon": "Mjolnir"])
            let result = try await marvel.document("Thor").update(["weapon": "Stormbreaker"], returnChanges: .on)
            #expect(result.replaced == 1)
            #expect(result.changes == [WriteResult.Change(oldValue: ["id": "Thor", "weapon": "Mjolnir"],
                                                          newValue: ["id": "Thor", "weapon": "Stormbreaker"])])
        }
    }

    @Test("update of a missing document is skipped, with the changes each returnChanges mode asks for",
          arguments: [
              (ReturnChanges.off, #"{"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":1,"unchanged":0}"#),
              (ReturnChanges.on, #"{"changes":[],"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":1,"unchanged":0}"#),
              (ReturnChanges.always, #"{"changes":[{"new_val":null,"old_val":null}],"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":1,"unchanged":0}"#),
          ])
    func updateMissingIsSkipped(returnChanges: ReturnChanges, expected: String) async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.document("nobody").update(["a": 1], returnChanges: returnChanges)
            #expect(result.jsonString == expected)
            #expect(try await marvel.get("nobody") == nil)
            #expect(try await marvel.count() == 0)
        }
    }

    @Test("update that changes nothing counts unchanged and writes nothing",
          arguments: [
              (ReturnChanges.off, #"{"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":1}"#),
              (ReturnChanges.on, #"{"changes":[],"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":1}"#),
              (ReturnChanges.always, #"{"changes":[{"new_val":{"a":1,"id":1},"old_val":{"a":1,"id":1}}],"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":1}"#),
          ])
    func updateUnchanged(returnChanges: ReturnChanges, expected: String) async throws {
        let log = WriterTrace()
        var configuration = DocumentStore.Configuration()
        configuration.trace = { log.append($0) }
        try await withFileStore(configuration: configuration) { store, _ in
            try await store.tableCreate("marvel")
            let marvel = store.table("marvel")
            try await marvel.insert(["id": 1, "a": 1])
            log.clear()
            // 1.0 is the same number as 1: still unchanged.
            let result = try await marvel.document(1).update(["a": 1.0], returnChanges: returnChanges)
            #expect(result.jsonString == expected)
            #expect(!log.lines.contains { $0.hasPrefix(#"UPDATE "marvel""#) })
            // The control: a real change does run the UPDATE.
            try await marvel.document(1).update(["a": 2])
            #expect(log.lines.contains(#"UPDATE "marvel" SET doc = ? WHERE id = ?"#))
        }
    }

    @Test("update with an empty patch and returnChanges .on gives an empty changes array")
    func updateEmptyPatch() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 0])
            let result = try await marvel.document(0).update([:], returnChanges: .on)
            #expect(result.unchanged == 1)
            #expect(result.changes == [])
        }
    }

    @Test("an update closure returning nil leaves the document unchanged")
    func updateClosureNil() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1, "a": 1])
            let result = try await marvel.document(1).update { _ in nil }
            #expect(result.jsonString == #"{"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":1}"#)
            #expect(try await marvel.get(1) == ["id": 1, "a": 1])
        }
    }

    @Test("update with a JSON null, as patch or from the closure, leaves the document unchanged")
    func updateJSONNull() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1, "a": 1])
            let patch = try await marvel.document(1).update(Document.null)
            #expect(patch.jsonString == #"{"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":1}"#)
            let closure = try await marvel.document(1).update { _ in Document.null }
            #expect(closure.jsonString == #"{"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":1}"#)
            #expect(try await marvel.get(1) == ["id": 1, "a": 1])
        }
    }

    @Test("an update closure's result is merged into the document")
    func updateClosureMerges() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1, "visits": 41, "name": "Hulk"])
            let result = try await marvel.document(1).update { hero in
                ["visits": .number((hero["visits"]?.doubleValue ?? 0) + 1)]
            }
            #expect(result.replaced == 1)
            #expect(try await marvel.get(1) == ["id": 1, "visits": 42, "name": "Hulk"])
        }
    }

    @Test("update that changes the primary key fails with RethinkDB's message and keeps the row")
    func updatePrimaryKeyChange() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1])
            let result = try await marvel.document(1).update(["id": 2, "d": 1])
            #expect(result.errors == 1)
            #expect(result.replaced == 0 && result.inserted == 0 && result.unchanged == 0)
            #expect(result.firstError == "Primary key `id` cannot be changed (`{\n\t\"id\":\t1\n}` -> `{\n\t\"d\":\t1,\n\t\"id\":\t2\n}`).")
            #expect(try await marvel.get(1) == ["id": 1])
            #expect(try await marvel.get(2) == nil)
        }
    }

    @Test("a failed update with returnChanges .always has an entry with the error and the old value twice")
    func updateErrorChangeEntry() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1])
            let result = try await marvel.document(1).update(["id": 2, "d": 1], returnChanges: .always)
            #expect(result.changes == [WriteResult.Change(
                oldValue: ["id": 1], newValue: ["id": 1],
                error: "Primary key `id` cannot be changed (`{\n\t\"id\":\t1\n}` -> `{\n\t\"d\":\t1,\n\t\"id\":\t2\n}`).")])
        }
    }

    @Test("a failed update with returnChanges .on has an empty changes array")
    func updateErrorWithReturnChangesOn() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1])
            let result = try await marvel.document(1).update(["id": 2], returnChanges: .on)
            #expect(result.errors == 1)
            #expect(result.changes == [])
        }
    }

    @Test("update on a table with a custom primary key checks that key")
    func updateCustomPrimaryKey() async throws {
        try await withMarvel(primaryKey: "superhero") { marvel, _ in
            try await marvel.insert(["superhero": "Iron Man", "superpower": "Arc Reactor"])
            let result = try await marvel.document("Iron Man").update(["superhero": "War Machine"])
            #expect(result.firstError == "Primary key `superhero` cannot be changed (`{\n\t\"superhero\":\t\"Iron Man\",\n\t\"superpower\":\t\"Arc Reactor\"\n}` -> `{\n\t\"superhero\":\t\"War Machine\",\n\t\"superpower\":\t\"Arc Reactor\"\n}`).")
            let ok = try await marvel.document("Iron Man").update(["superpower": "Nanotech"])
            #expect(ok.replaced == 1)
            #expect(try await marvel.get("Iron Man") == ["superhero": "Iron Man", "superpower": "Nanotech"])
        }
    }

    @Test("a null key is refused before anything runs")
    func nullKeyThrows() async throws {
        try await withMarvel { marvel, _ in
            _ = await #expect(throws: DocumentStoreError(.nonExistence, "Primary keys must be either a number, string, bool, pseudotype or array (got type NULL):\nnull")) {
                try await marvel.document(.null).update(["a": 1])
            }
        }
    }

    @Test("a write to a missing table throws RethinkDB's does-not-exist error")
    func missingTableThrows() async throws {
        try await withFileStore { store, _ in
            await #expect(throws: DocumentStoreError(.opFailed, "Table `test.nope` does not exist.")) {
                try await store.table("nope").document(1).update(["a": 1])
            }
            await #expect(throws: DocumentStoreError(.opFailed, "Table `test.nope` does not exist.")) {
                try await store.table("nope").delete()
            }
        }
    }

    // MARK: delete

    @Test("delete of an existing document counts deleted and reports old_val with a null new_val",
          arguments: [ReturnChanges.on, .always])
    func deleteExisting(returnChanges: ReturnChanges) async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": "Loki", "team": "none"])
            let result = try await marvel.document("Loki").delete(returnChanges: returnChanges)
            #expect(result.jsonString == #"{"changes":[{"new_val":null,"old_val":{"id":"Loki","team":"none"}}],"deleted":1,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":0}"#)
            #expect(try await marvel.get("Loki") == nil)
            #expect(try await marvel.count() == 0)
        }
    }

    @Test("delete of a missing document is skipped", arguments: Durability.allCases)
    func deleteMissing(durability: Durability) async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": "Thor"])
            let result = try await marvel.document("Loki").delete(durability: durability)
            #expect(result.jsonString == #"{"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":1,"unchanged":0}"#)
            #expect(try await marvel.count() == 1)
        }
    }

    @Test("delete of a missing document with returnChanges .always reports a null pair")
    func deleteMissingAlways() async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.document("Loki").delete(returnChanges: .always)
            #expect(result.skipped == 1)
            #expect(result.changes == [WriteResult.Change(oldValue: nil, newValue: nil)])
        }
    }

    @Test("a deleted row is gone from the file")
    func deleteRemovesRow() async throws {
        try await withMarvel { marvel, store in
            try await marvel.insert([["id": 1], ["id": 2]])
            try await marvel.document(1).delete()
            #expect(try sqlite3Shell(store.path, "select id from marvel") == "2\n")
        }
    }
}
