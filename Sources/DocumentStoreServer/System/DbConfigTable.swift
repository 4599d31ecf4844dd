import DocumentStore
import ReQL

/// `rethinkdb.db_config`: one row per database, what `db.config()` shows. Inserting a row
/// creates a database, changing its `name` renames it, and deleting one drops it, as in
/// RethinkDB.
struct DbConfigTable: SystemTable {
    let name = "db_config"

    static func row(_ database: String, _ context: SystemContext) -> Document {
        ["id": .string(context.registry.id(of: database)), "name": .string(database)]
    }

    func rows(_ context: SystemContext) throws(ReqlError) -> [Document] {
        context.databases.map { Self.row($0, context) }
    }

    func row(_ key: Document, _ context: SystemContext) throws(ReqlError) -> Document? {
        guard case .string(let id) = key else { return nil }
        return context.databases.first { context.registry.id(of: $0) == id }.map { Self.row($0, context) }
    }

    func write(key: Document, old: Document?, new: Document?, _ context: SystemContext) throws(ReqlError) {
        switch (old, new) {
        case (let old?, nil):
            guard case .string(let database)? = old["name"] else { return }
            let tables = try context.library.tableList(in: database)
            _ = context.registry.drop(database, tableCount: tables.count)
            context.system.logs.record("info", "Database `\(database)` dropped.")
        case (nil, let new?):
            var row = try SystemRow(new)
            _ = try row.field("id")
            let database = try row.name("name", what: "database name")
            try row.checkNoExtraKeys()
            guard context.keyWasGenerated else {
                throw .runtime(.opFailed, "If you want to create a new table by inserting into `rethinkdb.db_config`, "
                    + "you must use an auto-generated primary key.")
            }
            if database == SystemDatabase.name { throw .runtime(.opFailed, "Database `rethinkdb` already exists.") }
            _ = try context.registry.create(database)
            context.system.logs.record("info", "Database `\(database)` created.")
        case (let old?, let new?):
            let database: String
            do {
                var row = try SystemRow(new)
                _ = try row.field("id")
                database = try row.name("name", what: "database name")
                try row.checkNoExtraKeys()
            } catch {
                throw wrongChange(error)
            }
            guard case .string(let current)? = old["name"], current != database else { return }
            // The file is renamed; the database keeps its id, so grants and `uuid` references follow it.
            try context.registry.rename(current, to: database)
            context.system.logs.record("info", "Database `\(current)` renamed to `\(database)`.")
        case (nil, nil):
            break
        }
    }
}
