import DocumentModel

extension Table {
    /// Changes the durability of writes that do not choose one, RethinkDB's
    /// `r.table(name).config().update({durability: "soft"})`.
    ///
    /// The catalog keeps it, so every connection to the file (and the next open) sees it;
    /// a write already running keeps the durability it started with.
    ///
    /// ```swift
    /// try await logs.setDurability(.soft)
    /// try await logs.config().durability   // .soft
    /// ```
    ///
    /// - Throws: `DocumentStoreError` "Table \`test.logs\` does not exist." (`.opFailed`).
    public func setDurability(_ durability: Durability) async throws {
        let database = store.configuration.databaseName
        let name = self.name
        let info = try await store.writer.run { connection in
            try DocumentStore.catalogWrite(connection, action: "set the durability of table `\(name)`") { () throws -> TableInfo in
                guard try DocumentStore.lookUp(connection, name: name, caseInsensitive: false) != nil else {
                    throw DocumentStoreError.tableDoesNotExist(database, name)
                }
                let update = try connection.prepare("UPDATE \(TableInfo.catalogTable) SET durability = ? WHERE name = ?")
                update.bind(durability.rawValue, at: 1)
                update.bind(name, at: 2)
                try update.run()
                guard let info = try DocumentStore.lookUp(connection, name: name, caseInsensitive: false) else {
                    throw DocumentStoreError.tableDoesNotExist(database, name)
                }
                return info
            }
        }
        store.catalogCache.withLock { $0[name] = info }
    }
}
