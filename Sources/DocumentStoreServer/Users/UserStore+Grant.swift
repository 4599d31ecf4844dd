import DocumentStore
import ReQL

extension UserStore {
    /// The id of `rethinkdb.permissions`, which `grant` needs read and write permission on,
    /// as writing that table directly does.
    static let permissionsTableID = DatabaseRegistry.id("rethinkdb.permissions")
    /// The id of `rethinkdb.users`.
    static let usersTableID = DatabaseRegistry.id("rethinkdb.users")

    /// `grant`: merges `permissions` into what `user` has at `scope`, on behalf of `caller`,
    /// with `auth::grant`'s checks in its order: admin's permissions are fixed, the caller must
    /// be able to read and write `rethinkdb.permissions`, the user must exist, then the
    /// permissions object is checked as it is merged.
    ///
    /// Returns RethinkDB's `{granted: 1, permissions_changes: [{old_val, new_val}]}`.
    func grant(_ user: String, permissions: Document, scope: PermissionScope, by caller: String) throws(ReqlError) -> Document {
        let name = try Self.username(user)
        guard name != Self.admin else {
            throw .runtime(.opFailed, "The permissions of the user `\(name)` can't be modified.")
        }
        try require(caller, .read, databaseID: Self.systemDatabaseID, tableID: Self.permissionsTableID)
        try require(caller, .write, databaseID: Self.systemDatabaseID, tableID: Self.permissionsTableID)
        let (old, new) = try update { users throws(ReqlError) -> (Document, Document) in
            guard var account = users[name] else {
                throw .runtime(.opFailed, "User `\(name)` not found.")
            }
            var current = account.permissions(at: scope)
            let old = current.document
            try current.merge(permissions)
            account.setPermissions(current, at: scope)
            users[name] = account
            return (old, current.document)
        }
        return [
            "granted": 1,
            "permissions_changes": [["old_val": old, "new_val": new]],
        ]
    }
}

extension UserAccount {
    /// The permissions at one scope (all unset where nothing was granted).
    func permissions(at scope: PermissionScope) -> Permissions {
        switch scope {
        case .global: return global
        case .database(let id, _): return databases[id] ?? Permissions(isGlobal: false)
        case .table(let table): return tables[table.id]?.permissions ?? Permissions(isGlobal: false)
        }
    }

    /// Replaces the permissions at one scope; a scope left with nothing set is forgotten, as
    /// RethinkDB erases an indeterminate database or table entry.
    mutating func setPermissions(_ permissions: Permissions, at scope: PermissionScope) {
        switch scope {
        case .global:
            global = permissions
        case .database(let id, _):
            databases[id] = permissions.isIndeterminate ? nil : permissions
        case .table(let table):
            tables[table.id] = permissions.isIndeterminate
                ? nil
                : TableGrant(databaseID: table.databaseID, database: table.database, table: table.name, permissions: permissions)
        }
    }
}
