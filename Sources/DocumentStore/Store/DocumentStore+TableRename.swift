import DocumentModel

extension DocumentStore {
    /// Renames a table, as writing `name` in RethinkDB's `table_config` does
    /// (`r.table("marvel").config().update({"name": "heroes"})`).
    ///
    /// The table keeps its id (``TableConfig/id``), documents, indexes, write hook, change log
    /// and durability: one `BEGIN IMMEDIATE` transaction renames its SQLite table, its catalog
    /// row, its index entry tables (`heroes$email`) and its change records, so another process
    /// sees either the old table or the renamed one, never half of each.
    ///
    /// ```swift
    /// try await store.tableRename("marvel", to: "heroes")
    /// try await store.table("heroes").get("iron-man")     // the same document
    /// try await store.table("marvel").count()             // throws: Table `test.marvel` does not exist.
    /// ```
    ///
    /// Handles made with the old name (``table(_:)``), here or in another process, then fail
    /// with "does not exist" rather than write elsewhere; a table created later under the old
    /// name is a new table, with an id of its own. Change feeds follow the table under its new
    /// name, as RethinkDB's follow the table's id; a `limit` feed, whose ordered set is read
    /// through the old name, ends with an error saying the table was renamed.
    ///
    /// - Parameters:
    ///   - name: the table to rename; the name must match exactly, letter case included.
    ///   - newName: its new name, under ``tableCreate(_:primaryKey:durability:changeLog:)``'s
    ///     rules. Only letter case may differ from `name` (`marvel` to `Marvel`).
    /// - Returns: the definition before and after (``TableChange/oldValue`` and
    ///   ``TableChange/newValue``, indexes included), no table created or dropped; both are
    ///   the same when `newName` is `name`.
    /// - Throws: `DocumentStoreError`: "Table \`test.marvel\` does not exist." (`.opFailed`,
    ///   reason `.tableDoesNotExist`), "Table \`test.heroes\` already exists." (`.opFailed`,
    ///   reason `.tableExists`), or for a bad name what `tableCreate` throws.
    @discardableResult
    public func tableRename(_ name: String, to newName: String) async throws -> TableChange {
        try TableInfo.validate(name: name)
        try TableInfo.validate(name: newName)
        let database = configuration.databaseName
        let registry = indexes
        let (old, new, indexNames) = try await writer.run { connection in
            try Self.catalogWrite(connection, action: "rename table `\(name)` to `\(newName)`") { () throws -> (TableInfo, TableInfo, [String]) in
                guard let old = try Self.lookUp(connection, name: name, caseInsensitive: false) else {
                    throw DocumentStoreError.tableDoesNotExist(database, name)
                }
                let definitions = try IndexCatalog.definitions(connection, table: name, compile: registry)
                let indexNames = definitions.map(\.name)
                guard newName != name else { return (old, old, indexNames) }
                if let existing = try Self.lookUp(connection, name: newName, caseInsensitive: true), existing.uuid != old.uuid {
                    if existing.name == newName {
                        throw DocumentStoreError(.opFailed, "Table `\(database).\(newName)` already exists.", reason: .tableExists)
                    }
                    throw DocumentStoreError(.opFailed, "Table `\(database).\(name)` cannot be renamed to `\(newName)`: `\(database).\(existing.name)` exists, and SQLite table names ignore case.")
                }
                try Self.renameRelation(connection, from: old, to: newName)
                let catalog = try connection.prepare("UPDATE \(TableInfo.catalogTable) SET name = ? WHERE name = ? COLLATE BINARY")
                catalog.bind(newName, at: 1)
                catalog.bind(name, at: 2)
                try catalog.run()
                try IndexCatalog.moveAll(connection, definitions, to: newName)
                try ChangeLogStorage.move(connection, table: name, to: newName)
                guard let new = try Self.lookUp(connection, name: newName, caseInsensitive: false) else {
                    throw DocumentStoreError.tableDoesNotExist(database, newName)
                }
                return (old, new, indexNames)
            }
        }
        if new.name != old.name {
            catalogCache.withLock {
                $0[old.name] = nil
                $0[new.name] = new
            }
            registry.forget(table: old.name)
            registry.forget(table: new.name)
            // Open feeds read the catalog again and follow the table to its new name.
            changeMonitor.committed()
        }
        var before = old.config(database: database)
        var after = new.config(database: database)
        before.indexes = indexNames
        after.indexes = indexNames
        return TableChange(tablesCreated: 0, tablesDropped: 0, oldValue: before, newValue: after)
    }

    /// Renames the document table itself. SQLite refuses a new name that differs from the old
    /// one only in letter case (it sees the same name), so such a rename goes through a free
    /// name in the reserved `$` namespace.
    private static func renameRelation(_ connection: SQLiteConnection, from old: TableInfo, to newName: String) throws {
        let target = IndexCatalog.quote(newName)
        if old.name.lowercased() == newName.lowercased() {
            let interim = IndexCatalog.quote(try IndexCatalog.freeStorageName(connection, table: newName, index: "$renaming"))
            try connection.execute("ALTER TABLE \(old.quotedName) RENAME TO \(interim)")
            try connection.execute("ALTER TABLE \(interim) RENAME TO \(target)")
        } else {
            try connection.execute("ALTER TABLE \(old.quotedName) RENAME TO \(target)")
        }
    }
}
