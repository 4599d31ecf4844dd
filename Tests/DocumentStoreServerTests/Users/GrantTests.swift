import DocumentStore
import Foundation
import Logging
import ReQL
import Testing
@testable import DocumentStoreServer

/// `r.grant` at its three scopes, and the permissions every query is checked against, through
/// the ReQL engine as a connection logged in as each user would run them. Expected results are
/// those of RethinkDB's test/rql_test/src/meta/grant.yaml and its `permission_error_t` text.
@Suite("Grant and permissions")
struct GrantTests {
    /// An engine on a fresh data directory with the users `bob` and `test_user` (no permissions).
    static func withEngine(_ body: (ReqlEngine) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grant-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = try ReqlEngine(dataDirectory: directory, logger: Logger(label: "test"))
        defer { engine.close() }
        for name in ["bob", "test_user"] {
            _ = try UsersTable(store: engine.users).write(key: .string(name), new: ["id": .string(name), "password": false])
        }
        _ = try await atom(engine, #"[60,[[14,["test"]],"t"]]"#)
        _ = try await atom(engine, #"[56,[[15,[[14,["test"]],"t"]],{"id":1}]]"#)
        try await body(engine)
    }

    static func run(_ engine: ReqlEngine, _ json: String, as user: String) async throws -> QueryOutcome {
        await engine.start(term: try Document(parsing: json), globalOptargs: [:], user: user, cancellation: CancellationToken())
    }

    static func atom(_ engine: ReqlEngine, _ json: String, as user: String = "admin") async throws -> Document {
        switch try await run(engine, json, as: user) {
        case .atom(let value): return value
        case .error(let error): Issue.record("query failed: \(error.message)"); return .null
        default: Issue.record("expected an atom"); return .null
        }
    }

    /// The first batch of a stream (or an atom's value), failing on an error.
    static func value(_ engine: ReqlEngine, _ json: String, as user: String = "admin") async throws -> Document {
        switch try await run(engine, json, as: user) {
        case .atom(let value): return value
        case .stream(let stream):
            let batch = await stream.nextBatch(limit: 1000)
            await stream.stop()
            return .array(try batch.get().items)
        case .error(let error): Issue.record("query failed: \(error.message)"); return .null
        case .profiled: return .null
        }
    }

    static func error(_ engine: ReqlEngine, _ json: String, as user: String = "admin") async throws -> ReqlError? {
        switch try await run(engine, json, as: user) {
        case .error(let error): return error
        case .stream(let stream):
            let batch = await stream.nextBatch(limit: 1000)
            await stream.stop()
            if case .failure(let error) = batch { return error }
            return nil
        default: return nil
        }
    }

    static let readTable = #"[15,[[14,["test"]],"t"]]"#

    @Test("A global grant merges: true and false set, null unsets, and the change is reported")
    func globalGrant() async throws {
        try await Self.withEngine { engine in
            let all = try await Self.atom(engine, #"[188,["test_user",{"read":true,"write":true,"config":true,"connect":true}]]"#)
            #expect(all == ["granted": 1, "permissions_changes": [[
                "old_val": .null, "new_val": ["read": true, "write": true, "config": true, "connect": true],
            ]]])
            let some = try await Self.atom(engine, #"[188,["test_user",{"read":false,"write":false}]]"#)
            #expect(some["permissions_changes"]?[0]?["new_val"] == ["read": false, "write": false, "config": true, "connect": true])
            let unset = try await Self.atom(engine, #"[188,["test_user",{"read":null}]]"#)
            #expect(unset["permissions_changes"]?[0]?["new_val"] == ["write": false, "config": true, "connect": true])
            let none = try await Self.atom(engine, #"[188,["test_user",{"write":null,"config":null,"connect":null}]]"#)
            #expect(none["permissions_changes"]?[0]?["new_val"] == .null)
        }
    }

    @Test("Grants at database and table scope; connect is only global", arguments: [
        #"[188,[[14,["test"]],"test_user",{"connect":true}]]"#,
        #"[188,[[15,[[14,["test"]],"t"]],"test_user",{"connect":true}]]"#,
    ])
    func scopedGrants(connectAt scope: String) async throws {
        try await Self.withEngine { engine in
            #expect(try await Self.error(engine, scope)?.message == "The `connect` permission is only valid at the global scope.")
            let database = try await Self.atom(engine, #"[188,[[14,["test"]],"test_user",{"read":true,"write":true,"config":true}]]"#)
            #expect(database["permissions_changes"]?[0]?["new_val"] == ["read": true, "write": true, "config": true])
            let table = try await Self.atom(engine, #"[188,[[15,[[14,["test"]],"t"]],"test_user",{"read":false}]]"#)
            #expect(table["permissions_changes"]?[0]?["old_val"] == .null)
            #expect(table["permissions_changes"]?[0]?["new_val"] == ["read": false])
        }
    }

    @Test("Grant errors have RethinkDB's texts", arguments: [
        (#"[188,["test_user",{"read":1}]]"#, "Expected a boolean or null for `read`, got 1."),
        (#"[188,["test_user",{"invalid":"invalid"}]]"#, "Unexpected key(s) `invalid`."),
        (#"[188,["admin",{"config":false}]]"#, "The permissions of the user `admin` can't be modified."),
        (#"[188,[[14,["test"]],"admin",{"config":false}]]"#, "The permissions of the user `admin` can't be modified."),
        (#"[188,["nobody",{"read":true}]]"#, "User `nobody` not found."),
    ])
    func grantErrors(query: String, message: String) async throws {
        try await Self.withEngine { engine in
            let error = try await Self.error(engine, query)
            #expect(error?.message == message)
            #expect(error?.errorType == .opFailed)
        }
    }

    @Test("A user with no permissions can read, write and configure nothing")
    func nothingGranted() async throws {
        try await Self.withEngine { engine in
            let read = try await Self.error(engine, Self.readTable, as: "bob")
            #expect(read?.message == "User `bob` does not have the required `read` permission.")
            #expect(read?.errorType == .permission)
            let write = try await Self.error(engine, #"[56,[[15,[[14,["test"]],"t"]],{"id":2}]]"#, as: "bob")
            #expect(write?.message == "User `bob` does not have the required `write` permission.")
            let create = try await Self.error(engine, #"[57,["other"]]"#, as: "bob")
            #expect(create?.message == "User `bob` does not have the required `config` permission.")
            let table = try await Self.error(engine, #"[60,[[14,["test"]],"u"]]"#, as: "bob")
            #expect(table?.message == "User `bob` does not have the required `config` permission.")
            // Listing needs no permission.
            #expect(try await Self.atom(engine, #"[59,[]]"#, as: "bob").arrayValue?.contains("test") == true)
        }
    }

    @Test("Table permissions win over the database's, which win over the global ones")
    func scopesOverride() async throws {
        try await Self.withEngine { engine in
            _ = try await Self.atom(engine, #"[188,["bob",{"read":true}]]"#)
            #expect(try await Self.value(engine, Self.readTable, as: "bob") == [["id": 1]])
            _ = try await Self.atom(engine, #"[188,[[14,["test"]],"bob",{"read":false}]]"#)
            #expect(try await Self.error(engine, Self.readTable, as: "bob")?.errorType == .permission)
            _ = try await Self.atom(engine, #"[188,[[15,[[14,["test"]],"t"]],"bob",{"read":true}]]"#)
            #expect(try await Self.value(engine, Self.readTable, as: "bob") == [["id": 1]])
            // A table's `config: false` keeps its database from being dropped by a user with
            // `config` on the database.
            _ = try await Self.atom(engine, #"[188,[[14,["test"]],"bob",{"config":true}]]"#)
            _ = try await Self.atom(engine, #"[188,[[15,[[14,["test"]],"t"]],"bob",{"config":false}]]"#)
            let drop = try await Self.error(engine, #"[58,["test"]]"#, as: "bob")
            #expect(drop?.message == "User `bob` does not have the required `config` permission.")
            // Reading does not allow writing.
            let write = try await Self.error(engine, #"[56,[[15,[[14,["test"]],"t"]],{"id":2}]]"#, as: "bob")
            #expect(write?.message == "User `bob` does not have the required `write` permission.")
        }
    }

    @Test("The rethinkdb database inherits nothing from the global scope")
    func systemDatabaseNotInherited() async throws {
        try await Self.withEngine { engine in
            _ = try await Self.atom(engine, #"[188,["test_user",{"read":true,"write":true}]]"#)
            let grant = try await Self.error(engine, #"[188,["test_user",{"read":true}]]"#, as: "test_user")
            #expect(grant?.message == "User `test_user` does not have the required `read` permission.")
            let users = #"[15,[[14,["rethinkdb"]],"users"]]"#
            #expect(try await Self.error(engine, users, as: "test_user")?.errorType == .permission)
            _ = try await Self.atom(engine, #"[188,[[14,["rethinkdb"]],"test_user",{"read":true,"write":true}]]"#)
            let granted = try await Self.atom(engine, #"[188,["test_user",{"config":true}]]"#, as: "test_user")
            #expect(granted["granted"] == 1)
            #expect(try await Self.value(engine, users, as: "test_user").arrayValue?.count == 3)
        }
    }

    @Test("rethinkdb.permissions shows admin's fixed rows and each user's grants, and writes through")
    func permissionsTable() async throws {
        try await Self.withEngine { engine in
            _ = try await Self.atom(engine, #"[188,["bob",{"read":true}]]"#)
            _ = try await Self.atom(engine, #"[188,[[15,[[14,["test"]],"t"]],"bob",{"write":true}]]"#)
            let rows = try await Self.value(engine, #"[15,[[14,["rethinkdb"]],"permissions"]]"#).arrayValue ?? []
            let bob = rows.filter { $0["user"] == "bob" }
            #expect(bob.count == 2)
            #expect(bob.contains { $0["id"] == ["bob"] && $0["permissions"] == ["read": true] })
            #expect(bob.contains { $0["table"] == "t" && $0["database"] == "test" && $0["permissions"] == ["write": true] })
            #expect(rows.contains { $0["id"] == ["admin"] })
            let deleted = try await Self.atom(engine, #"[54,[[15,[[14,["rethinkdb"]],"permissions"]]]]"#)
            #expect(deleted["deleted"] == 2)
            #expect(deleted["errors"] == 2)
            #expect(try await Self.error(engine, Self.readTable, as: "bob")?.errorType == .permission)
        }
    }
}
