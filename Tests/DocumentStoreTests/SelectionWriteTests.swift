import Foundation
import Testing
@testable import DocumentStore

/// Writes to several documents at once: `getAll(...)` and the whole table, which is scanned a
/// page of 1,000 rows at a time (so 2,500 rows cross two page boundaries), and `count()`.
@Suite("Modify: getAll, whole-table writes and count")
struct SelectionWriteTests {
    /// 2,500 documents `{"id": n, "n": n}`, n = 0..<2500, inserted in key order.
    private func insertHeroes(_ marvel: Table, count: Int = 2_500) async throws {
        let result = try await marvel.insert((0..<count).map { ["id": .number(Double($0)), "n": .number(Double($0))] },
                                             durability: .soft)
        try #require(result.inserted == count)
    }

    /// How many stored rows match a SQL condition on `doc`, as the sqlite3 shell says.
    private func rows(_ store: DocumentStore, where condition: String) throws -> String {
        try sqlite3Shell(store.path, "select count(*) from marvel where \(condition)")
    }

    /// The expected length of `changes`: none without returnChanges, else the given count.
    private func changeCount(_ mode: ReturnChanges, on: Int, always: Int) -> Int? {
        switch mode {
        case .off: return nil
        case .on: return on
        case .always: return always
        }
    }

    // MARK: getAll

    @Test("getAll with some missing keys updates only the present documents")
    func getAllUpdateSkipsMissing() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert([["id": 1], ["id": 2], ["id": 3]])
            let result = try await marvel.getAll(1, 99, 3, "x").update(["seen": true], returnChanges: .always)
            #expect(result.jsonString == #"{"changes":[{"new_val":{"id":1,"seen":true},"old_val":{"id":1}},{"new_val":{"id":3,"seen":true},"old_val":{"id":3}}],"deleted":0,"errors":0,"inserted":0,"replaced":2,"skipped":0,"unchanged":0}"#)
            #expect(try await marvel.get(2) == ["id": 2])
            #expect(try await marvel.get(99) == nil)
            #expect(try await marvel.count() == 3)
        }
    }

    @Test("getAll delete and replace touch only the present documents")
    func getAllDeleteAndReplace() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert([["id": "a"], ["id": "b"], ["id": "c"]])
            let replaced = try await marvel.getAll(["a", "zzz"]).replace { old in
                old.map { _ in ["id": "a", "v": 2] }
            }
            #expect(replaced.jsonString == #"{"deleted":0,"errors":0,"inserted":0,"replaced":1,"skipped":0,"unchanged":0}"#)
            #expect(try await marvel.get("zzz") == nil)
            let deleted = try await marvel.getAll("b", "nope", "c").delete()
            #expect(deleted.jsonString == #"{"deleted":2,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":0}"#)
            #expect(try await marvel.all.values() == [["id": "a", "v": 2]])
        }
    }

    @Test("a selection's values and count leave out missing keys")
    func selectionCounts() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert([["id": 1, "a": "x"], ["id": 2], ["id": 3]])
            #expect(try await marvel.document(1).count() == 1)
            #expect(try await marvel.document(42).count() == 0)
            #expect(try await marvel.document(1).values() == [["id": 1, "a": "x"]])
            #expect(try await marvel.getAll(1, 42, 3).count() == 2)
            #expect(try await marvel.getAll(3, 42, 1).values() == [["id": 3], ["id": 1, "a": "x"]])
            #expect(try await marvel.all.count() == 3)
        }
    }

    // MARK: count

    @Test("count follows inserts and deletes")
    func countFollowsWrites() async throws {
        try await withMarvel { marvel, _ in
            #expect(try await marvel.count() == 0)
            try await marvel.insert([["id": 1], ["id": 2], ["id": 3]])
            #expect(try await marvel.count() == 3)
            try await marvel.document(2).delete()
            #expect(try await marvel.count() == 2)
            try await marvel.document(9).replace(["id": 9])
            #expect(try await marvel.count() == 3)
        }
    }

    @Test("count of a missing table throws")
    func countMissingTable() async throws {
        try await withFileStore { store, _ in
            _ = await #expect(throws: DocumentStoreError(.opFailed, "Table `test.ghosts` does not exist.")) {
                try await store.table("ghosts").count()
            }
        }
    }

    // MARK: whole table

    @Test("a whole-table update over 2,500 documents counts each one, then unchanged on a repeat",
          arguments: Durability.allCases, [ReturnChanges.off, .on, .always])
    func wholeTableUpdate(durability: Durability, returnChanges: ReturnChanges) async throws {
        try await withMarvel { marvel, store in
            try await insertHeroes(marvel)
            let first = try await marvel.update(["checked": true], durability: durability, returnChanges: returnChanges)
            #expect(first.replaced == 2_500)
            #expect(first.unchanged == 0 && first.errors == 0 && first.skipped == 0)
            #expect(first.changes?.count == changeCount(returnChanges, on: 2_500, always: 2_500))
            #expect(try rows(store, where: "json_extract(doc, '$.checked') = 1") == "2500\n")

            let second = try await marvel.update(["checked": true], durability: durability, returnChanges: returnChanges)
            #expect(second.unchanged == 2_500)
            #expect(second.replaced == 0)
            #expect(second.changes?.count == changeCount(returnChanges, on: 0, always: 2_500))
        }
    }

    @Test("a whole-table replace over 2,500 documents replaces each once",
          arguments: Durability.allCases, [ReturnChanges.off, .always])
    func wholeTableReplace(durability: Durability, returnChanges: ReturnChanges) async throws {
        try await withMarvel { marvel, store in
            try await insertHeroes(marvel)
            let result = try await marvel.replace(durability: durability, returnChanges: returnChanges) { old in
                guard var hero = old, let n = hero["n"]?.doubleValue else { return nil }
                hero["n"] = .number(n + 10_000)
                return hero
            }
            #expect(result.replaced == 2_500)
            #expect(result.errors == 0 && result.deleted == 0 && result.inserted == 0)
            #expect(result.changes?.count == (returnChanges == .off ? nil : 2_500))
            // Each row was transformed exactly once: n = id + 10000 everywhere.
            #expect(try rows(store, where: "json_extract(doc, '$.n') = id + 10000") == "2500\n")
            #expect(try await marvel.get(2_499) == ["id": 2_499, "n": 12_499])
        }
    }

    @Test("a whole-table delete over 2,500 documents deletes them all",
          arguments: Durability.allCases, [ReturnChanges.off, .on])
    func wholeTableDelete(durability: Durability, returnChanges: ReturnChanges) async throws {
        try await withMarvel { marvel, _ in
            try await insertHeroes(marvel)
            let result = try await marvel.delete(durability: durability, returnChanges: returnChanges)
            #expect(result.deleted == 2_500)
            #expect(result.skipped == 0 && result.errors == 0)
            #expect(result.changes?.count == (returnChanges == .off ? nil : 2_500))
            #expect(result.changes?.first == (returnChanges == .off ? nil : WriteResult.Change(oldValue: ["id": 0, "n": 0], newValue: nil)))
            #expect(try await marvel.count() == 0)
            // The table is still there, empty.
            #expect(try await marvel.delete().jsonString == #"{"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":0}"#)
        }
    }

    @Test("a whole-table update over 2,500 documents only writes those it changes")
    func wholeTableMixedOutcome() async throws {
        try await withMarvel { marvel, _ in
            try await insertHeroes(marvel)
            let result = try await marvel.all.update { hero in
                guard let n = hero["n"]?.intValue, n % 2 == 0 else { return nil }
                return ["even": true]
            }
            #expect(result.replaced == 1_250)
            #expect(result.unchanged == 1_250)
            #expect(try await marvel.get(1_998) == ["id": 1_998, "n": 1_998, "even": true])
            #expect(try await marvel.get(1_999) == ["id": 1_999, "n": 1_999])
        }
    }

    @Test("a batch with failing rows still writes the others, on both sides of a page boundary",
          arguments: Durability.allCases)
    func failingRowsDoNotStopTheBatch(durability: Durability) async throws {
        try await withMarvel { marvel, _ in
            try await insertHeroes(marvel)
            let result = try await marvel.replace(durability: durability) { old in
                guard var hero = old, let n = hero["n"]?.intValue else { return nil }
                if n % 1_000 == 999 { return ["n": .number(Double(n))] }   // no primary key
                hero["done"] = true
                return hero
            }
            #expect(result.errors == 2)
            #expect(result.replaced == 2_498)
            #expect(result.firstError == "Inserted object must have primary key `id`:\n{\n\t\"n\":\t999\n}")
            #expect(try await marvel.get(999) == ["id": 999, "n": 999])
            #expect(try await marvel.get(1_999) == ["id": 1_999, "n": 1_999])
            #expect(try await marvel.get(1_000) == ["id": 1_000, "n": 1_000, "done": true])
            #expect(try await marvel.count() == 2_500)
        }
    }

    @Test("a whole-table replace returning nil for some rows deletes just those")
    func wholeTableReplaceDeletesSome() async throws {
        try await withMarvel { marvel, _ in
            try await insertHeroes(marvel, count: 1_500)
            let result = try await marvel.replace { old in
                guard let hero = old, let n = hero["n"]?.intValue else { return nil }
                if n < 1_200 { return nil }
                return hero
            }
            #expect(result.deleted == 1_200)
            #expect(result.unchanged == 300)
            #expect(try await marvel.count() == 300)
        }
    }
}
