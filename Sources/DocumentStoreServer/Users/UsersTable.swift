import DocumentStore
import ReQL

/// `rethinkdb.users` over a ``UserStore``: one row `{id: name, password: true/false}` per
/// user, and writes with `users_artificial_table_backend_t`'s rules.
///
/// ```swift
/// let users = UsersTable(store: store)
/// _ = try users.write(key: "bob", new: ["id": "bob", "password": "secret"])  // creates bob
/// try users.rows()   // [{id: "admin", password: false}, {id: "bob", password: true}]
/// _ = try users.write(key: "bob", new: nil)                                  // deletes bob
/// ```
///
/// Passwords are write-only: a row shows whether one is set, never the password or its keys.
struct UsersTable: Sendable {
    let store: UserStore

    /// The table's primary key, as RethinkDB's system tables have it.
    static let primaryKey = "id"

    /// Every user, by name.
    func rows() throws(ReqlError) -> [Document] {
        store.accounts().map { Self.row($0.name, $0.account) }
    }

    /// The user whose name is `key`; nil for a key that is not a string or names nobody.
    func row(_ key: Document) throws(ReqlError) -> Document? {
        guard case .string(let text) = key, let name = try? UserStore.username(text),
              let account = store.account(name)
        else { return nil }
        return Self.row(name, account)
    }

    static func row(_ name: String, _ account: UserAccount) -> Document {
        ["id": .string(name), "password": .bool(account.hasPassword)]
    }

    /// Creates, changes (`new` given) or deletes (`new` nil) the user `key`. `keyWasGenerated`
    /// is true when an insert had no `id` and one was made up, which RethinkDB refuses.
    /// Returns the row as the table now shows it (nil once deleted).
    ///
    /// A new user has no permissions: it may connect only once something is granted to it.
    func write(key: Document, new: Document?, keyWasGenerated: Bool = false) throws(ReqlError) -> Document? {
        guard case .string(let text) = key, !keyWasGenerated else {
            throw .runtime(.opFailed, "Expected a username as the primary key, got \(key.jsonString).")
        }
        let name = try UserStore.username(text)
        let random = store.randomSource
        if let new {
            return try store.update { users throws(ReqlError) -> Document? in
                let account = try UserAccount.merged(new, into: users[name], random: random)
                users[name] = account
                return Self.row(name, account)
            }
        }
        guard name != UserStore.admin else {
            throw .runtime(.opFailed, "The user `\(name)` can't be deleted.")
        }
        return try store.update { users throws(ReqlError) -> Document? in
            guard users.removeValue(forKey: name) != nil else {
                throw .runtime(.opFailed, "User `\(name)` not found.")
            }
            return nil
        }
    }
}
