import DocumentStore
import Foundation
import Logging
import ReQL
import Testing
@testable import DocumentStoreServer

/// The `rethinkdb` system database: its tables as RethinkDB 2.4 shows them for one server,
/// and their writes with RethinkDB's errors. Queries are the wire JSON the Python driver sends.
@Suite("The rethinkdb system database")
struct SystemDatabaseTests {
    typealias Engine = ReqlEngineTests

    /// `r.db('rethinkdb').table(name)` in wire form.
    static func system(_ table: String) -> String { #"[15,[[14,["rethinkdb"]],"\#(table)"]]"# }

    /// A system table's rows, read through `coerce_to('array')`.
    static func rows(_ engine: ReqlEngine, _ table: String) async throws -> [Document] {
        try await Engine.atom(engine, #"[51,[\#(system(table)),"array"]]"#).arrayValue ?? []
    }

    /// RethinkDB 2.4's system tables for one server (`_debug_*` tables aside), sorted.
    static let tables = ["cluster_config", "current_issues", "db_config", "jobs", "logs", "permissions", "server_config",
                         "server_status", "stats", "table_config", "table_status", "users"]

    @Test("db_list shows rethinkdb and its table_list shows RethinkDB's system tables")
    func listing() async throws {
        try await Engine.withEngine { engine in
            #expect(try await Engine.atom(engine, "[59,[]]") == ["rethinkdb", "test"])
            let listed = try await Engine.atom(engine, #"[62,[[14,["rethinkdb"]]]]"#)
            #expect(listed == .array(Self.tables.map(Document.string)))
        }
    }

    @Test("server_status gives a version RethinkDB's tools accept, with DocStore's beside it")
    func version() async throws {
        try await Engine.withEngine { engine in
            let status = try #require(try await Self.rows(engine, "server_status").first)
            let version = try #require(status["process"]?["version"]?.stringValue)
            // The tools' own check (utils_common.check_minimum_version).
            #expect(version.wholeMatch(of: /rethinkdb \d+\.\d+\.\d+ \(DocStore .+\)/) != nil)
            #expect(status["id"] == (try await Self.rows(engine, "server_config")).first?["id"])
        }
    }

    @Test("Read-only system tables refuse writes with RethinkDB's text, as a row error",
          arguments: ["server_status", "current_issues", "table_status", "stats"])
    func readOnly(table: String) async throws {
        try await Engine.withEngine { engine in
            let result = try await Engine.atom(engine, #"[56,[\#(Self.system(table)),{"id":"x"}]]"#)
            #expect(result["errors"] == 1)
            #expect(result["first_error"] == .string("It's illegal to write to the `rethinkdb.\(table)` table."))
        }
    }

    @Test("table_config's row is the table's config(), its id the catalog's, and status() is ready")
    func tableRows() async throws {
        try await Engine.withEngine { engine in
            _ = try await Engine.atom(engine, #"[60,[[14,["test"]],"heroes"]]"#)
            let config = try await Engine.atom(engine, #"[174,[[15,[[14,["test"]],"heroes"]]]]"#)
            let rows = try await Self.rows(engine, "table_config")
            #expect(rows == [config])
            let store = try engine.registry.store("test")
            let catalogId = try await store.table("heroes").config().id
            #expect(config["id"] == .string(catalogId))
            let status = try await Engine.atom(engine, #"[175,[[15,[[14,["test"]],"heroes"]]]]"#)
            #expect(status["status"]?["ready_for_writes"] == true)
            #expect(try await Self.rows(engine, "table_status") == [status])
        }
    }

    @Test("config().update changes a table's durability, which the catalog keeps")
    func durability() async throws {
        try await Engine.withEngine { engine in
            _ = try await Engine.atom(engine, #"[60,[[14,["test"]],"logs"]]"#)
            let config = #"[174,[[15,[[14,["test"]],"logs"]]]]"#
            let result = try await Engine.atom(engine, #"[53,[\#(config),{"durability":"soft"}]]"#)
            #expect(result["replaced"] == 1)
            #expect(try await Engine.atom(engine, config)["durability"] == "soft")
            let bad = try await Engine.atom(engine, #"[53,[\#(config),{"durability":"fast"}]]"#)
            #expect(bad["first_error"] == #"The row you're trying to put into `rethinkdb.table_config` has the wrong format. In `durability`: Expected "soft" or "hard", got: "fast""#)
        }
    }

    @Test("The system database cannot hold new tables nor be dropped")
    func special() async throws {
        try await Engine.withEngine { engine in
            let create = try await Engine.error(engine, #"[60,[[14,["rethinkdb"]],"mine"]]"#)
            #expect(create?.message == "Database `rethinkdb` is special; you can't create new tables in it.")
            let drop = try await Engine.error(engine, #"[58,["rethinkdb"]]"#)
            #expect(drop?.message == "Database `rethinkdb` is special; you can't delete it.")
            let config = try await Engine.error(engine, #"[174,[\#(Self.system("jobs"))]]"#)
            #expect(config?.message == "Database `rethinkdb` is special; you can't configure the tables in it.")
        }
    }

    @Test("reconfigure takes one replica on one server, and refuses two with RethinkDB's text")
    func reconfigure() async throws {
        try await Engine.withEngine { engine in
            _ = try await Engine.atom(engine, #"[60,[[14,["test"]],"a"]]"#)
            let table = #"[15,[[14,["test"]],"a"]]"#
            #expect(try await Engine.atom(engine, #"[176,[\#(table)],{"shards":1,"replicas":1}]"#)["reconfigured"] == 1)
            #expect(try await Engine.atom(engine, #"[176,[\#(table)],{"shards":1,"replicas":1,"dry_run":true}]"#)["reconfigured"] == 0)
            let two = try await Engine.error(engine, #"[176,[\#(table)],{"shards":1,"replicas":2}]"#)
            #expect(two?.message == "Can't put 2 replicas on servers with the tag `default` because there are only 1 servers "
                + "with the tag `default`. It's impossible to have more replicas of the data than there are servers.")
            #expect(try await Engine.atom(engine, #"[177,[\#(table)]]"#) == ["ready": 1])
        }
    }

    @Test("The server's id is kept in the data directory across restarts")
    func serverId() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sysdb-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var ids: [Document?] = []
        for _ in 0..<2 {
            let engine = try ReqlEngine(dataDirectory: directory, logger: Logger(label: "test"))
            ids.append(try await Self.rows(engine, "server_config").first?["id"])
            engine.close()
        }
        #expect(ids[0] != nil)
        #expect(ids[0] == ids[1])
    }

    @Test("jobs only takes deletions, and only of queries")
    func jobs() async throws {
        try await Engine.withEngine { engine in
            let insert = try await Engine.atom(engine, #"[56,[\#(Self.system("jobs")),{"id":"x"}]]"#)
            #expect(insert["first_error"] == "The `rethinkdb.jobs` system table only allows deletions, not inserts or updates.")
            // The query reading `jobs` is a job itself while it runs.
            #expect(try await Self.rows(engine, "jobs").count == 1)
        }
    }

    @Test("Inserting into db_config creates a database; server_config checks names")
    func configWrites() async throws {
        try await Engine.withEngine { engine in
            let created = try await Engine.atom(engine, #"[56,[\#(Self.system("db_config")),{"name":"heroes"}]]"#)
            #expect(created["inserted"] == 1)
            #expect(try await Engine.atom(engine, "[59,[]]") == ["heroes", "rethinkdb", "test"])
            let rename = try await Engine.atom(engine, #"[53,[\#(Self.system("server_config")),{"name":"a b"}]]"#)
            #expect(rename["first_error"] == #"The row you're trying to put into `rethinkdb.server_config` has the wrong format. In `name`: "a b" is not a valid server name; Use A-Z, a-z, 0-9, _ and - only"#)
        }
    }

    @Test("stats counts the documents written to and read from a table")
    func stats() async throws {
        try await Engine.withEngine { engine in
            _ = try await Engine.atom(engine, #"[60,[[14,["test"]],"counted"]]"#)
            _ = try await Engine.atom(engine, #"[56,[[15,[[14,["test"]],"counted"]],[2,[{"id":1},{"id":2},{"id":3}]]]]"#)
            _ = try await Engine.atom(engine, #"[16,[[15,[[14,["test"]],"counted"]],2]]"#)
            let rows = try await Self.rows(engine, "stats")
            let tableServer = try #require(rows.first { $0["id"]?.arrayValue?.first == "table_server" })
            #expect(tableServer["query_engine"]?["written_docs_total"] == 3)
            #expect(tableServer["query_engine"]?["read_docs_total"] == 1)
        }
    }
}
