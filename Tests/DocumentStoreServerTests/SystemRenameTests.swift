import DocumentStore
import Foundation
import Logging
import ReQL
import Testing
@testable import DocumentStoreServer

/// Renames through the config tables, as RethinkDB 2.4 takes them: a table's `name` in
/// `table_config` (or `table.config().update`), a database's in `db_config`. Queries are the
/// wire JSON the Python driver sends.
@Suite("Renames through table_config and db_config")
struct SystemRenameTests {
    typealias Engine = ReqlEngineTests
    typealias System = SystemDatabaseTests

    static func table(_ database: String, _ name: String) -> String { #"[15,[[14,["\#(database)"]],"\#(name)"]]"# }
    static func config(_ database: String, _ name: String) -> String { #"[174,[\#(table(database, name))]]"# }
    static func databaseConfig(_ database: String) -> String { #"[174,[[14,["\#(database)"]]]]"# }

    /// `test.heroes` with two documents and an index on `team`.
    static func heroes(_ engine: ReqlEngine, in database: String = "test") async throws {
        _ = try await Engine.atom(engine, #"[60,[[14,["\#(database)"]],"heroes"]]"#)
        _ = try await Engine.atom(engine, #"[56,[\#(table(database, "heroes")),[2,[{"id":1,"team":"a"},{"id":2,"team":"b"}]]]]"#)
        _ = try await Engine.atom(engine, #"[75,[\#(table(database, "heroes")),"team"]]"#)
        _ = try await Engine.atom(engine, #"[140,[\#(table(database, "heroes"))]]"#)
    }

    @Test("config().update({name}) renames the table; its id, documents and indexes stay")
    func configUpdate() async throws {
        try await Engine.withEngine { engine in
            try await Self.heroes(engine)
            let before = try await Engine.atom(engine, Self.config("test", "heroes"))
            let result = try await Engine.atom(engine, #"[53,[\#(Self.config("test", "heroes")),{"name":"marvel"}]]"#)
            #expect(result["replaced"] == 1)
            #expect(try await Engine.atom(engine, #"[62,[[14,["test"]]]]"#) == ["marvel"])
            let after = try await Engine.atom(engine, Self.config("test", "marvel"))
            #expect(after["id"] == before["id"])
            #expect(after["name"] == "marvel")
            #expect(after["indexes"] == ["team"])
            #expect(try await Engine.atom(engine, #"[16,[\#(Self.table("test", "marvel")),2]]"#) == ["id": 2, "team": "b"])
            let byTeam = try await Engine.atom(engine, #"[51,[[78,[\#(Self.table("test", "marvel")),"a"],{"index":"team"}],"array"]]"#)
            #expect(byTeam == [["id": 1, "team": "a"]])
            let gone = try await Engine.error(engine, #"[16,[\#(Self.table("test", "heroes")),1]]"#)
            #expect(gone?.message == "Table `test.heroes` does not exist.")
        }
    }

    @Test("Writing name in rethinkdb.table_config renames the table its id names")
    func tableConfigRow() async throws {
        try await Engine.withEngine { engine in
            try await Self.heroes(engine)
            let id = try #require(try await Engine.atom(engine, Self.config("test", "heroes"))["id"])
            let row = #"[16,[\#(System.system("table_config")),\#(id.jsonString)]]"#
            let result = try await Engine.atom(engine, #"[53,[\#(row),{"name":"marvel"}]]"#)
            #expect(result["replaced"] == 1)
            #expect(try await Engine.atom(engine, row)["name"] == "marvel")
            #expect(try await Engine.atom(engine, #"[16,[\#(Self.table("test", "marvel")),1]]"#) == ["id": 1, "team": "a"])
        }
    }

    @Test("A rename onto an existing table, a bad name or another database is refused with nothing changed")
    func tableRefusals() async throws {
        try await Engine.withEngine { engine in
            try await Self.heroes(engine)
            _ = try await Engine.atom(engine, #"[60,[[14,["test"]],"villains"]]"#)
            _ = try await Engine.atom(engine, #"[57,["other"]]"#)
            let update = { (change: String) in try await Engine.atom(engine, #"[53,[\#(Self.config("test", "heroes")),\#(change)]]"#) }
            #expect(try await update(#"{"name":"villains"}"#)["first_error"]
                == "Can't rename table `test.heroes` to `test.villains` because table `test.villains` already exists.")
            #expect(try await update(#"{"name":"a b"}"#)["first_error"]
                == #"The change you're trying to make to `rethinkdb.table_config` has the wrong format. In `name`: "a b" is not a valid table name; Use A-Z, a-z, 0-9, _ and - only"#)
            let moved = try await update(#"{"db":"other"}"#)["first_error"]?.stringValue ?? ""
            #expect(moved.hasPrefix("DocStore cannot move table `test.heroes` to another database"))
            #expect(try await Engine.atom(engine, #"[62,[[14,["test"]]]]"#) == ["heroes", "villains"])
            #expect(try await Engine.atom(engine, #"[62,[[14,["other"]]]]"#) == [])
        }
    }

    @Test("A rename and a durability change in one update both apply")
    func renameWithDurability() async throws {
        try await Engine.withEngine { engine in
            try await Self.heroes(engine)
            let result = try await Engine.atom(engine, #"[53,[\#(Self.config("test", "heroes")),{"name":"marvel","durability":"soft"}]]"#)
            #expect(result["replaced"] == 1)
            #expect(try await Engine.atom(engine, Self.config("test", "marvel"))["durability"] == "soft")
        }
    }

    @Test("db.config().update({name}) renames the database and its file; its id stays")
    func databaseRename() async throws {
        try await Engine.withEngine { engine in
            _ = try await Engine.atom(engine, #"[57,["dc"]]"#)
            try await Self.heroes(engine, in: "dc")
            let before = try await Engine.atom(engine, Self.databaseConfig("dc"))
            let result = try await Engine.atom(engine, #"[53,[\#(Self.databaseConfig("dc")),{"name":"marvel"}]]"#)
            #expect(result["replaced"] == 1)
            #expect(try await Engine.atom(engine, "[59,[]]") == ["marvel", "rethinkdb", "test"])
            #expect(try await Engine.atom(engine, Self.databaseConfig("marvel")) == ["id": before["id"] ?? .null, "name": "marvel"])
            #expect(try await Engine.atom(engine, #"[16,[\#(Self.table("marvel", "heroes")),1]]"#) == ["id": 1, "team": "a"])
            #expect(try await Engine.atom(engine, Self.config("marvel", "heroes"))["db"] == "marvel")
            let files = FileManager.default
            #expect(files.fileExists(atPath: engine.registry.path("marvel")))
            #expect(!files.fileExists(atPath: engine.registry.path("dc")))
            let gone = try await Engine.error(engine, Self.databaseConfig("dc"))
            #expect(gone?.message == "Database `dc` does not exist.")
            // A database created under the old name is a new one, with an id of its own.
            _ = try await Engine.atom(engine, #"[57,["dc"]]"#)
            #expect(try await Engine.atom(engine, Self.databaseConfig("dc"))["id"] != before["id"])
        }
    }

    @Test("A renamed database keeps its id after a restart; the old name's id is not reused")
    func databaseIdAcrossRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rename-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var ids: [Document?] = []
        do {
            let engine = try ReqlEngine(dataDirectory: directory, logger: Logger(label: "test"))
            defer { engine.close() }
            _ = try await Engine.atom(engine, #"[57,["dc"]]"#)
            ids.append(try await Engine.atom(engine, Self.databaseConfig("dc"))["id"])
            _ = try await Engine.atom(engine, #"[53,[\#(Self.databaseConfig("dc")),{"name":"marvel"}]]"#)
        }
        let engine = try ReqlEngine(dataDirectory: directory, logger: Logger(label: "test"))
        defer { engine.close() }
        ids.append(try await Engine.atom(engine, Self.databaseConfig("marvel"))["id"])
        _ = try await Engine.atom(engine, #"[57,["dc"]]"#)
        ids.append(try await Engine.atom(engine, Self.databaseConfig("dc"))["id"])
        #expect(ids[0] != nil && ids[0] == ids[1])
        #expect(ids[2] != ids[0])
    }

    @Test("Writing name in rethinkdb.db_config renames the database its id names")
    func databaseConfigRow() async throws {
        try await Engine.withEngine { engine in
            _ = try await Engine.atom(engine, #"[57,["dc"]]"#)
            let id = try #require(try await Engine.atom(engine, Self.databaseConfig("dc"))["id"])
            let row = #"[16,[\#(System.system("db_config")),\#(id.jsonString)]]"#
            #expect(try await Engine.atom(engine, #"[53,[\#(row),{"name":"marvel"}]]"#)["replaced"] == 1)
            #expect(try await Engine.atom(engine, row) == ["id": id, "name": "marvel"])
        }
    }

    @Test("A database rename to a bad name is refused with RethinkDB's text")
    func databaseBadName() async throws {
        try await Engine.withEngine { engine in
            _ = try await Engine.atom(engine, #"[57,["dc"]]"#)
            let result = try await Engine.atom(engine, #"[53,[\#(Self.databaseConfig("dc")),{"name":"a b"}]]"#)
            #expect(result["first_error"] == #"The change you're trying to make to `rethinkdb.db_config` has the wrong format. In `name`: "a b" is not a valid database name; Use A-Z, a-z, 0-9, _ and - only"#)
            #expect(try await Engine.atom(engine, "[59,[]]") == ["dc", "rethinkdb", "test"])
        }
    }

    @Test("A database rename onto an existing database or rethinkdb is refused with RethinkDB's text",
          arguments: ["test", "rethinkdb"])
    func databaseRefusals(target: String) async throws {
        try await Engine.withEngine { engine in
            _ = try await Engine.atom(engine, #"[57,["dc"]]"#)
            let result = try await Engine.atom(engine, #"[53,[\#(Self.databaseConfig("dc")),{"name":"\#(target)"}]]"#)
            #expect(result["first_error"] == .string("Cannot rename database `dc` to `\(target)` because database `\(target)` already exists."))
            #expect(try await Engine.atom(engine, "[59,[]]") == ["dc", "rethinkdb", "test"])
        }
    }
}
