import Foundation
import Testing
@testable import DocumentStore

/// Building an index on a populated table: in chunks, with progress, refusing reads until it
/// is done, exact under concurrent writes, resumed by the next store that opens the file.
@Suite("Index builds")
struct IndexBuildTests {
    static let team = [(name: "team", path: ["team"], multi: false)]

    static func configuration(chunk: Int) -> DocumentStore.Configuration {
        var configuration = DocumentStore.Configuration()
        configuration.indexBuildChunkSize = chunk
        return configuration
    }

    static func heroes(_ count: Int, from start: Int = 0) -> [Document] {
        (start..<(start + count)).map { ["id": .number(Double($0)), "team": .string("t\($0 % 13)")] }
    }

    @Test("An unfinished build reports progress and refuses reads with RethinkDB's text until it is done")
    func progressAndNotReady() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("store.sqlite")
        do {
            let store = try DocumentStore(path: path)
            try await store.tableCreate("marvel")
            try await store.table("marvel").insert(Self.heroes(5000))
            try await store.table("marvel").indexCreate("team")
            _ = try await store.table("marvel").indexWait()
        }
        // The state a build killed after its first 1000 documents leaves (rowids follow the
        // insert order, ids 0...4999): then the write lock is held, so no build can go on
        // while the state is looked at.
        let blocker = try SQLiteConnection(path: path, mode: .readWrite)
        try blocker.execute("""
            BEGIN IMMEDIATE;
            UPDATE "docstore$indexes" SET ready = 0, built_through = 1000;
            DELETE FROM "marvel$team" WHERE id >= 1000;
            COMMIT;
            BEGIN IMMEDIATE;
            """)
        var configuration = Self.configuration(chunk: 100)
        configuration.busyTimeout = .seconds(60)
        let store = try DocumentStore(path: path, configuration: configuration)
        let marvel = store.table("marvel")
        let status = try await marvel.indexStatus(["team"])[0]
        #expect(!status.ready)
        #expect(status.progress == 0.2)
        #expect(status.document["progress"] == 0.2)
        let notReady = DocumentStoreError(.opFailed, "Index `team` on table `test.marvel` was accessed before its construction was finished.")
        await #expect(throws: notReady) { try await marvel.getAll(["t1"], index: "team") }
        await #expect(throws: notReady) {
            for try await _ in marvel.orderBy(index: "team") {}
        }
        await #expect(throws: notReady) {
            for try await _ in marvel.between(.minval, .maxval, index: "team") {}
        }
        try blocker.execute("ROLLBACK")
        let ready = try await marvel.indexWait(["team"])
        #expect(ready[0].ready && ready[0].progress == nil && ready[0].document["progress"] == nil)
        #expect(try await marvel.getAll(["t1"], index: "team").count == (0..<5000).filter { $0 % 13 == 1 }.count)
        try await IndexCheck.expectExact(marvel, Self.team)
    }

    @Test("indexCreate on a populated table returns before the build ends, which then makes it ready")
    func backgroundBuild() async throws {
        try await withFileStore(configuration: Self.configuration(chunk: 10)) { store, _ in
            try await store.tableCreate("marvel")
            let marvel = store.table("marvel")
            try await marvel.insert(Self.heroes(500))
            try await marvel.indexCreate("team")
            var ready = false
            for _ in 0..<4000 where !ready {
                ready = try await marvel.indexStatus(["team"])[0].ready
                if !ready { try await Task.sleep(for: .milliseconds(5)) }
            }
            #expect(ready)
            try await IndexCheck.expectExact(marvel, Self.team)
        }
    }

    @Test("Writes during a build keep the index exact: inserts, updates and deletes of built and unbuilt rows")
    func writesDuringBuild() async throws {
        try await withFileStore(configuration: Self.configuration(chunk: 25)) { store, _ in
            try await store.tableCreate("marvel")
            let marvel = store.table("marvel")
            try await marvel.insert(Self.heroes(3000))
            try await marvel.indexCreate("team")
            for round in 0..<20 {
                try await marvel.getAll([.number(Double(round * 150)), .number(Double(2999 - round * 150))]).update(["team": .string("moved\(round)")])
                try await marvel.document(.number(Double(round * 150 + 1))).delete()
                try await marvel.insert(Self.heroes(10, from: 10_000 + round * 10))
                try await marvel.insert(["id": .number(Double(round * 150 + 2)), "team": "replaced"], conflict: .replace)
            }
            _ = try await marvel.indexWait()
            try await IndexCheck.expectExact(marvel, Self.team)
        }
    }

    @Test("A build a store left unfinished is finished by the next store that opens the file")
    func resumeOnOpen() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("store.sqlite")
        do {
            let store = try DocumentStore(path: path, configuration: Self.configuration(chunk: 1))
            try await store.tableCreate("marvel")
            try await store.table("marvel").insert(Self.heroes(2000))
            try await store.table("marvel").indexCreate("team")
            // The store goes away here: its build stops after the chunk it is in.
        }
        let reopened = try DocumentStore(path: path, configuration: Self.configuration(chunk: 50))
        let marvel = reopened.table("marvel")
        // Not indexWait, which builds itself: the open alone must have resumed the build.
        var ready = false
        for _ in 0..<2000 where !ready {
            ready = try await marvel.indexStatus(["team"])[0].ready
            if !ready { try await Task.sleep(for: .milliseconds(5)) }
        }
        #expect(ready)
        try await IndexCheck.expectExact(marvel, Self.team)
    }

    @Test("A second store on the same file sees an index created by the first and maintains it")
    func secondStore() async throws {
        try await withFileStore { first, path in
            try await first.tableCreate("marvel")
            let second = try DocumentStore(path: path).table("marvel")
            try await second.insert(Self.heroes(20))
            try await first.table("marvel").indexCreate("team")
            _ = try await first.table("marvel").indexWait()
            try await second.insert(Self.heroes(20, from: 100))
            try await second.getAll(1, 2, 101).update(["team": "changed"])
            try await second.document(3).delete()
            try await IndexCheck.expectExact(first.table("marvel"), Self.team)
            // Dropped by the first store, the second's next write no longer maintains it.
            try await first.table("marvel").indexDrop("team")
            try await second.insert(["id": 500, "team": "after"])
            #expect(try await second.indexList().isEmpty)
        }
    }

    @Test("A file of schema version 1 (before indexes) is migrated and its tables indexed")
    func migrateVersionOne() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("old.sqlite")
        // A version-1 file as the first DocStore wrote it.
        let schema = String(decoding: PackageResources._001_catalog_sql, as: UTF8.self)
        _ = try sqlite3Shell(path, """
            PRAGMA journal_mode = WAL; \(schema)
            INSERT INTO docstore_tables (name, uuid) VALUES ('marvel', '00000000-0000-4000-8000-000000000000');
            CREATE TABLE "marvel" (id NOT NULL PRIMARY KEY, doc TEXT NOT NULL);
            INSERT INTO marvel VALUES ('thor', '{"id":"thor","team":"avengers"}');
            PRAGMA application_id = 1148150611; PRAGMA user_version = 1;
            """)
        let store = try DocumentStore(path: path)
        #expect(try sqlite3Shell(path, "PRAGMA user_version") == "5\n")   // through 0005_change_links.sql
        try await store.table("marvel").indexCreate("team")
        _ = try await store.table("marvel").indexWait()
        #expect(try await store.table("marvel").getAll(["avengers"], index: "team").map { $0["id"] } == ["thor"])
    }
}
