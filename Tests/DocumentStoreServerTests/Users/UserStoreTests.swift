import DocumentStore
import Foundation
import ReQL
import Testing
@testable import DocumentStoreServer

/// The users of a data directory: `rethinkdb.users`' rows and writes, the users file, and
/// SASLprep of names.
@Suite("Users")
struct UserStoreTests {
    /// A fresh data directory, removed afterwards.
    static func withDirectory(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("users-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    /// The message of the error `body` throws, nil when it throws none.
    static func failure(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as ReqlError {
            return error.message
        } catch {
            return "not a ReqlError: \(error)"
        }
    }

    @Test("A new data directory has admin, without a password, and admin cannot be deleted")
    func adminAlwaysExists() throws {
        try Self.withDirectory { directory in
            let users = UsersTable(store: try UserStore(directory: directory))
            #expect(try users.rows() == [["id": "admin", "password": false]])
            #expect(Self.failure { _ = try users.write(key: "admin", new: nil) } == "The user `admin` can't be deleted.")
            #expect(try users.rows().count == 1)
        }
    }

    @Test("Users written to the table are in the file: a server started again has them")
    func usersPersist() throws {
        try Self.withDirectory { directory in
            let first = UsersTable(store: try UserStore(directory: directory))
            _ = try first.write(key: "bob", new: ["id": "bob", "password": "secret"])
            _ = try first.write(key: "carol", new: ["id": "carol", "password": false])
            let reopened = UsersTable(store: try UserStore(directory: directory))
            #expect(try reopened.rows() == [
                ["id": "admin", "password": false], ["id": "bob", "password": true], ["id": "carol", "password": false],
            ])
            _ = try reopened.write(key: "bob", new: nil)
            #expect(try UsersTable(store: try UserStore(directory: directory)).row("bob") == nil)
        }
    }

    @Test("A stored password is kept as SCRAM keys that verify it, salted anew each time it is set")
    func passwordsAreScramKeys() throws {
        try Self.withDirectory { directory in
            let store = try UserStore(directory: directory)
            _ = try UsersTable(store: store).write(key: "bob", new: ["id": "bob", "password": "secret"])
            let first = try #require(store.credentials().credential(for: "bob"))
            #expect(first.iterations == 4096)
            let expected = UserCredentials.Credential(password: "secret", salt: first.salt, iterations: 4096)
            #expect(first == expected)
            _ = try UsersTable(store: store).write(key: "bob", new: ["id": "bob", "password": "secret"])
            let second = try #require(store.credentials().credential(for: "bob"))
            #expect(second.salt != first.salt)
            let text = try String(contentsOfFile: store.path, encoding: .utf8)
            #expect(!text.contains("secret"))
        }
    }

    @Test("A password object sets the PBKDF2 rounds")
    func passwordWithIterations() throws {
        try Self.withDirectory { directory in
            let store = try UserStore(directory: directory)
            _ = try UsersTable(store: store).write(key: "bob", new: ["id": "bob", "password": ["password": "pw", "iterations": 1000]])
            #expect(store.credentials().credential(for: "bob")?.iterations == 1000)
        }
    }

    /// Each row and the text of `user_t::merge`, `password_t` and the users backend.
    @Test("Bad user rows fail with RethinkDB's texts and change nothing", arguments: [
        ("bob", ["id": "bob"], "Expected a field named `password`."),
        ("bob", ["password": "x"], "Expected a field named `id`."),
        ("bob", ["id": "bob", "password": "x", "extra": 1, "also": 2], "Unexpected key(s) `also`, `extra`."),
        ("bob", ["id": "bob", "password": 3], "Expected an object, string or boolean for `password`, got 3."),
        ("bob", ["id": "bob", "password": true],
         "Expected an object or string to set the password, or `false` to keep it unset, got true."),
        ("bob", ["id": "bob", "password": ["password": "x"]], "Expected a field named `iterations`."),
        ("bob", ["id": "bob", "password": ["password": "x", "iterations": 0]],
         "Expected `iterations` to be an integer greater than zero, got 0."),
        ("bob", ["id": "bob", "password": ["iterations": 10, "password": 5]], "Expected `password` to be a string, got 5."),
        (1, ["id": 1, "password": false], "Expected a username as the primary key, got 1."),
    ] as [(Document, Document, String)])
    func badRows(key: Document, row: Document, message: String) throws {
        try Self.withDirectory { directory in
            let users = UsersTable(store: try UserStore(directory: directory))
            #expect(Self.failure { _ = try users.write(key: key, new: row) } == message)
            #expect(try users.rows().count == 1)
        }
    }

    @Test("Deleting a user who does not exist fails")
    func deletingNobody() throws {
        try Self.withDirectory { directory in
            let users = UsersTable(store: try UserStore(directory: directory))
            #expect(Self.failure { _ = try users.write(key: "nobody", new: nil) } == "User `nobody` not found.")
        }
    }

    @Test("The password file replaces admin's stored password; without one the stored password stays")
    func adminPasswordFile() throws {
        try Self.withDirectory { directory in
            _ = try UsersTable(store: try UserStore(directory: directory)).write(
                key: "admin", new: ["id": "admin", "password": "stored"])
            let kept = try #require(try UserStore(directory: directory).credentials().credential(for: "admin"))
            #expect(kept == UserCredentials.Credential(password: "stored", salt: kept.salt))
            let replaced = try #require(try UserStore(directory: directory, adminPassword: "flag").credentials().credential(for: "admin"))
            #expect(replaced == UserCredentials.Credential(password: "flag", salt: replaced.salt))
        }
    }

    /// RFC 4013 section 3's examples, and its prohibited output.
    @Test("SASLprep maps and refuses as RFC 4013's examples say", arguments: [
        ("I\u{00AD}X", "IX"),        // soft hyphen mapped to nothing
        ("user", "user"),            // no transformation
        ("USER", "USER"),            // case preserved
        ("\u{00AA}", "a"),           // NFKC
        ("\u{2168}", "IX"),          // NFKC
        ("\u{0007}", nil),           // prohibited
        ("\u{0627}\u{0031}", nil),   // bidi rule
    ] as [(String, String?)])
    func saslprep(input: String, output: String?) {
        #expect(SASLprep.prepare(input) == output)
    }

    @Test("User names are stored SASLprep'd, so equivalent spellings are one user")
    func namesArePrepared() throws {
        try Self.withDirectory { directory in
            let users = UsersTable(store: try UserStore(directory: directory))
            _ = try users.write(key: "\u{2168}", new: ["id": "\u{2168}", "password": false])
            #expect(try users.row("IX") == ["id": "IX", "password": false])
            #expect(Self.failure { _ = try users.write(key: "a\u{0007}", new: ["id": "a\u{0007}", "password": false] ) }
                == "Invalid username `a\u{0007}`.")
        }
    }
}
