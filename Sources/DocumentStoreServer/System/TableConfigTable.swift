import DocumentStore
import ReQL

/// `rethinkdb.table_config`: one row per table, what `table.config()` shows. A write
/// creates a table (a new row), drops one (a deleted row), renames it or changes its
/// durability or its number of shards (a changed row; each shard must be on this server); the
/// rest of a row is read-only on one server, as RethinkDB's rules for it say.
struct TableConfigTable: SystemTable {
    let name = "table_config"

    /// A table's row: the library's config, with the one-server cluster's shards and acks;
    /// `shards` gives another count than the recorded one (a dry run's new row).
    static func row(_ config: TableConfig, _ context: SystemContext, shards: Int? = nil) -> Document {
        var row = ClusterConfig.document(of: config, server: context.server, shards: shards ?? context.registry.shards.count(of: config.id))
        row["db"] = context.database(config.database)
        return row
    }

    func rows(_ context: SystemContext) throws(ReqlError) -> [Document] {
        try context.tableConfigs().map { Self.row($0, context) }
    }

    func row(_ key: Document, _ context: SystemContext) throws(ReqlError) -> Document? {
        try context.tableConfig(id: key).map { Self.row($0, context) }
    }

    func write(key: Document, old: Document?, new: Document?, _ context: SystemContext) throws(ReqlError) {
        switch (old, new) {
        case (let old?, nil):
            _ = try context.library.tableDrop(try Self.string(old["name"]), in: try database(of: old, context))
        case (nil, let new?):
            try create(new, context)
        case (let old?, let new?):
            try update(old: old, new: new, context)
        case (nil, nil):
            break
        }
    }

    private func create(_ new: Document, _ context: SystemContext) throws(ReqlError) {
        guard context.keyWasGenerated else {
            throw .runtime(.opFailed, "If you want to create a new table by inserting into `rethinkdb.table_config`, "
                + "you must use an auto-generated primary key.")
        }
        var row = try SystemRow(new)
        _ = try row.field("id")
        let table = try row.name("name", what: "table name")
        let database = try self.database(of: new, context)
        _ = row.optionalField("db")
        var primaryKey = "id"
        if let key = row.optionalField("primary_key") {
            guard case .string(let text) = key else { throw wrongFormat("In `primary_key`: Expected a string; got \(SystemRow.print(key))") }
            primaryKey = text
        }
        let durability = try row.optionalField("durability").map { (value) throws(ReqlError) in try Self.durability(value) }
        if let indexes = row.optionalField("indexes"), indexes != [] {
            throw wrongFormat("The `indexes` field is read-only and can't be used to create indexes.")
        }
        let shards = try row.optionalField("shards").map { (value) throws(ReqlError) in try Self.shardCount(value, old: nil, context) ?? 1 } ?? 1
        for field in ["write_acks", "write_hook"] { _ = row.optionalField(field) }
        try row.checkNoExtraKeys()
        _ = try context.library.tableCreate(table, in: database, primaryKey: primaryKey, durability: durability, shards: shards)
    }

    private func update(old: Document, new: Document, _ context: SystemContext) throws(ReqlError) {
        if new["primary_key"] != old["primary_key"] {
            throw .runtime(.opFailed, "It's illegal to change a table's primary key")
        }
        if new["indexes"] != old["indexes"] {
            throw wrongFormat("The `indexes` field is read-only and can't be used to create or drop indexes.")
        }
        let name = try Self.string(old["name"])
        let database = try self.database(of: old, context)
        if new["db"] != old["db"], try self.database(of: new, context) != database {
            // Another database is another SQLite file: moving a table is a copy, not a rename.
            throw .runtime(.opFailed, "DocStore cannot move table `\(database).\(name)` to another database: each database is "
                + "a SQLite file of its own. Copy the table (`docstore dump`, then `docstore restore` into the other database) and drop it.")
        }
        let shards = try Self.shardCount(new["shards"], old: old["shards"], context)
        if new["write_acks"] != old["write_acks"] {
            throw .runtime(.opFailed, "DocStore is one server: a table's `write_acks` cannot change.")
        }
        var unknown = new.objectValue?.map(\.key).filter { old[$0] == nil } ?? []
        unknown.sort()
        if !unknown.isEmpty { throw wrongFormat("Unexpected key(s): " + unknown.joined(separator: " ")) }
        let newName: String
        if new["name"] != old["name"] {
            do {
                var row = try SystemRow(new)
                newName = try row.name("name", what: "table name")
            } catch {
                throw wrongChange(error)
            }
        } else {
            newName = name
        }
        // Checked before the rename, so a bad durability changes nothing.
        let durability = try new["durability"].flatMap { (value) throws(ReqlError) in
            value == old["durability"] ? nil : try Self.durability(value)
        }
        let store = try context.registry.store(database)
        if newName != name {
            try context.call {
                do {
                    try await store.tableRename(name, to: newName)
                } catch let error as DocumentStoreError where error.reason == .tableExists {
                    throw DocumentStoreError(.opFailed, "Can't rename table `\(database).\(name)` to `\(database).\(newName)` "
                        + "because table `\(database).\(newName)` already exists.", reason: .tableExists)
                }
            }
            context.registry.forgetChangeLog(database, name)
        }
        if let shards, let id = old["id"]?.stringValue {
            try context.registry.shards.set(shards, for: id, table: "\(database).\(newName)")
        }
        guard let durability else { return }
        let table = store.table(newName)
        try context.call { try await table.setDurability(durability == "soft" ? .soft : .hard) }
    }

    /// The new number of shards a changed row asks for, nil when it keeps them: 1 to 64
    /// shards, each with this server as its primary and only replica.
    private static func shardCount(_ new: Document?, old: Document?, _ context: SystemContext) throws(ReqlError) -> Int? {
        guard new != old else { return nil }
        let shard = ClusterConfig.shard(on: context.server)
        guard case .array(let shards)? = new, (1...Reconfiguration.maxShards).contains(shards.count), shards.allSatisfy({ $0 == shard }) else {
            throw .runtime(.opFailed, "DocStore is one server: each of a table's 1 to \(Reconfiguration.maxShards) shards must be "
                + "\(SystemRow.print(shard)).")
        }
        return shards.count
    }

    /// The database a row names (by name, or by id under `identifier_format: "uuid"`).
    private func database(of row: Document, _ context: SystemContext) throws(ReqlError) -> String {
        let value = try Self.string(row["db"])
        if let name = context.databases.first(where: { $0 == value || context.registry.id(of: $0) == value }) { return name }
        throw wrongFormat("In `db`: Database `\(value)` does not exist.")
    }

    private static func durability(_ value: Document) throws(ReqlError) -> String {
        guard value == "soft" || value == "hard", case .string(let text) = value else {
            throw .runtime(.opFailed, "The row you're trying to put into `rethinkdb.table_config` has the wrong format. "
                + "In `durability`: Expected \"soft\" or \"hard\", got: \(SystemRow.print(value))")
        }
        return text
    }

    private static func string(_ value: Document?) throws(ReqlError) -> String {
        guard case .string(let text)? = value else { throw SystemRow.failure("Expected a string; got \(SystemRow.print(value ?? .null))") }
        return text
    }
}
