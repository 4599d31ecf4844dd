import DocumentModel

extension Table {
    /// Creates a secondary index, RethinkDB's `index_create`.
    ///
    /// On an empty table the index is ready at once; on a populated one it is built in the
    /// background, a chunk of documents per transaction, while reads through it fail with
    /// RethinkDB's "accessed before its construction was finished" until ``indexWait(_:)``
    /// says it is ready. From then on every write keeps it exact, in its own transaction.
    ///
    /// ```swift
    /// try await users.indexCreate("email")                                       // r.row("email")
    /// try await users.indexCreate("cityAge", .compound(["address", "city"], ["age"]))
    /// try await users.indexCreate("tags", .field("tags"), multi: true)          // one entry per tag
    /// try await users.indexWait()
    /// ```
    ///
    /// - Parameters:
    ///   - name: the index's name (any string but the primary key's field name).
    ///   - function: what to index; nil indexes the field called `name`.
    ///   - multi: give each element of an array value an entry of its own.
    ///   - geo: a geospatial index: the function gives GEOMETRY values (`r.point`, ...), stored
    ///     as the S2 cells that cover them, for ``getIntersecting(_:index:)`` and
    ///     ``getNearest(_:index:maxResults:maxDistance:unit:geoSystem:)``.
    /// - Returns: RethinkDB's `{"created": 1}`.
    /// - Throws: `DocumentStoreError`: "Index \`email\` already exists on table \`test.users\`."
    ///   (`.opFailed`), "Index name conflict: \`id\` is the name of the primary key."
    ///   (`.queryLogic`), or a missing table.
    @discardableResult
    public func indexCreate(_ name: String, _ function: IndexFunction? = nil, multi: Bool = false, geo: Bool = false) async throws -> IndexChange {
        try await createIndex(name, function: function ?? .field(name), multi: multi, geo: geo)
    }

    /// Creates an index from the definition `indexStatus` gave as ``IndexStatus/function``
    /// (RethinkDB's `index_create(name, binary)`, which `rethinkdb restore` uses).
    ///
    /// ```swift
    /// let definition = try await users.indexStatus(["email"])[0].function
    /// try await archive.indexCreate("email", binary: definition)
    /// ```
    ///
    /// - Parameters:
    ///   - name: the new index's name.
    ///   - binary: the bytes of ``IndexStatus/function``.
    ///   - multi: nil keeps the definition's own flag.
    ///   - geo: nil keeps the definition's own flag.
    /// - Throws: RethinkDB's "Cannot create an sindex except from a reql_index_function
    ///   returned from \`index_status\` in the field \`function\`." for other bytes, and what
    ///   ``indexCreate(_:_:multi:geo:)`` throws.
    @discardableResult
    public func indexCreate(_ name: String, binary: [UInt8], multi: Bool? = nil, geo: Bool? = nil) async throws -> IndexChange {
        let info = try await store.tableInfo(self.name)
        try Self.checkNotPrimaryKey(name, info)
        let definition = try IndexDefinitionBlob.decode(binary)
        return try await createIndex(name, function: definition.function, multi: multi ?? definition.multi, geo: geo ?? definition.geo)
    }

    private func createIndex(_ name: String, function: IndexFunction, multi: Bool, geo: Bool) async throws -> IndexChange {
        let database = store.configuration.databaseName
        let tableName = self.name
        let registry = store.indexes
        try Self.checkNotPrimaryKey(name, try await store.tableInfo(tableName))
        // Compiled before anything is written, so a function the evaluator refuses fails here.
        _ = try registry.function(function.term)
        let created = try await withInfo { info in
            try await store.writer.run { connection in
                try DocumentStore.catalogWrite(connection, action: "create index `\(name)` on table `\(tableName)`") {
                    try Self.checkCurrent(info, connection, database: database)
                    if try IndexCatalog.definition(connection, table: tableName, name: name, compile: registry) != nil {
                        throw DocumentStoreError(.opFailed, "Index `\(name)` already exists on table `\(database).\(tableName)`.")
                    }
                    return try IndexCatalog.create(connection, table: info, name: name, function: function, multi: multi, geo: geo)
                }
            }
        }
        registry.forget(table: tableName)
        if !created.ready { store.startBuild(created.id) }
        return IndexChange(created: 1)
    }

    /// Drops an index and its entries, RethinkDB's `index_drop`.
    ///
    /// ```swift
    /// try await users.indexDrop("email")   // {"dropped": 1}
    /// ```
    ///
    /// - Throws: `DocumentStoreError` "Index \`email\` does not exist on table \`test.users\`."
    ///   (`.opFailed`).
    @discardableResult
    public func indexDrop(_ name: String) async throws -> IndexChange {
        let database = store.configuration.databaseName
        let tableName = self.name
        let registry = store.indexes
        try await withInfo { info in
            try await store.writer.run { connection in
                try DocumentStore.catalogWrite(connection, action: "drop index `\(name)` on table `\(tableName)`") {
                    try Self.checkCurrent(info, connection, database: database)
                    guard let definition = try IndexCatalog.definition(connection, table: tableName, name: name, compile: registry) else {
                        throw DocumentStoreError(.opFailed, "Index `\(name)` does not exist on table `\(database).\(tableName)`.")
                    }
                    try IndexCatalog.drop(connection, definition)
                }
            }
        }
        registry.forget(table: tableName)
        return IndexChange(dropped: 1)
    }

    /// The names of the table's secondary indexes, sorted, RethinkDB's `index_list`.
    ///
    /// ```swift
    /// try await users.indexList()   // ["cityAge", "email", "tags"]
    /// ```
    public func indexList() async throws -> [String] {
        try await indexDefinitions().map(\.name)
    }

    /// Renames an index, RethinkDB's `index_rename`; with `overwrite`, an index already called
    /// `newName` is dropped first. Its entry table is renamed with it.
    ///
    /// ```swift
    /// try await users.indexRename("email", to: "mail")   // {"renamed": 1}
    /// ```
    ///
    /// - Returns: `{"renamed": 1}`, or `{"renamed": 0}` when both names are the same.
    /// - Throws: `DocumentStoreError`: "Index \`a\` does not exist or index \`b\` already exists
    ///   on table \`test.users\`." (`.opFailed`; with `overwrite`, "Index \`a\` does not exist
    ///   on table \`test.users\`."), or "Index name conflict: \`id\` is the name of the
    ///   primary key." (`.queryLogic`) when either name is the primary key's.
    @discardableResult
    public func indexRename(_ name: String, to newName: String, overwrite: Bool = false) async throws -> IndexChange {
        let database = store.configuration.databaseName
        let tableName = self.name
        let registry = store.indexes
        let info = try await store.tableInfo(tableName)
        try Self.checkNotPrimaryKey(name, info)
        try Self.checkNotPrimaryKey(newName, info)
        let renamed = try await withInfo { info in
            try await store.writer.run { connection in
                try DocumentStore.catalogWrite(connection, action: "rename index `\(name)` on table `\(tableName)`") { () throws -> (Int, Int64?) in
                    try Self.checkCurrent(info, connection, database: database)
                    let refusal = overwrite
                        ? "Index `\(name)` does not exist on table `\(database).\(tableName)`."
                        : "Index `\(name)` does not exist or index `\(newName)` already exists on table `\(database).\(tableName)`."
                    guard let definition = try IndexCatalog.definition(connection, table: tableName, name: name, compile: registry) else {
                        throw DocumentStoreError(.opFailed, refusal)
                    }
                    guard name != newName else { return (0, nil) }
                    if let existing = try IndexCatalog.definition(connection, table: tableName, name: newName, compile: registry) {
                        guard overwrite else { throw DocumentStoreError(.opFailed, refusal) }
                        try IndexCatalog.drop(connection, existing)
                    }
                    try IndexCatalog.rename(connection, definition, to: newName)
                    return (1, definition.ready ? nil : definition.id)
                }
            }
        }
        registry.forget(table: tableName)
        // A build in progress follows the catalog row, whatever it is called now.
        if let building = renamed.1 { store.startBuild(building) }
        return IndexChange(renamed: renamed.0)
    }

    /// The state of the named indexes (all of them when `names` is empty), in name order,
    /// RethinkDB's `index_status`.
    ///
    /// ```swift
    /// for status in try await users.indexStatus() where !status.ready {
    ///     print("\(status.index): \(Int((status.progress ?? 0) * 100))%")
    /// }
    /// ```
    ///
    /// - Throws: `DocumentStoreError` "Index \`x\` was not found on table \`test.users\`."
    ///   (`.opFailed`) for a name that is not an index.
    public func indexStatus(_ names: [String] = []) async throws -> [IndexStatus] {
        try await statuses(names).map(\.status)
    }

    /// Waits until the named indexes (all when `names` is empty) are ready and returns their
    /// state, RethinkDB's `index_wait`. It builds them itself meanwhile, so an index whose build
    /// a killed process left unfinished is finished by the waiter.
    ///
    /// ```swift
    /// try await users.indexCreate("email")
    /// try await users.indexWait(["email"])   // [IndexStatus(index: "email", ready: true, ...)]
    /// ```
    ///
    /// - Throws: what ``indexStatus(_:)`` throws, or a build's storage error.
    public func indexWait(_ names: [String] = []) async throws -> [IndexStatus] {
        while true {
            let statuses = try await statuses(names)
            let building = statuses.filter { !$0.status.ready }
            if building.isEmpty { return statuses.map(\.status) }
            for index in building {
                while !(try await store.buildChunk(index.id)) {
                    try Task.checkCancellation()
                }
            }
        }
    }

    /// The named indexes' states, with their catalog ids, in one read.
    private func statuses(_ names: [String]) async throws -> [(status: IndexStatus, id: Int64)] {
        let database = store.configuration.databaseName
        let tableName = self.name
        let info = try await store.tableInfo(tableName)
        let registry = store.indexes
        return try await store.read { connection in
            do {
                return try connection.readTransaction {
                    let definitions = try IndexCatalog.definitions(connection, table: tableName, compile: registry)
                    let chosen = try Self.choose(names, from: definitions, database: database, table: tableName)
                    var highest: Int64?
                    if chosen.contains(where: { !$0.ready }) {
                        highest = try connection.scalarInt("SELECT max(rowid) FROM \(info.quotedName)")
                    }
                    return chosen.map { (Self.status(of: $0, highestRowID: highest), $0.id) }
                }
            } catch let error as SQLiteError {
                throw DocumentStoreError(error, while: "read the indexes of table `\(database).\(tableName)`")
            }
        }
    }

    /// The table's index definitions as the catalog has them now.
    func indexDefinitions() async throws -> [IndexDefinition] {
        let database = store.configuration.databaseName
        let tableName = self.name
        _ = try await store.tableInfo(tableName)
        let registry = store.indexes
        return try await store.read { connection in
            do {
                return try IndexCatalog.definitions(connection, table: tableName, compile: registry)
            } catch let error as SQLiteError {
                throw DocumentStoreError(error, while: "read the indexes of table `\(database).\(tableName)`")
            }
        }
    }

    private static func status(of definition: IndexDefinition, highestRowID: Int64?) -> IndexStatus {
        var progress: Double?
        if !definition.ready {
            let highest = max(1, highestRowID ?? 1)
            progress = min(Double(definition.builtThrough) / Double(highest), 0.99)
        }
        return IndexStatus(
            index: definition.name, ready: definition.ready, progress: progress, multi: definition.multi, geo: definition.geo,
            outdated: false, function: IndexDefinitionBlob.encode(definition.function, multi: definition.multi, geo: definition.geo),
            query: IndexQueryText.text(name: definition.name, function: definition.function, multi: definition.multi, geo: definition.geo))
    }

    /// The definitions named (all when none is), or RethinkDB's error for the first name, in
    /// sorted order, that is not an index.
    private static func choose(_ names: [String], from definitions: [IndexDefinition], database: String, table: String) throws -> [IndexDefinition] {
        guard !names.isEmpty else { return definitions }
        let known = Set(definitions.map(\.name))
        if let missing = Set(names).subtracting(known).sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).first {
            throw DocumentStoreError(.opFailed, "Index `\(missing)` was not found on table `\(database).\(table)`.")
        }
        let wanted = Set(names)
        return definitions.filter { wanted.contains($0.name) }
    }

    private static func checkNotPrimaryKey(_ name: String, _ info: TableInfo) throws {
        if name == info.primaryKey {
            throw DocumentStoreError(.queryLogic, "Index name conflict: `\(name)` is the name of the primary key.")
        }
    }

    /// Inside a catalog write: the table is still the one the call looked up.
    private static func checkCurrent(_ info: TableInfo, _ connection: SQLiteConnection, database: String) throws {
        guard let current = try DocumentStore.lookUp(connection, name: info.name, caseInsensitive: false) else {
            throw DocumentStoreError.tableDoesNotExist(database, info.name)
        }
        guard current == info else { throw StaleTableInfo() }
    }
}
