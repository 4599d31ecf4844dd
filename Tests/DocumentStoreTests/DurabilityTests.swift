import Foundation
import Synchronization
import Testing
@testable import DocumentStore

/// Collects the SQL the writer runs, through `Configuration.trace`.
final class SQLLog: Sendable {
    private let statements = Mutex<[String]>([])

    var configuration: DocumentStore.Configuration {
        var configuration = DocumentStore.Configuration()
        configuration.trace = { sql in self.statements.withLock { $0.append(sql) } }
        return configuration
    }

    var all: [String] { statements.withLock { $0 } }

    func clear() { statements.withLock { $0.removeAll() } }
}

/// Durability on real files: the `synchronous` level each write runs at, where the level comes
/// from, the order of the pragma and the transaction, and data surviving a reopen.
@Suite("Durability")
struct DurabilityTests {
    static func level(_ durability: Durability) -> String {
        durability == .hard ? "FULL" : "NORMAL"
    }

    static func other(_ durability: Durability) -> Durability {
        durability == .hard ? .soft : .hard
    }

    @Test("A write runs at FULL for hard and NORMAL for soft", arguments: Durability.allCases)
    func perCallLevel(durability: Durability) async throws {
        try await withMarvel { marvel, store in
            // Start from the other level, so the check below sees a change.
            try await marvel.insert(["id": 0], durability: Self.other(durability))
            #expect(try await store.writerSynchronousLevel() == Self.level(Self.other(durability)))
            try await marvel.insert(["id": 1], durability: durability)
            #expect(try await store.writerSynchronousLevel() == Self.level(durability))
            try await marvel.insert(json: #"{"id": 2}"#, options: InsertOptions(durability: durability))
            #expect(try await store.writerSynchronousLevel() == Self.level(durability))
        }
    }

    @Test("Without a per-call level the table's default applies", arguments: Durability.allCases)
    func tableDefault(durability: Durability) async throws {
        try await withMarvel(durability: durability) { marvel, store in
            try await marvel.insert(["id": 0], durability: Self.other(durability))
            #expect(try await store.writerSynchronousLevel() == Self.level(Self.other(durability)))
            try await marvel.insert(["id": 1])
            #expect(try await store.writerSynchronousLevel() == Self.level(durability))
            #expect(try await marvel.config().document["durability"] == .string(durability.rawValue))
        }
    }

    @Test("A soft table's writes run at NORMAL right after creation")
    func softTableAfterCreate() async throws {
        try await withFileStore { store, _ in
            try await store.tableCreate("marvel", durability: .soft)
            try await store.table("marvel").insert(["id": 1])
            #expect(try await store.writerSynchronousLevel() == "NORMAL")
        }
    }

    @Test("A per-call level overrides the table's default", arguments: Durability.allCases)
    func override(tableDurability: Durability) async throws {
        try await withMarvel(durability: tableDurability) { marvel, store in
            let call = Self.other(tableDurability)
            try await marvel.insert(["id": 1], durability: call)
            #expect(try await store.writerSynchronousLevel() == Self.level(call))
        }
    }

    @Test("Two tables with different defaults each get their own level")
    func twoTables() async throws {
        try await withFileStore { store, _ in
            try await store.tableCreate("soft", durability: .soft)
            try await store.tableCreate("hard")
            try await store.table("soft").insert(["id": 1])
            #expect(try await store.writerSynchronousLevel() == "NORMAL")
            try await store.table("hard").insert(["id": 1])
            #expect(try await store.writerSynchronousLevel() == "FULL")
            try await store.table("soft").insert(["id": 2])
            #expect(try await store.writerSynchronousLevel() == "NORMAL")
        }
    }

    @Test("The synchronous pragma comes before BEGIN IMMEDIATE", arguments: Durability.allCases)
    func pragmaBeforeBegin(durability: Durability) async throws {
        let log = SQLLog()
        try await withFileStore(configuration: log.configuration) { store, _ in
            try await store.tableCreate("marvel", durability: Self.other(durability))
            try await store.table("marvel").insert(["id": 0])
            log.clear()
            try await store.table("marvel").insert([["id": 1], ["id": 2]], durability: durability)
            let statements = log.all
            let pragma = try #require(statements.firstIndex(of: "PRAGMA synchronous = \(Self.level(durability))"))
            let begin = try #require(statements.firstIndex(of: "BEGIN IMMEDIATE"))
            #expect(pragma < begin)
            #expect(statements.filter { $0.hasPrefix("PRAGMA synchronous") }.count == 1)
            #expect(statements.last == "COMMIT")
        }
    }

    @Test("A repeated level does not repeat the pragma")
    func pragmaOnlyOnChange() async throws {
        let log = SQLLog()
        try await withFileStore(configuration: log.configuration) { store, _ in
            try await store.tableCreate("marvel", durability: .soft)
            try await store.table("marvel").insert(["id": 0])
            log.clear()
            try await store.table("marvel").insert(["id": 1])
            #expect(!log.all.contains { $0.hasPrefix("PRAGMA synchronous") })
            #expect(log.all.contains("BEGIN IMMEDIATE"))
        }
    }

    @Test("No write uses INSERT OR REPLACE, whatever the conflict mode", arguments: ConflictMode.allCases)
    func noInsertOrReplace(mode: ConflictMode) async throws {
        let log = SQLLog()
        try await withFileStore(configuration: log.configuration) { store, _ in
            try await store.tableCreate("marvel")
            let marvel = store.table("marvel")
            try await marvel.insert([["id": 1, "a": 1], ["id": 2]])
            try await marvel.insert([["id": 1, "b": 2], ["id": 3], [:]], conflict: mode.strategy)
            try await marvel.insert(json: #"[{"id": 2, "c": 3}, {"id": 4}]"#, options: InsertOptions(conflict: mode.strategy))
            let statements = log.all
            #expect(!statements.isEmpty)
            #expect(!statements.contains { $0.uppercased().contains("INSERT OR REPLACE") })
            #expect(!statements.contains { $0.uppercased().hasPrefix("REPLACE") })
        }
    }

    // MARK: Surviving a reopen

    @Test("Written data survives closing and reopening the store", arguments: Durability.allCases)
    func reopen(durability: Durability) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("store.sqlite")
        var keys: [String] = []
        do {
            let store = try DocumentStore(path: path)
            try await store.tableCreate("marvel", primaryKey: "hero", durability: durability)
            let result = try await store.table("marvel").insert([["hero": "Iron Man", "power": 1], ["power": 2]])
            keys = result.generatedKeys ?? []
            try await store.table("marvel").insert(["hero": "Iron Man", "power": 3], conflict: .update)
        }
        try #require(keys.count == 1)
        let reopened = try DocumentStore(path: path)
        #expect(try await reopened.tableList() == ["marvel"])
        let marvel = reopened.table("marvel")
        #expect(try await marvel.primaryKey() == "hero")
        #expect(try await marvel.config().document["durability"] == .string(durability.rawValue))
        #expect(try await marvel.get("Iron Man") == ["hero": "Iron Man", "power": 3])
        #expect(try await marvel.get(.string(keys[0])) == ["hero": .string(keys[0]), "power": 2])
        // The table's default durability is remembered too.
        try await marvel.insert(["hero": "Thor"])
        #expect(try await reopened.writerSynchronousLevel() == Self.level(durability))
    }

    @Test("A committed write is visible to another process while the store stays open", arguments: Durability.allCases)
    func visibleToOtherProcess(durability: Durability) async throws {
        try await withMarvel { marvel, store in
            try await marvel.insert([["id": "a"], ["id": "b"]], durability: durability)
            #expect(try sqlite3Shell(store.path, "select id from marvel order by id") == "a\nb\n")
        }
    }
}
