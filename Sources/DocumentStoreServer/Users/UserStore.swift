import DocumentStore
import Foundation
import ReQL
import Synchronization

/// The server's users and their permissions: what `rethinkdb.users` and
/// `rethinkdb.permissions` show, what `grant` changes, what every query is checked against and
/// whose SCRAM keys the handshake verifies.
///
/// Users belong to the server, not to a database, so they live in the data directory's
/// `users.json`, beside the database files, written whole to a temporary file, flushed and
/// renamed over the old one: a crash leaves the old users or the new ones, never half. Every
/// change is written before it is made visible, so a failed write changes nothing.
///
/// ```swift
/// let users = try UserStore(directory: dataDirectory)
/// try UsersTable(store: users).write(key: "bob", new: ["id": "bob", "password": "secret"])
/// _ = try users.grant("bob", permissions: ["read": true], scope: .global, by: "admin")
/// users.allows("bob", .read, databaseID: someID, tableID: nil)   // true
/// ```
///
/// `admin` always exists, always has every permission and cannot be deleted; its password is
/// the `--password-file`'s when one is given, else the one last set through `rethinkdb.users`
/// (empty on a new data directory, as on a new RethinkDB server).
final class UserStore: Sendable {
    /// The file in the data directory that holds the users.
    static let fileName = "users.json"
    /// The id `rethinkdb`'s permission rows carry; derived from the name as every database id
    /// of this server is, so it is the id `r.db("rethinkdb")` has.
    static let systemDatabaseID = DatabaseRegistry.id("rethinkdb")
    static let admin = "admin"

    private struct Contents: Codable {
        var version = 1
        var users: [String: UserAccount]
    }

    let path: String
    private let random: RandomByteSource
    private let state: Mutex<[String: UserAccount]>

    /// Opens (creating if needed) the users of `directory`. A non-nil `adminPassword` replaces
    /// admin's stored password, for `--password-file`.
    init(directory: String, adminPassword: String? = nil, random: RandomByteSource = .system) throws {
        self.path = (directory as NSString).appendingPathComponent(Self.fileName)
        self.random = random
        var users: [String: UserAccount] = [:]
        if FileManager.default.fileExists(atPath: path) {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            users = try JSONDecoder().decode(Contents.self, from: data).users
        }
        var changed = false
        if users[Self.admin] == nil {
            users[Self.admin] = UserAccount(password: adminPassword ?? "", random: random)
            changed = true
        } else if let adminPassword {
            users[Self.admin]?.setPassword(adminPassword, random: random)
            changed = true
        }
        if changed {
            try Self.save(users, to: path)
        }
        self.state = Mutex(users)
    }

    // MARK: Reading

    /// The SCRAM keys of every user, for one connection's handshake.
    func credentials() -> UserCredentials {
        UserCredentials(users: state.withLock { $0.mapValues(\.credential) })
    }

    /// A copy of one user, nil when there is none.
    func account(_ name: String) -> UserAccount? {
        state.withLock { $0[name] }
    }

    /// Every user, sorted by name (RethinkDB walks a map ordered by name).
    func accounts() -> [(name: String, account: UserAccount)] {
        state.withLock { users in
            users.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, $0.value) }
        }
    }

    /// Whether `user` may `kind` at that place (see ``UserAccount/allows(_:databaseID:tableID:systemDatabaseID:)``).
    /// `admin` may do anything; a user who no longer exists, nothing.
    func allows(_ user: String, _ kind: PermissionKind, databaseID: String?, tableID: String?) -> Bool {
        if user == Self.admin { return true }
        guard let account = account(user) else { return false }
        return account.allows(kind, databaseID: databaseID, tableID: tableID, systemDatabaseID: Self.systemDatabaseID)
    }

    /// As ``allows(_:_:databaseID:tableID:)``, throwing RethinkDB's `ReqlPermissionError`.
    func require(_ user: String, _ kind: PermissionKind, databaseID: String?, tableID: String?) throws(ReqlError) {
        guard allows(user, kind, databaseID: databaseID, tableID: tableID) else {
            throw kind.denied(to: user)
        }
    }

    // MARK: Writing

    /// Runs `change` on a copy of the users, saves the result and only then makes it current.
    /// Returns what `change` returned.
    func update<T: Sendable>(_ change: (inout [String: UserAccount]) throws(ReqlError) -> T) throws(ReqlError) -> T {
        try state.withLock { users throws(ReqlError) -> T in
            var copy = users
            let result = try change(&copy)
            guard copy != users else { return result }
            do {
                try Self.save(copy, to: path)
            } catch {
                throw .runtime(.opFailed, "Could not save the users to `\(path)`: \(error)")
            }
            users = copy
            return result
        }
    }

    /// A new salt, for accounts made or changed under ``update(_:)``.
    var randomSource: RandomByteSource { random }

    /// Writes the file next to its final name, flushes it to disk and renames it into place.
    private static func save(_ users: [String: UserAccount], to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(Contents(users: users))
        let temporary = path + ".tmp"
        // Owner-only: the file holds the keys that verify every password.
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        do {
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        guard rename(temporary, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    /// A user name as the server stores and compares it: SASLprep'd. RethinkDB refuses the
    /// empty name with the handshake's "Empty username".
    static func username(_ text: String) throws(ReqlError) -> String {
        guard let prepared = SASLprep.prepare(text) else {
            throw .runtime(.opFailed, "Invalid username `\(text)`.")
        }
        guard !prepared.isEmpty else {
            throw .runtime(.opFailed, "Empty username")
        }
        return prepared
    }
}
