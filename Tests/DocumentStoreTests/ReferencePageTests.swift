import Foundation
import Testing
@testable import DocumentStore

/// The four examples of RethinkDB's `table.insert` reference page (the 1.x Python API), in Swift.
@Suite("The reference page's examples")
struct ReferencePageTests {
    @Test("Inserting a row gives one inserted and a generated key")
    func insertOneRow() async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.insert(["superhero": "Iron Man", "superpower": "Arc Reactor"])
            #expect(result.inserted == 1)
            #expect(result.replaced == 0 && result.unchanged == 0 && result.errors == 0)
            #expect(result.deleted == 0 && result.skipped == 0)
            #expect(result.firstError == nil)
            let key = try #require(result.generatedKeys?.first)
            #expect(result.generatedKeys?.count == 1)
            let stored = try #require(try await marvel.get(.string(key)))
            #expect(stored == ["id": .string(key), "superhero": "Iron Man", "superpower": "Arc Reactor"])
        }
    }

    @Test("Inserting several rows with soft durability inserts them all at the soft level")
    func insertMultipleRowsSoft() async throws {
        try await withMarvel { marvel, store in
            let result = try await marvel.insert([
                ["superhero": "Wolverine", "superpower": "Adamantium"],
                ["superhero": "Spiderman", "superpower": "spidy sense"],
            ], durability: .soft)
            #expect(result.inserted == 2)
            #expect(result.errors == 0)
            #expect(result.generatedKeys?.count == 2)
            #expect(try await store.writerSynchronousLevel() == "NORMAL")
        }
    }

    @Test("Upsert replaces the existing row")
    func upsertReplaces() async throws {
        try await withMarvel(primaryKey: "superhero") { marvel, _ in
            try await marvel.insert(["superhero": "Iron Man", "superpower": "Repulsors"])
            let result = try await marvel.insert(["superhero": "Iron Man", "superpower": "Arc Reactor"], upsert: true)
            #expect(result.replaced == 1)
            #expect(result.inserted == 0 && result.errors == 0)
            #expect(try await marvel.get("Iron Man")?["superpower"] == "Arc Reactor")
        }
    }

    @Test("Upsert with return_vals returns the old and the new row at the top level")
    func upsertReturnValues() async throws {
        try await withMarvel(primaryKey: "superhero") { marvel, _ in
            try await marvel.insert(["superhero": "Iron Man", "superpower": "Repulsors"])
            let result = try await marvel.insert(["superhero": "Iron Man", "superpower": "Arc Reactor"],
                                                 upsert: true, returnValues: true)
            #expect(result.replaced == 1)
            #expect(result.legacyValues?.oldValue == ["superhero": "Iron Man", "superpower": "Repulsors"])
            #expect(result.legacyValues?.newValue == ["superhero": "Iron Man", "superpower": "Arc Reactor"])
            #expect(result.jsonString == #"{"deleted":0,"errors":0,"inserted":0,"new_val":{"superhero":"Iron Man","superpower":"Arc Reactor"},"old_val":{"superhero":"Iron Man","superpower":"Repulsors"},"replaced":1,"skipped":0,"unchanged":0}"#)
        }
    }

    @Test("The sqlite3 shell shows plain rows and JSON text")
    func sqliteShellShowsRows() async throws {
        try await withFileStore { store, path in
            try await store.tableCreate("marvel")
            try await store.table("marvel").insert(["id": "Iron Man", "superpower": "Arc Reactor"])
            let output = try sqlite3Shell(path, "select id, doc from marvel")
            #expect(output == "Iron Man|{\"id\":\"Iron Man\",\"superpower\":\"Arc Reactor\"}\n")
        }
    }
}
