import DocumentStore
import ReQL

/// `rethinkdb.permissions` over a ``UserStore``: one row per user and scope that has
/// something set, `{id: [user, database id?, table id?], user, database?, table?,
/// permissions}`, and writes with `permissions_artificial_table_backend_t`'s rules.
///
/// ```swift
/// let permissions = PermissionsTable(store: store, catalog: catalog)
/// _ = try permissions.write(key: ["bob"], new: ["id": ["bob"], "permissions": ["read": true]])
/// try permissions.rows()   // admin's two rows, then [{id: ["bob"], permissions: {read: true}, user: "bob"}]
/// ```
///
/// `admin`'s rows (everything, globally and on `rethinkdb`) are shown but cannot be written.
/// Database and table names are shown as they are now (`identifier_format: "name"`).
struct PermissionsTable: Sendable {
    let store: UserStore
    let catalog: any PermissionCatalog

    static let primaryKey = "id"
    /// What RethinkDB shows for the database of a grant whose database was dropped.
    static let deletedDatabase = "__deleted_database__"

    func rows() throws(ReqlError) -> [Document] {
        var rows: [Document] = Self.adminRows
        for (name, account) in store.accounts() where name != UserStore.admin {
            rows += try self.rows(of: name, account)
        }
        return rows
    }

    /// The row `key` names; nil when the key is malformed or nothing is set there.
    func row(_ key: Document) throws(ReqlError) -> Document? {
        guard let found = try? catalog.scope(ofKey: key) else { return nil }
        let (user, scope) = found
        if user == UserStore.admin {
            switch scope {
            case .global: return Self.adminRows[0]
            case .database(let id, _) where id == UserStore.systemDatabaseID: return Self.adminRows[1]
            default: return nil
            }
        }
        guard let account = store.account(user) else { return nil }
        return try self.row(user, scope, account.permissions(at: scope))
    }

    /// admin's fixed rows: every permission globally and on `rethinkdb`, which inherits
    /// nothing from the global scope.
    static let adminRows: [Document] = [
        ["id": [.string(UserStore.admin)], "permissions": Permissions.all.document, "user": .string(UserStore.admin)],
        [
            "database": "rethinkdb",
            "id": [.string(UserStore.admin), .string(UserStore.systemDatabaseID)],
            "permissions": Permissions(read: true, write: true, config: true, isGlobal: false).document,
            "user": .string(UserStore.admin),
        ],
    ]

    private func rows(of user: String, _ account: UserAccount) throws(ReqlError) -> [Document] {
        var rows: [Document] = []
        if let row = try row(user, .global, account.global) { rows.append(row) }
        for (id, permissions) in account.databases.sorted(by: { $0.key < $1.key }) {
            let name = try catalog.databaseName(id: id) ?? Self.deletedDatabase
            if let row = try row(user, .database(id: id, name: name), permissions) { rows.append(row) }
        }
        for (id, grant) in account.tables.sorted(by: { $0.key < $1.key }) {
            let hint = TableIdentity(id: id, databaseID: grant.databaseID, database: grant.database, name: grant.table)
            // A grant on a table that was dropped is not shown (and no table has its id any more).
            guard let table = try catalog.table(id: id, hint: hint) else { continue }
            if let row = try row(user, .table(table), grant.permissions) { rows.append(row) }
        }
        return rows
    }

    private func row(_ user: String, _ scope: PermissionScope, _ permissions: Permissions) throws(ReqlError) -> Document? {
        let shown = permissions.document
        guard !shown.isNull else { return nil }
        var row: DocumentObject = ["permissions": shown, "user": .string(user)]
        switch scope {
        case .global:
            row["id"] = [.string(user)]
        case .database(let id, let name):
            row["id"] = [.string(user), .string(id)]
            row["database"] = .string(name)
        case .table(let table):
            row["id"] = [.string(user), .string(table.databaseID), .string(table.id)]
            row["database"] = .string(try catalog.databaseName(id: table.databaseID) ?? Self.deletedDatabase)
            row["table"] = .string(table.name)
        }
        return .object(row)
    }

    /// Sets (`new` given) or clears (`new` nil) the permissions at the scope `key` names.
    /// Returns the row as the table now shows it: nil once nothing is set there, which
    /// RethinkDB counts as a deletion.
    func write(key: Document, new: Document?, keyWasGenerated: Bool = false) throws(ReqlError) -> Document? {
        guard !keyWasGenerated else {
            throw .runtime(.opFailed, "You must specify a primary key.")
        }
        let (user, scope) = try catalog.scope(ofKey: key)
        guard user != UserStore.admin else {
            throw .runtime(.opFailed, "The permissions of the user `\(user)` can't be modified.")
        }
        guard store.account(user) != nil else {
            throw .runtime(.opFailed, "No user named `\(user)`.")
        }
        var merged = store.account(user)?.permissions(at: scope) ?? Permissions(isGlobal: scope == .global)
        if let new {
            merged = try Self.checked(new, user: user, scope: scope, merging: merged)
        } else {
            merged = Permissions(isGlobal: scope == .global)
        }
        let result = merged
        try store.update { users throws(ReqlError) in
            users[user]?.setPermissions(result, at: scope)
        }
        return try row(user, scope, result)
    }

    /// The checks of a written row, in RethinkDB's order: `user`, `database` and `table` must
    /// match the key, `permissions` must be there and merge, and nothing else may be.
    private static func checked(_ new: Document, user: String, scope: PermissionScope, merging current: Permissions) throws(ReqlError) -> Permissions {
        guard case .object(let object) = new else {
            throw .runtime(.opFailed, "Expected an object, got \(new.jsonString).")
        }
        var unexpected = Set(object.keys).subtracting(["id"])
        if let name = object["user"] {
            unexpected.remove("user")
            guard case .string(let text) = name, (try? UserStore.username(text)) == user else {
                throw .runtime(.opFailed, "The key `user` does not match the primary key.")
            }
        }
        if let database = object["database"], scope != .global {
            unexpected.remove("database")
            let expected: String
            switch scope {
            case .database(_, let name): expected = name
            case .table(let table): expected = table.database
            case .global: expected = ""
            }
            guard case .string(let text) = database else {
                throw .runtime(.opFailed, "Expected a database name; got \(database.jsonString)")
            }
            guard text == expected else {
                throw .runtime(.opFailed, "The key `database` does not match the primary key.")
            }
        }
        if let table = object["table"], case .table(let identity) = scope {
            unexpected.remove("table")
            guard case .string(let text) = table else {
                throw .runtime(.opFailed, "Expected a table name; got \(table.jsonString)")
            }
            guard text == identity.name else {
                throw .runtime(.opFailed, "The key `table` does not match the primary key.")
            }
        }
        guard let permissions = object["permissions"] else {
            throw .runtime(.opFailed, "Expected a field `permissions`.")
        }
        unexpected.remove("permissions")
        var merged = current
        try merged.merge(permissions)
        guard unexpected.isEmpty else {
            throw .unexpectedKeys(unexpected)
        }
        return merged
    }
}
