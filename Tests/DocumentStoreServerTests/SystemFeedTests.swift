import DocumentStore
import Foundation
import Logging
import ReQL
import Testing
@testable import DocumentStoreServer

/// `rethinkdb._debug_scratch` and change feeds on the system tables. The expected changes are
/// RethinkDB's, from `test/rql_test/src/changefeeds/point.yaml` and `table.yaml` (their
/// "virtual tables" sections) and its artificial tables' feeds, which send `{old_val, new_val}`
/// for each row that differs from the last one seen (`caching_cfeed_backend.cc`).
@Suite("System tables: _debug_scratch and change feeds", .timeLimit(.minutes(1)))
struct SystemFeedTests {
    typealias Engine = ReqlEngineTests

    /// `r.db('rethinkdb').table(name)`.
    static func system(_ name: String) -> Q { Q.term(15, [Q.term(14, [Q.expr("rethinkdb")]), Q.expr(.string(name))]) }
    static let scratch = system("_debug_scratch")

    @Test("_debug_scratch takes inserts, updates, deletes and reads as a table does, with primary key id")
    func scratchWrites() async throws {
        try await Engine.withEngine { engine in
            let inserted = try await engine.value(Self.scratch.insert([["id": 1], ["id": 2, "a": 1]]))
            #expect(inserted["inserted"] == 2)
            #expect(inserted["errors"] == 0)
            let duplicate = try await engine.value(Self.scratch.insert(["id": 1]))
            #expect(duplicate["errors"] == 1)
            #expect(duplicate["first_error"]?.stringValue?.hasPrefix("Duplicate primary key `id`") == true)
            #expect(try await engine.value(Self.scratch.get(1).update(.expr(["update": 1])))["replaced"] == 1)
            #expect(try await engine.value(Self.scratch.get(1)) == ["id": 1, "update": 1])
            #expect(try await engine.value(Self.scratch.between(.expr(2), .maxval).ids()) == [2])
            #expect(try await engine.value(Self.scratch.get(2).delete())["deleted"] == 1)
            #expect(try await engine.value(Self.scratch.count()) == 1)
            // Hidden from `table_list`, as RethinkDB hides its tables whose names start with `_`.
            let listed = try await engine.value(Q.term(62, [Q.term(14, [Q.expr("rethinkdb")])]))
            #expect(listed.arrayValue?.contains("_debug_scratch") == false)
        }
    }

    @Test("_debug_scratch lives in memory: a server started again on the same directory finds it empty")
    func scratchIsLostAtRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scratch-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try ReqlEngine(dataDirectory: directory, logger: Logger(label: "test"))
        #expect(try await first.value(Self.scratch.insert(["id": 1]))["inserted"] == 1)
        #expect(try await first.value(Self.scratch.count()) == 1)
        first.close()
        let second = try ReqlEngine(dataDirectory: directory, logger: Logger(label: "test"))
        defer { second.close() }
        #expect(try await second.value(Self.scratch.count()) == 0)
    }

    @Test("_debug_scratch refuses what RethinkDB's artificial tables refuse, in its words")
    func scratchRefusals() async throws {
        try await Engine.withEngine { engine in
            let special = "Database `rethinkdb` is special; "
            #expect(await engine.failure(Q.term(174, [Self.scratch]))?.message == special + "you can't configure the tables in it.")
            #expect(await engine.failure(Self.scratch.indexCreate("a"))?.message
                == special + "you can't create secondary indexes on the tables in it.")
            #expect(await engine.failure(Q.term(138, [Self.scratch]))?.message == "Artificial tables don't support `sync()`.")
            #expect(await engine.failure(Self.scratch.orderBy(index: .expr("id")).limit(2).changes())?.message
                == "System tables don't support changefeeds on `.limit()`.")
        }
    }

    @Test("A point feed on _debug_scratch with include_initial gives null, then each insert, update and delete")
    func scratchPointFeed() async throws {
        try await Engine.withEngine { engine in
            let feed = try await EngineFeed.start(engine, Self.scratch.get(1).changes(includeInitial: true))
            let initial = try await feed.opening(1)
            #expect(initial == [["new_val": .null]])
            _ = try await engine.value(Self.scratch.insert(["id": 1]))
            _ = try await engine.value(Self.scratch.get(1).update(.expr(["update": 1])))
            _ = try await engine.value(Self.scratch.get(1).delete())
            #expect(try await feed.take(3) == [
                ["old_val": .null, "new_val": ["id": 1]],
                ["old_val": ["id": 1], "new_val": ["id": 1, "update": 1]],
                ["old_val": ["id": 1, "update": 1], "new_val": .null],
            ])
            await feed.stop()
            #expect(engine.openFeeds.value == 0)
        }
    }

    @Test("A table feed on _debug_scratch with pluck after changes gives the plucked fields only")
    func scratchPluckedFeed() async throws {
        try await Engine.withEngine { engine in
            let plucked = Q.term(33, [Self.scratch.changes(), Q.expr(["new_val": ["version"]])])
            let feed = try await EngineFeed.start(engine, plucked)
            _ = try await engine.value(Self.scratch.insert([["id": 5, "version": 5]]))
            #expect(try await feed.take(1) == [["new_val": ["version": 5]]])
            await feed.stop()
        }
    }

    @Test("A table_config feed sees a table created and dropped as its row appearing and going")
    func tableConfigFeed() async throws {
        try await Engine.withEngine { engine in
            let feed = try await EngineFeed.start(engine, Self.system("table_config").changes())
            #expect(feed.first == [])
            _ = try await engine.value(.tableCreate("heroes"))
            let config = try await engine.value(Q.term(174, [Q.table("heroes")]))
            #expect(config["name"] == "heroes")
            #expect(try await feed.take(1) == [["old_val": .null, "new_val": config]])
            _ = try await engine.value(Q.term(61, [Q.expr("heroes")]))
            #expect(try await feed.take(1) == [["old_val": config, "new_val": .null]])
            await feed.stop()
            #expect(engine.openFeeds.value == 0)
        }
    }

    @Test("A point feed on table_status with include_initial starts with the table's status()")
    func tableStatusPointFeed() async throws {
        try await Engine.withEngine { engine in
            _ = try await engine.value(.tableCreate("heroes"))
            let id = try #require(try await engine.value(Q.term(79, [Q.table("heroes")]))["id"])
            let status = try await engine.value(Q.term(175, [Q.table("heroes")]))
            let feed = try await EngineFeed.start(engine, Self.system("table_status").get(id).changes(includeInitial: true))
            let initial = try await feed.opening(1)
            #expect(initial == [["new_val": status]])
            await feed.stop()
        }
    }

    @Test("A db_config feed with include_types names each change: initial, add, remove")
    func dbConfigFeedTypes() async throws {
        try await Engine.withEngine { engine in
            let feed = try await EngineFeed.start(engine, Self.system("db_config").changes(includeInitial: true, includeTypes: true))
            let changes = try await feed.opening(1)
            #expect(changes.map { $0["type"] } == ["initial"])
            #expect(changes.first?["new_val"]?["name"] == "test")
            _ = try await engine.value(Q.term(57, [Q.expr("marvel")]))
            let added = try await feed.take(1)
            #expect(added.first?["type"] == "add")
            #expect(added.first?["new_val"]?["name"] == "marvel")
            _ = try await engine.value(Q.term(58, [Q.expr("marvel")]))
            let removed = try await feed.take(1)
            #expect(removed.first?["type"] == "remove")
            #expect(removed.first?["old_val"]?["name"] == "marvel")
            await feed.stop()
        }
    }

    @Test("A users feed with include_initial and include_states gives the accounts, then a user created")
    func usersFeed() async throws {
        try await Engine.withEngine { engine in
            let feed = try await EngineFeed.start(engine, Self.system("users").changes(includeInitial: true, includeStates: true))
            let changes = try await feed.opening(3)
            #expect(changes == [["state": "initializing"], ["new_val": ["id": "admin", "password": false]], ["state": "ready"]])
            _ = try await engine.value(Self.system("users").insert(["id": "bob", "password": "secret"]))
            #expect(try await feed.take(1) == [["old_val": .null, "new_val": ["id": "bob", "password": true]]])
            await feed.stop()
        }
    }

    @Test("_debug_scratch serves the admin only, even a user who may read and write rethinkdb")
    func scratchIsAdminOnly() async throws {
        try await GrantTests.withEngine { engine in
            _ = try await GrantTests.atom(engine, #"[188,[[14,["rethinkdb"]],"bob",{"read":true,"write":true}]]"#)
            let scratch = Self.scratch.wire.jsonString
            let refused = try await GrantTests.error(engine, scratch, as: "bob")
            #expect(refused?.message == "User `bob` does not have the required `admin` permission.")
            // The grant itself works: bob reads the other system tables.
            #expect(try await GrantTests.error(engine, Self.system("db_config").wire.jsonString, as: "bob") == nil)
        }
    }
}
