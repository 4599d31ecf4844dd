import Foundation
import Testing
@testable import DocumentStore

/// The store itself: tables (create, drop, list), opening files that are or are not DocStore's,
/// the file's header and journal mode, `get`'s key errors, and concurrent writers.
@Suite("Store and tables")
struct StoreTests {
    static func shell(_ path: String, _ sql: String) throws -> String {
        try sqlite3Shell(path, sql).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: Tables

    @Test("tableCreate returns RethinkDB's result with the table's config")
    func tableCreateResult() async throws {
        try await withFileStore { store, _ in
            let result = try await store.tableCreate("marvel", primaryKey: "superhero", durability: .soft).document
            #expect(result["tables_created"] == 1)
            let change = try #require(result["config_changes"]?[0])
            #expect(result["config_changes"]?.arrayValue?.count == 1)
            #expect(change["old_val"] == .some(.null))
            #expect(change["new_val"]?["primary_key"] == "superhero")
            #expect(change["new_val"]?["name"] == "marvel")
            #expect(change["new_val"]?["db"] == "test")
            #expect(change["new_val"]?["durability"] == "soft")
            #expect(change["new_val"]?["id"]?.stringValue?.count == 36)
            #expect(try await store.table("marvel").config().document == change["new_val"])
        }
    }

    @Test("The primary key defaults to id and the durability to hard")
    func tableCreateDefaults() async throws {
        try await withFileStore { store, _ in
            let result = try await store.tableCreate("marvel").document
            #expect(result["config_changes"]?[0]?["new_val"]?["primary_key"] == "id")
            #expect(result["config_changes"]?[0]?["new_val"]?["durability"] == "hard")
            #expect(try await store.table("marvel").primaryKey() == "id")
        }
    }

    @Test("Creating a table twice fails")
    func tableExists() async throws {
        try await withMarvel { _, store in
            let error = await #expect(throws: DocumentStoreError.self) { try await store.tableCreate("marvel") }
            #expect(error?.message == "Table `test.marvel` already exists.")
            #expect(error?.code == .opFailed)
        }
    }

    @Test("Dropping a missing table fails", arguments: [
        ("nope", "Table `test.nope` does not exist."), ("Marvel", "Table `test.Marvel` does not exist."),
    ])
    func dropMissing(name: String, message: String) async throws {
        try await withMarvel { _, store in
            let error = await #expect(throws: DocumentStoreError.self) { try await store.tableDrop(name) }
            #expect(error?.message == message)
            #expect(error?.code == .opFailed)
        }
    }

    @Test("Invalid table names are refused by every table operation", arguments: ["a b", "", "é", "a.b", "x;drop"])
    func invalidName(name: String) async throws {
        try await withFileStore { store, _ async throws in
            let message = "Table name `\(name)` invalid (Use A-Z, a-z, 0-9, _ and - only)."
            var error = await #expect(throws: DocumentStoreError.self) { try await store.tableCreate(name) }
            #expect(error?.message == message)
            error = await #expect(throws: DocumentStoreError.self) { try await store.tableDrop(name) }
            #expect(error?.message == message)
            error = await #expect(throws: DocumentStoreError.self) { try await store.table(name).insert(["id": 1]) }
            #expect(error?.message == message)
            #expect(try await store.tableList() == [])
        }
    }

    @Test("The reference's invalid name gives the exact message")
    func invalidNameExample() async throws {
        try await withFileStore { store, _ in
            let error = await #expect(throws: DocumentStoreError.self) { try await store.tableCreate("a b") }
            #expect(error?.message == "Table name `a b` invalid (Use A-Z, a-z, 0-9, _ and - only).")
        }
    }

    @Test("tableList is sorted bytewise and tableDrop removes the table and its rows")
    func listAndDrop() async throws {
        try await withFileStore { store, path in
            for name in ["b", "a", "C", "a-1", "a_1"] { try await store.tableCreate(name) }
            #expect(try await store.tableList() == ["C", "a", "a-1", "a_1", "b"])
            try await store.table("a").insert([["id": 1], ["id": 2]])
            let dropped = try await store.tableDrop("a").document
            #expect(dropped["tables_dropped"] == 1)
            #expect(dropped["config_changes"]?[0]?["new_val"] == .some(.null))
            #expect(dropped["config_changes"]?[0]?["old_val"]?["name"] == "a")
            #expect(try await store.tableList() == ["C", "a-1", "a_1", "b"])
            #expect(try Self.shell(path, "select count(*) from sqlite_master where name = 'a'") == "0")
            let error = await #expect(throws: DocumentStoreError.self) { try await store.table("a").get(1) }
            #expect(error?.message == "Table `test.a` does not exist.")
        }
    }

    @Test("A table handle made before a drop and re-create writes with the new definition")
    func dropAndRecreate() async throws {
        try await withFileStore { store, _ in
            try await store.tableCreate("marvel")
            let marvel = store.table("marvel")
            try await marvel.insert(["id": 1])
            try await store.tableDrop("marvel")
            let error = await #expect(throws: DocumentStoreError.self) { try await marvel.insert(["id": 2]) }
            #expect(error?.message == "Table `test.marvel` does not exist.")
            try await store.tableCreate("marvel", primaryKey: "name")
            let result = try await marvel.insert(["name": "Thor"])
            #expect(result.inserted == 1 && result.generatedKeys == nil)
            #expect(try await marvel.get("Thor") == ["name": "Thor"])
            #expect(try await marvel.get(1) == nil)
        }
    }

    @Test("The database name appears in table errors")
    func databaseName() async throws {
        var configuration = DocumentStore.Configuration()
        configuration.databaseName = "heroes"
        try await withFileStore(configuration: configuration) { store, _ in
            let error = await #expect(throws: DocumentStoreError.self) { try await store.table("nope").insert(["id": 1]) }
            #expect(error?.message == "Table `heroes.nope` does not exist.")
            try await store.tableCreate("marvel")
            let again = await #expect(throws: DocumentStoreError.self) { try await store.tableCreate("marvel") }
            #expect(again?.message == "Table `heroes.marvel` already exists.")
        }
    }

    // MARK: Files

    @Test("A new file carries DocStore's application_id and schema version, in WAL mode")
    func newFileHeader() async throws {
        try await withFileStore { store, path in
            try await store.tableCreate("marvel")
            #expect(try Self.shell(path, "pragma application_id") == "1148150611")  // 0x446F6353, "DocS"
            #expect(try Self.shell(path, "pragma user_version") == "5")   // migrations/0001 to 0005
            #expect(try Self.shell(path, "pragma journal_mode") == "wal")
        }
    }

    @Test("A file that is not SQLite is refused and left unchanged")
    func notSQLite() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("notes.txt")
        let text = Data("These are my notes, not a database.\n".utf8)
        try text.write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: DocumentStoreError.self) { _ = try DocumentStore(path: path) }
        #expect(error?.code == .notADocStoreFile)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == text)
    }

    @Test("Another application's SQLite file is refused and left unchanged")
    func otherApplication() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("other.sqlite")
        _ = try sqlite3Shell(path, "create table t(x); insert into t values (1);")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let error = #expect(throws: DocumentStoreError.self) { _ = try DocumentStore(path: path) }
        #expect(error?.code == .notADocStoreFile)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try Self.shell(path, "pragma journal_mode") == "delete")
        #expect(try Self.shell(path, "select x from t") == "1")
    }

    @Test("A file from a newer DocStore is refused and left unchanged")
    func newerSchema() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("store.sqlite")
        do {
            let store = try DocumentStore(path: path)
            try await store.tableCreate("marvel")
        }
        _ = try sqlite3Shell(path, "pragma user_version = 99")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let error = #expect(throws: DocumentStoreError.self) { _ = try DocumentStore(path: path) }
        #expect(error?.code == .newerSchema)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try Self.shell(path, "pragma user_version") == "99")
    }

    @Test("An existing DocStore file opens again with its tables")
    func reopenExisting() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("store.sqlite")
        do {
            let store = try DocumentStore(path: path)
            try await store.tableCreate("marvel")
            try await store.table("marvel").insert(["id": 1])
        }
        let store = try DocumentStore(path: path)
        #expect(try await store.tableList() == ["marvel"])
        #expect(try await store.table("marvel").get(1) == ["id": 1])
        #expect(try Self.shell(path, "pragma user_version") == "5")
    }

    // MARK: get

    @Test("get with a null key is a non-existence error")
    func getNull() async throws {
        try await withMarvel { marvel, _ in
            let error = await #expect(throws: DocumentStoreError.self) { try await marvel.get(.null) }
            #expect(error?.code == .nonExistence)
            #expect(error?.message == "Primary keys must be either a number, string, bool, pseudotype or array (got type NULL):\nnull")
        }
    }

    @Test("get with an invalid key is a query error with RethinkDB's message", arguments: [
        (Document(dictionaryLiteral: ("a", 1)), "Primary keys must be either a number, string, bool, pseudotype or array (got type OBJECT):\n{\n\t\"a\":\t1\n}"),
        (.string(String(repeating: "k", count: 128)), "Primary key too long (max 127 characters): \"" + String(repeating: "k", count: 128) + "\""),
        ("a\u{0}", #"String "a\x00" (truncated) contains NULL byte at offset 1 in index key."#),
    ] as [(Document, String)])
    func getInvalid(key: Document, message: String) async throws {
        try await withMarvel { marvel, _ in
            let error = await #expect(throws: DocumentStoreError.self) { try await marvel.get(key) }
            #expect(error?.code == .queryLogic)
            #expect(error?.message == message)
        }
    }

    @Test("get of an absent key is nil, on a file and in memory")
    func getAbsent() async throws {
        try await withMarvel { marvel, _ async throws in
            #expect(try await marvel.get("nobody") == nil)
        }
        let memory = try DocumentStore.inMemory()
        try await memory.tableCreate("marvel")
        try await memory.table("marvel").insert(["id": 1])
        #expect(try await memory.table("marvel").get(2) == nil)
        #expect(try await memory.table("marvel").get(1) == ["id": 1])
    }

    // MARK: Concurrency

    @Test("Inserts from 20 tasks of 50 documents each all land")
    func concurrentInserts() async throws {
        try await withMarvel { marvel, store in
            let total = try await withThrowingTaskGroup(of: Int.self) { group in
                for task in 0..<20 {
                    group.addTask {
                        var inserted = 0
                        for index in 0..<50 {
                            let result = try await marvel.insert(["id": .number(Double(task * 50 + index)), "task": .number(Double(task))],
                                                                 durability: index % 2 == 0 ? .soft : .hard)
                            inserted += result.inserted
                        }
                        return inserted
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(total == 1000)
            #expect(try Self.shell(store.path, "select count(*), count(distinct id), min(id), max(id) from marvel") == "1000|1000|0|999")
            for id in [0, 499, 999] {
                #expect(try await marvel.get(.number(Double(id)))?["task"] == .number(Double(id / 50)))
            }
        }
    }

    @Test("Concurrent reads see either nothing or the whole of a write")
    func readsDuringWrites() async throws {
        try await withMarvel { marvel, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for batch in 0..<20 {
                        let documents = (0..<10).map { ["id": .number(Double(batch * 10 + $0))] as Document }
                        try await marvel.insert(documents, durability: .soft)
                    }
                }
                group.addTask {
                    for _ in 0..<50 {
                        // Each batch is one transaction: its first and last rows appear together.
                        let first = try await marvel.get(190)
                        if first != nil { #expect(try await marvel.get(199) != nil) }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await marvel.get(199) == ["id": 199])
        }
    }
}
