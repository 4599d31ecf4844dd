import DocumentModel

extension DocumentStore {
    /// Creates a document table, RethinkDB's `table_create`.
    ///
    /// ```swift
    /// try await store.tableCreate("marvel")                                  // key field "id"
    /// try await store.tableCreate("users", primaryKey: "email", durability: .soft)
    /// try await store.tableCreate("events", changeLog: .on(.count(10_000)))   // feeds may follow it
    /// ```
    ///
    /// - Parameters:
    ///   - name: the table's name: A-Z, a-z, 0-9, `_` and `-` only, as in RethinkDB. It is
    ///     also the SQLite table's name, so it must differ from every other table's in more
    ///     than letter case, and may not start with `sqlite_` or be `docstore_tables`.
    ///   - primaryKey: the field that holds each document's key; it cannot change later.
    ///   - durability: the default for writes that do not say (``Durability/hard`` by default).
    ///   - changeLog: whether writes record their changes for feeds (``Table/changes(_:)``),
    ///     and how many the log keeps; off by default (switch it later with
    ///     ``Table/setChangeLog(_:)``).
    /// - Returns: what changed; its ``TableChange/document`` is RethinkDB's result,
    ///   `{"config_changes": [{"new_val": <config>, "old_val": null}], "tables_created": 1}`.
    /// - Throws: `DocumentStoreError`: "Table \`test.marvel\` already exists." (`.opFailed`,
    ///   with reason `.tableExists`), or for a bad name
    ///   "Table name \`a b\` invalid (Use A-Z, a-z, 0-9, _ and - only)." (`.queryLogic`).
    @discardableResult
    public func tableCreate(_ name: String, primaryKey: String = "id", durability: Durability = .hard,
                            changeLog: ChangeLog = .off) async throws -> TableChange {
        try TableInfo.validate(name: name)
        try changeLog.validate()
        let database = configuration.databaseName
        let info = TableInfo(name: name, primaryKey: primaryKey, durability: durability, uuid: UUIDGenerator.v4String(),
                             changeLog: changeLog, changeLinks: changeLog.isOn)
        try await writer.run { connection in
            try Self.catalogWrite(connection, action: "create table `\(name)`") {
                if let existing = try Self.lookUp(connection, name: name, caseInsensitive: true) {
                    if existing.name == name {
                        throw DocumentStoreError(.opFailed, "Table `\(database).\(name)` already exists.", reason: .tableExists)
                    }
                    throw DocumentStoreError(.opFailed, "Table `\(database).\(name)` cannot be created: `\(database).\(existing.name)` exists, and SQLite table names ignore case.")
                }
                let insert = try connection.prepare("""
                    INSERT INTO \(TableInfo.catalogTable) (name, primary_key, durability, uuid, change_log, change_keep_count, change_keep_seconds,
                        change_links)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                insert.bind(info.name, at: 1)
                insert.bind(info.primaryKey, at: 2)
                insert.bind(info.durability.rawValue, at: 3)
                insert.bind(info.uuid, at: 4)
                changeLog.bind(to: insert, from: 5)
                insert.bind(Int64(info.changeLinks ? 1 : 0), at: 8)
                try insert.run()
                try connection.execute("CREATE TABLE \(info.quotedName) (id NOT NULL PRIMARY KEY, doc TEXT NOT NULL"
                    + (info.changeLinks ? ", \(ChangeRecorder.linkColumn) INTEGER)" : ")"))
            }
        }
        catalogCache.withLock { $0[name] = info }
        return TableChange(tablesCreated: 1, tablesDropped: 0, oldValue: nil, newValue: info.config(database: database))
    }

    /// Drops a table and every document in it, RethinkDB's `table_drop`, with its indexes.
    ///
    /// - Returns: what changed; its ``TableChange/document`` is RethinkDB's
    ///   `{"config_changes": [{"new_val": null, "old_val": <config>}], "tables_dropped": 1}`.
    /// ```swift
    /// try await store.tableDrop("marvel")
    /// ```
    ///
    /// - Parameter name: the table to drop; the name must match exactly, letter case included.
    /// - Throws: `DocumentStoreError` "Table \`test.marvel\` does not exist." (`.opFailed`,
    ///   with reason `.tableDoesNotExist`) when there is no such table.
    @discardableResult
    public func tableDrop(_ name: String) async throws -> TableChange {
        try TableInfo.validate(name: name)
        let database = configuration.databaseName
        let info = try await writer.run { connection in
            try Self.catalogWrite(connection, action: "drop table `\(name)`") { () throws -> TableInfo in
                guard let info = try Self.lookUp(connection, name: name, caseInsensitive: false) else {
                    throw DocumentStoreError.tableDoesNotExist(database, name)
                }
                let delete = try connection.prepare("DELETE FROM \(TableInfo.catalogTable) WHERE name = ?")
                delete.bind(name, at: 1)
                try delete.run()
                try IndexCatalog.dropAll(connection, table: name, compile: self.indexes)
                try ChangeLogStorage.forget(connection, table: name)
                try connection.execute("DROP TABLE IF EXISTS \(info.quotedName)")
                return info
            }
        }
        catalogCache.withLock { $0[name] = nil }
        indexes.forget(table: name)
        // Open feeds on the table find it gone and end.
        changeMonitor.committed()
        return TableChange(tablesCreated: 0, tablesDropped: 1, oldValue: info.config(database: database), newValue: nil)
    }

    /// The names of all tables, sorted, as RethinkDB's `table_list` returns them.
    ///
    /// ```swift
    /// try await store.tableList()   // ["marvel", "users"]
    /// ```
    public func tableList() async throws -> [String] {
        try await read { connection in
            let statement = try connection.prepare("SELECT name FROM \(TableInfo.catalogTable) ORDER BY name COLLATE BINARY")
            var names: [String] = []
            while try statement.step() { names.append(statement.string(at: 0)) }
            return names
        }
    }

    /// The table's definition: from the cache, else from the catalog.
    func tableInfo(_ name: String) async throws -> TableInfo {
        if let info = catalogCache.withLock({ $0[name] }) { return info }
        try TableInfo.validate(name: name)
        let database = configuration.databaseName
        let info = try await read { connection in
            guard let info = try Self.lookUp(connection, name: name, caseInsensitive: false) else {
                throw DocumentStoreError.tableDoesNotExist(database, name)
            }
            return info
        }
        catalogCache.withLock { $0[name] = info }
        return info
    }

    /// Forgets a cached definition that turned out to be stale (another process dropped or
    /// recreated the table).
    func forgetTableInfo(_ name: String) {
        catalogCache.withLock { $0[name] = nil }
    }

    static func lookUp(_ connection: SQLiteConnection, name: String, caseInsensitive: Bool) throws -> TableInfo? {
        let sql = "SELECT name, primary_key, durability, uuid, change_log, change_keep_count, change_keep_seconds, write_hook, change_links FROM \(TableInfo.catalogTable) WHERE name = ?"
            + (caseInsensitive ? "" : " COLLATE BINARY")
        let statement = try connection.cachedStatement(sql)
        defer { statement.reset() }
        statement.bind(name, at: 1)
        guard try statement.step() else { return nil }
        return TableInfo(name: statement.string(at: 0), primaryKey: statement.string(at: 1),
                         durability: Durability(rawValue: statement.string(at: 2)) ?? .hard,
                         uuid: statement.string(at: 3), changeLog: ChangeLog(catalog: statement, from: 4),
                         writeHook: WriteHook(catalog: statement, at: 7), changeLinks: statement.int64(at: 8) == 1)
    }

    /// A catalog change in its own write transaction; cached statements are dropped after it,
    /// since they may name a table that no longer exists.
    static func catalogWrite<T>(_ connection: SQLiteConnection, action: String, _ body: () throws -> T) throws -> T {
        do {
            defer { connection.clearStatementCache() }
            try connection.setSynchronous(.full)
            return try connection.writeTransaction(body)
        } catch let error as SQLiteError {
            throw DocumentStoreError(error, while: action)
        }
    }
}
