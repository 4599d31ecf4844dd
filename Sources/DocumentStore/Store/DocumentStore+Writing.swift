import DocumentModel
extension DocumentStore {
    /// Runs a document write on the writer, in the next group of ``GroupCommitter``: in a
    /// savepoint of its own inside one `BEGIN IMMEDIATE` transaction shared with the writes
    /// that arrived meanwhile (the first call of the transaction in the transaction itself),
    /// committed at the durability's `synchronous` level (or FULL, when
    /// the group holds a hard write). In it the table's definition is checked against the
    /// catalog, its index definitions are loaded (every write maintains every index of its
    /// table), and `body` runs; the index entry changes it made are written last, in each entry
    /// table's order (``IndexWriter``).
    ///
    /// A failure rolls the call back (to its savepoint, or its transaction) and is thrown as
    /// ``DocumentStoreError``, so a failed call never leaves part of its documents written; the
    /// call returns only once the commit holding it returned.
    ///
    /// `rows` is the most rows the call may change, nil when it cannot say: only a call of at
    /// most ``GroupCommitter/maxJoinedRows`` runs in a savepoint after other calls, whose
    /// journal the writer keeps in memory.
    func write<T: Sendable>(
        table: TableInfo, durability: Durability?, rows: Int? = 1,
        _ body: @escaping @Sendable (RowStatements) throws -> T
    ) async throws -> T {
        let database = configuration.databaseName
        let level = (durability ?? table.durability).synchronous
        let joinable = rows.map { $0 <= GroupCommitter.maxJoinedRows } ?? false
        do {
            let (value, recorded) = try await groupCommitter.submit(synchronous: level, joinable: joinable) { (connection: SQLiteConnection) throws -> (T, Int) in
                guard let current = try Self.lookUp(connection, name: table.name, caseInsensitive: false) else {
                    throw DocumentStoreError.tableDoesNotExist(database, table.name)
                }
                guard current == table else { throw StaleTableInfo() }
                let indexes = try self.indexes.definitions(for: table, connection)
                self.resumeBuilds(of: indexes)
                let rows = try RowStatements(connection: connection, table: table, indexes: indexes)
                let value = try body(rows)
                // The index changes the body decided, written before the savepoint is released.
                try rows.indexes.flush()
                return (value, rows.changes?.count ?? 0)
            }
            // Only now are the records visible to readers: wake the feeds.
            if recorded > 0 { changesCommitted(to: table, count: recorded) }
            return value
        } catch let error as SQLiteError {
            throw DocumentStoreError(error, while: "write to table `\(database).\(table.name)`")
        } catch let error as DocumentStoreError where error.code == .opFailed {
            forgetTableInfo(table.name)
            throw error
        }
    }

    /// How many write calls wait for the next group commit. Tests of other modules (the disk
    /// failure suite) wait on it to know that their calls have queued behind a busy writer,
    /// where a fixed sleep fails whenever the machine is slow to schedule the calls' tasks.
    package var queuedWriteCount: Int { groupCommitter.waitingCount }

    /// The `synchronous` level the writer connection has in force now, read from SQLite itself.
    /// Tests use it to check that each write ran at the level its durability asks for.
    func writerSynchronousLevel() async throws -> String {
        try await writer.run { connection in
            try connection.currentSynchronous()?.rawValue ?? "unknown"
        }
    }
}
