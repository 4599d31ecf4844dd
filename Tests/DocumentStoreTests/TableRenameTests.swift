import Foundation
import Testing
@testable import DocumentStore

/// Renaming a table (RethinkDB's `table_config` name write): everything that belongs to the
/// table goes with it, under its id.
@Suite("Table rename")
struct TableRenameTests {
    @Test("A renamed table keeps its documents, id, indexes, write hook and change log")
    func keepsEverything() async throws {
        try await withFileStore { store, path in
            try await store.tableCreate("marvel", changeLog: .on())
            let marvel = store.table("marvel")
            try await marvel.insert([["id": 1, "team": "avengers"], ["id": 2, "team": "x-men"], ["id": 3, "team": "avengers"]])
            try await marvel.indexCreate("team")
            _ = try await marvel.indexWait()
            let hook = try WriteHookTests.hook(#"[35,[[10,[3]],{"hooked":true}]]"#)
            try await marvel.setWriteHook(hook)
            let before = try await marvel.config()

            let change = try await store.tableRename("marvel", to: "heroes")
            #expect(change.tablesCreated == 0 && change.tablesDropped == 0)
            #expect(change.oldValue?.name == "marvel" && change.newValue?.name == "heroes")
            #expect(change.newValue?.indexes == ["team"])

            let heroes = store.table("heroes")
            #expect(try await store.tableList() == ["heroes"])
            let after = try await heroes.config()
            #expect(after.id == before.id)
            #expect(after.indexes == ["team"])
            #expect(try await heroes.get(2) == ["id": 2, "team": "x-men"])
            let avengers = try await heroes.getAll(["avengers"], index: "team").map { $0["id"] }
            #expect(Set(avengers) == [1, 3])
            #expect(try await heroes.writeHook() == hook)
            try await heroes.insert(["id": 4, "team": "avengers"])
            #expect(try await heroes.get(4) == ["hooked": true, "id": 4, "team": "avengers"])
            #expect(try await heroes.getAll(["avengers"], index: "team").count == 3)
            // The log kept the changes made under the old name, and goes on under the new one.
            let feed = try await heroes.changes(.with { $0.since = 0 }).start()
            let events = try await take(4, from: feed)
            #expect(events.map { $0.newValue?["id"] } == [1, 2, 3, 4])
            // Nothing is left under the old name in the file.
            let names = try sqlite3Shell(path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'marvel%'")
            #expect(names.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
            let entryTables = try sqlite3Shell(path, "SELECT storage FROM \"docstore$indexes\"")
            #expect(entryTables.trimmingCharacters(in: .whitespacesAndNewlines) == "heroes$team")
        }
    }

    @Test("The old name is gone: handles made with it say the table does not exist")
    func oldNameIsGone() async throws {
        try await withMarvel { marvel, store in
            try await marvel.insert(["id": 1])
            try await store.tableRename("marvel", to: "heroes")
            let write = await #expect(throws: DocumentStoreError.self) { try await marvel.insert(["id": 2]) }
            #expect(write?.message == "Table `test.marvel` does not exist.")
            #expect(write?.reason == .tableDoesNotExist)
            let read = await #expect(throws: DocumentStoreError.self) { try await marvel.get(1) }
            #expect(read?.message == "Table `test.marvel` does not exist.")
            // A table made later under the old name is another table.
            try await store.tableCreate("marvel")
            #expect(try await marvel.count() == 0)
            #expect(try await marvel.config().id != store.table("heroes").config().id)
            #expect(try await store.table("heroes").get(1) == ["id": 1])
        }
    }

    @Test("Another store on the file, which had the table cached, gets does not exist after the rename")
    func otherStore() async throws {
        try await withFileStore { store, path in
            try await store.tableCreate("marvel")
            let other = try DocumentStore(path: path)
            let stale = other.table("marvel")
            try await stale.insert(["id": 1])
            #expect(try await stale.get(1) == ["id": 1])
            try await store.tableRename("marvel", to: "heroes")
            let write = await #expect(throws: DocumentStoreError.self) { try await stale.insert(["id": 2]) }
            #expect(write?.message == "Table `test.marvel` does not exist.")
            let read = await #expect(throws: DocumentStoreError.self) { try await stale.get(1) }
            #expect(read?.message == "Table `test.marvel` does not exist.")
            #expect(try await other.table("heroes").get(1) == ["id": 1])
            #expect(try await store.table("heroes").count() == 1)
        }
    }

    @Test("Refusals use RethinkDB's texts and change nothing", arguments: [
        ("marvel", "dc", "Table `test.dc` already exists."),
        ("nope", "other", "Table `test.nope` does not exist."),
        ("marvel", "a b", "Table name `a b` invalid (Use A-Z, a-z, 0-9, _ and - only)."),
        ("a b", "other", "Table name `a b` invalid (Use A-Z, a-z, 0-9, _ and - only)."),
        ("marvel", "DC", "Table `test.marvel` cannot be renamed to `DC`: `test.dc` exists, and SQLite table names ignore case."),
    ])
    func refusals(name: String, newName: String, message: String) async throws {
        try await withMarvel { marvel, store in
            try await marvel.insert(["id": 1])
            try await marvel.indexCreate("power")
            try await store.tableCreate("dc")
            let error = await #expect(throws: DocumentStoreError.self) { try await store.tableRename(name, to: newName) }
            #expect(error?.message == message)
            #expect(try await store.tableList() == ["dc", "marvel"])
            #expect(try await marvel.get(1) == ["id": 1])
            #expect(try await marvel.indexList() == ["power"])
        }
    }

    @Test("A rename that changes only letter case works, indexes included; the same name changes nothing")
    func letterCase() async throws {
        try await withMarvel { marvel, store in
            try await marvel.insert(["id": 1, "power": "flight"])
            try await marvel.indexCreate("power")
            try await store.tableRename("marvel", to: "Marvel")
            #expect(try await store.tableList() == ["Marvel"])
            #expect(try await store.table("Marvel").getAll(["flight"], index: "power").count == 1)
            let same = try await store.tableRename("Marvel", to: "Marvel")
            #expect(same.oldValue == same.newValue)
            #expect(try await store.table("Marvel").count() == 1)
        }
    }

    @Test("A rename lasts: the reopened file has the table under its new name")
    func reopen() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("store.sqlite")
        var id = ""
        do {
            let store = try DocumentStore(path: path)
            try await store.tableCreate("marvel", changeLog: .on())
            try await store.table("marvel").insert(["id": 1, "power": "flight"])
            try await store.table("marvel").indexCreate("power")
            id = try await store.table("marvel").config().id
            try await store.tableRename("marvel", to: "heroes")
        }
        let reopened = try DocumentStore(path: path)
        #expect(try await reopened.tableList() == ["heroes"])
        #expect(try await reopened.table("heroes").config().id == id)
        #expect(try await reopened.table("heroes").getAll(["flight"], index: "power").count == 1)
        let feed = try await reopened.table("heroes").changes(.with { $0.since = 0 }).start()
        #expect(try await take(1, from: feed).map { $0.newValue?["id"] } == [1])
    }

    @Test("An open change feed follows its table through a rename, as RethinkDB's follow the table's id")
    func feedFollows() async throws {
        try await withLoggedTable("marvel") { marvel, store, _ in
            let feed = try await marvel.changes().start()
            try await marvel.insert(["id": 1])
            #expect(try await take(1, from: feed).map { $0.newValue?["id"] } == [1])
            try await store.tableRename("marvel", to: "heroes")
            try await store.table("heroes").insert(["id": 2])
            #expect(try await take(1, from: feed).map { $0.newValue?["id"] } == [2])
        }
    }

    @Test("A limit feed, which cannot follow, ends with an error naming the new name")
    func limitFeedEnds() async throws {
        try await withLoggedTable("marvel") { marvel, store, _ in
            try await marvel.insert(["id": 1])
            let feed = try await marvel.orderBy(index: "id").limit(2).changes().start()
            try await store.tableRename("marvel", to: "heroes")
            try await store.table("heroes").insert(["id": 2])
            let error = await #expect(throws: DocumentStoreError.self) { _ = try await take(1, from: feed) }
            #expect(error?.message.contains("was renamed to `heroes`") == true)
        }
    }
}
