import DocumentStore
import ReQL

/// The server's databases and tables as ``PermissionCatalog`` names them: database ids are
/// made from names and kept across renames (``DatabaseRegistry/id(of:)``), table ids are the
/// library's, kept in each file's catalog.
///
/// Looking a table up by id alone opens every database; rows and checks pass the place the
/// table was granted at as a hint, which is one lookup while the table is still there.
struct RegistryCatalog: PermissionCatalog {
    let registry: DatabaseRegistry
    let cancellation: CancellationToken

    func databaseName(id: String) throws(ReqlError) -> String? {
        if id == UserStore.systemDatabaseID { return "rethinkdb" }
        return registry.list().first { registry.id(of: $0) == id }
    }

    func table(id: String, hint: TableIdentity?) throws(ReqlError) -> TableIdentity? {
        for system in SystemUserTable.allCases where system.id == id {
            return system.identity
        }
        if let hint, try self.id(of: hint.name, in: hint.database) == id {
            return hint
        }
        for database in registry.list() {
            let store = try registry.store(database)
            let names = try LibraryBridge.run(cancellation) { try await store.tableList() }
            for name in names {
                if try self.id(of: name, in: database) == id {
                    return TableIdentity(id: id, databaseID: registry.id(of: database), database: database, name: name)
                }
            }
        }
        return nil
    }

    /// The library's id of a table, nil when the database or the table does not exist.
    func id(of table: String, in database: String) throws(ReqlError) -> String? {
        guard (try? registry.exists(database)) == true, let store = try? registry.store(database) else { return nil }
        let handle = store.table(table)
        return try? LibraryBridge.run(cancellation) { try await handle.config().id }
    }
}
