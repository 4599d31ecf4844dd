import DocumentModel

extension WriteHook {
    /// The hook in the catalog's `write_hook` column (`migrations/0004_write_hooks.sql`), nil
    /// when the column is NULL.
    init?(catalog statement: SQLiteStatement, at column: Int32) {
        guard statement.columnType(column) != .null else { return nil }
        self.init(stored: statement.withBytes(at: column) { Document(canonical: $0) })
    }

    /// Sets (or, with nil, clears) the table's hook in the catalog, inside the caller's
    /// transaction.
    static func store(_ hook: WriteHook?, table: String, _ connection: SQLiteConnection) throws {
        let update = try connection.prepare("UPDATE \(TableInfo.catalogTable) SET write_hook = ? WHERE name = ? COLLATE BINARY")
        if let hook {
            update.bind(hook.term.jsonString, at: 1)
        } else {
            update.bindNull(1)
        }
        update.bind(table, at: 2)
        try update.run()
    }
}
