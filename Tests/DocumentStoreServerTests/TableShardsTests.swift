import DocumentStore
import Foundation
import Logging
import ReQL
import Testing
@testable import DocumentStoreServer

/// A table's shard count (`reconfigure(shards:)`, `table_config` writes): recorded and shown
/// as RethinkDB shows it for one server, every shard on this server.
@Suite("Shard counts set by clients")
struct TableShardsTests {
    typealias Engine = ReqlEngineTests
    static let table = #"[15,[[14,["test"]],"a"]]"#

    /// How many shards `config()` and `status()` show for table `a`.
    static func counts(_ engine: ReqlEngine) async throws -> (config: Int?, status: Int?) {
        let config = try await Engine.atom(engine, #"[174,[\#(Self.table)]]"#)
        let status = try await Engine.atom(engine, #"[175,[\#(Self.table)]]"#)
        return (config["shards"]?.arrayValue?.count, status["shards"]?.arrayValue?.count)
    }

    @Test("reconfigure sets the shard count that config, status and the system tables show; a dry run only shows it",
          arguments: [3, 64, 1])
    func reconfigure(_ shards: Int) async throws {
        try await Engine.withEngine { engine in
            _ = try await Engine.atom(engine, #"[60,[[14,["test"]],"a"]]"#)
            let dry = try await Engine.atom(engine, #"[176,[\#(Self.table)],{"shards":\#(shards),"replicas":1,"dry_run":true}]"#)
            #expect(dry["reconfigured"] == 0)
            #expect(dry["config_changes"]?[0]?["new_val"]?["shards"]?.arrayValue?.count == shards)
            #expect(try await Self.counts(engine) == (1, 1))
            let done = try await Engine.atom(engine, #"[176,[\#(Self.table)],{"shards":\#(shards),"replicas":1}]"#)
            #expect(done["reconfigured"] == 1)
            #expect(done["config_changes"]?[0]?["old_val"]?["shards"]?.arrayValue?.count == 1)
            #expect(done["status_changes"]?[0]?["new_val"]?["shards"]?.arrayValue?.count == shards)
            #expect(try await Self.counts(engine) == (shards, shards))
            let status = try await SystemDatabaseTests.rows(engine, "table_status").first
            #expect(status?["shards"]?.arrayValue?.allSatisfy { $0 == ["primary_replicas": ["docstore"], "replicas": [["server": "docstore", "state": "ready"]]] } == true)
            let config = try await SystemDatabaseTests.rows(engine, "table_config").first
            #expect(config?["shards"]?.arrayValue?.count == shards)
        }
    }

    @Test("table_create's shards, and a table_config insert's, are the new table's count")
    func created() async throws {
        try await Engine.withEngine { engine in
            let created = try await Engine.atom(engine, #"[60,[[14,["test"]],"a"],{"shards":4}]"#)
            #expect(created["config_changes"]?[0]?["new_val"]?["shards"]?.arrayValue?.count == 4)
            #expect(try await Self.counts(engine) == (4, 4))
            let shard = #"{"primary_replica":"docstore","replicas":[2,["docstore"]],"nonvoting_replicas":[2,[]]}"#
            let inserted = try await Engine.atom(engine, #"[56,[\#(SystemDatabaseTests.system("table_config")),{"db":"test","name":"b","shards":[2,[\#(shard),\#(shard)]]}]]"#)
            #expect(inserted["inserted"] == 1, "\(inserted)")
            #expect(try await Engine.atom(engine, #"[174,[[15,[[14,["test"]],"b"]]]]"#)["shards"]?.arrayValue?.count == 2)
        }
    }

    @Test("More than 64 shards, or none, are refused with RethinkDB's text", arguments: [(65, "Maximum number of shards is 64."),
                                                                                     (0, "Every table must have at least one shard.")])
    func refused(_ shards: Int, _ message: String) async throws {
        try await Engine.withEngine { engine in
            _ = try await Engine.atom(engine, #"[60,[[14,["test"]],"a"]]"#)
            #expect(try await Engine.error(engine, #"[176,[\#(Self.table)],{"shards":\#(shards),"replicas":1}]"#)?.message == message)
            #expect(try await Self.counts(engine) == (1, 1))
        }
    }

    @Test("A table_config write may change the number of shards, each on this server, and nothing else of them")
    func tableConfigWrite() async throws {
        try await Engine.withEngine { engine in
            _ = try await Engine.atom(engine, #"[60,[[14,["test"]],"a"]]"#)
            let id = try #require(try await Engine.atom(engine, #"[174,[\#(Self.table)]]"#)["id"]?.stringValue)
            let row = #"[16,[\#(SystemDatabaseTests.system("table_config")),"\#(id)"]]"#
            let shard = #"{"primary_replica":"docstore","replicas":[2,["docstore"]],"nonvoting_replicas":[2,[]]}"#
            let two = try await Engine.atom(engine, #"[53,[\#(row),{"shards":[2,[\#(shard),\#(shard)]]}]]"#)
            #expect(two["replaced"] == 1, "\(two)")
            #expect(try await Self.counts(engine) == (2, 2))
            let elsewhere = #"{"primary_replica":"other","replicas":[2,["other"]],"nonvoting_replicas":[2,[]]}"#
            let refused = try await Engine.atom(engine, #"[53,[\#(row),{"shards":[2,[\#(elsewhere)]]}]]"#)
            #expect(refused["errors"] == 1)
            #expect(refused["first_error"]?.stringValue?.hasPrefix("DocStore is one server: each of a table's 1 to 64 shards must be") == true)
            #expect(try await Self.counts(engine) == (2, 2))
        }
    }

    @Test("The count is kept across a restart and a rename, and goes with a dropped table")
    func kept() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shards-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let engine = try ReqlEngine(dataDirectory: directory, logger: Logger(label: "test"))
            defer { engine.close() }
            _ = try await Engine.atom(engine, #"[60,[[14,["test"]],"a"]]"#)
            _ = try await Engine.atom(engine, #"[176,[\#(Self.table)],{"shards":3,"replicas":1}]"#)
        }
        let engine = try ReqlEngine(dataDirectory: directory, logger: Logger(label: "test"))
        defer { engine.close() }
        #expect(try await Self.counts(engine) == (3, 3))
        // r.table('a').config().update({'name': 'b'}), then back.
        _ = try await Engine.atom(engine, #"[53,[[174,[\#(Self.table)]],{"name":"b"}]]"#)
        #expect(try await Engine.atom(engine, #"[174,[[15,[[14,["test"]],"b"]]]]"#)["shards"]?.arrayValue?.count == 3)
        let file = (directory as NSString).appendingPathComponent(TableShards.fileName)
        #expect(FileManager.default.contents(atPath: file).map { String(decoding: $0, as: UTF8.self) }?.contains(":3") == true)
        let dropped = try await Engine.atom(engine, #"[61,[[14,["test"]],"b"]]"#)
        #expect(dropped["config_changes"]?[0]?["old_val"]?["shards"]?.arrayValue?.count == 3)
        #expect(FileManager.default.contents(atPath: file).map { String(decoding: $0, as: UTF8.self) } == "{}")
    }
}
