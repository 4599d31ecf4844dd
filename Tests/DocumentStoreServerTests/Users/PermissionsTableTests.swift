import DocumentStore
import Foundation
import ReQL
import Testing
@testable import DocumentStoreServer

/// `rethinkdb.permissions` written directly, over a fixed catalog of one database `blog` with
/// one table `posts`: the rows it shows and `permissions_artificial_table_backend_t`'s checks.
@Suite("The permissions table")
struct PermissionsTableTests {
    static let blogID = "11111111-2222-4333-8444-555555555555"
    static let postsID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
    static let unknownID = "00000000-0000-0000-0000-000000000000"

    struct FixedCatalog: PermissionCatalog {
        func databaseName(id: String) throws(ReqlError) -> String? {
            id == PermissionsTableTests.blogID ? "blog" : nil
        }

        func table(id: String, hint: TableIdentity?) throws(ReqlError) -> TableIdentity? {
            guard id == PermissionsTableTests.postsID else { return nil }
            return TableIdentity(id: id, databaseID: PermissionsTableTests.blogID, database: "blog", name: "posts")
        }
    }

    /// A store with the user `bob` and its permissions table.
    static func withTable(_ body: (PermissionsTable) throws -> Void) throws {
        try UserStoreTests.withDirectory { directory in
            let store = try UserStore(directory: directory)
            _ = try UsersTable(store: store).write(key: "bob", new: ["id": "bob", "password": false])
            try body(PermissionsTable(store: store, catalog: FixedCatalog()))
        }
    }

    @Test("Rows written at each scope are shown with names, and a row set to nothing disappears")
    func writeAndShow() throws {
        try Self.withTable { table in
            let global = try table.write(key: ["bob"], new: ["id": ["bob"], "permissions": ["read": true]])
            #expect(global == ["id": ["bob"], "permissions": ["read": true], "user": "bob"])
            let key: Document = ["bob", .string(Self.blogID), .string(Self.postsID)]
            let shown = try table.write(key: key, new: ["id": key, "permissions": ["write": false], "table": "posts"])
            #expect(shown == ["database": "blog", "id": key, "permissions": ["write": false], "table": "posts", "user": "bob"])
            #expect(try table.rows().count == 4)   // admin's two, bob's two
            #expect(table.store.allows("bob", .read, databaseID: Self.blogID, tableID: Self.postsID))
            #expect(!table.store.allows("bob", .write, databaseID: Self.blogID, tableID: Self.postsID))
            #expect(try table.write(key: ["bob"], new: ["id": ["bob"], "permissions": ["read": .null]]) == nil)
            #expect(try table.write(key: key, new: nil) == nil)
            #expect(try table.rows().count == 2)
        }
    }

    @Test("Bad writes fail with RethinkDB's texts", arguments: [
        ("bob", ["permissions": [:]], #"Expected an array of one to three items in the primary key, got "bob"."#),
        ([1], ["permissions": [:]], "Expected a string as the username, got 1."),
        (["bob", "x"], ["permissions": [:]], #"Expected a UUID as the database, got "x"."#),
        (["bob", .string(unknownID)], ["permissions": [:]], "No database with UUID `\(unknownID)` exists."),
        (["bob", .string(blogID), .string(unknownID)], ["permissions": [:]], "No table with UUID `\(unknownID)` exists."),
        (["admin"], ["permissions": [:]], "The permissions of the user `admin` can't be modified."),
        (["carol"], ["permissions": [:]], "No user named `carol`."),
        (["bob"], ["permissions": [:], "user": "eve"], "The key `user` does not match the primary key."),
        (["bob", .string(blogID)], ["permissions": [:], "database": "news"], "The key `database` does not match the primary key."),
        (["bob"], ["id": ["bob"]], "Expected a field `permissions`."),
        (["bob"], ["permissions": [:], "x": 1], "Unexpected key(s) `x`."),
        (["bob", .string(blogID)], ["permissions": ["connect": true]], "The `connect` permission is only valid at the global scope."),
    ] as [(Document, Document, String)])
    func badWrites(key: Document, row: Document, message: String) throws {
        try Self.withTable { table in
            let failure = UserStoreTests.failure { _ = try table.write(key: key, new: row) }
            #expect(failure == message)
            let rows = try table.rows()
            #expect(rows.count == 2)
        }
    }

    @Test("An insert without a key is refused")
    func generatedKey() throws {
        try Self.withTable { table in
            let failure = UserStoreTests.failure {
                _ = try table.write(key: "generated", new: ["permissions": [:]], keyWasGenerated: true)
            }
            #expect(failure == "You must specify a primary key.")
        }
    }
}
