import DocumentModel
import Foundation

extension DocumentStore {
    /// After a commit that recorded `count` changes of `table`: wakes the feeds, and starts a
    /// trim when the table's retention is due for one.
    func changesCommitted(to table: TableInfo, count: Int) {
        changeMonitor.committed()
        guard let retention = table.changeLog.retention,
              changeTrimmer.note(table.name, written: count, retention: retention) else { return }
        Task { await self.trimChanges(of: table.name, retention: retention) }
    }

    /// Deletes what the retention no longer keeps, a chunk per transaction, each queued on the
    /// writer behind the writes already waiting: no write waits for more than one chunk.
    func trimChanges(of table: String, retention: ChangeRetention) async {
        repeat {
            do {
                var more = true
                while more {
                    more = try await writer.run { connection in
                        guard let cutoff = try ChangeLogStorage.trimCutoff(connection, table: table, retention: retention,
                                                                            now: Date().timeIntervalSince1970) else { return false }
                        // A trim lost in a crash is redone by the next one: it need not sync.
                        try connection.setSynchronous(.normal)
                        return try ChangeLogStorage.trim(connection, table: table, through: cutoff)
                    }
                }
            } catch {
                // A failed trim (a busy file, a full disk) leaves the log longer than its
                // retention until the next one; the writes themselves went through.
            }
        } while changeTrimmer.finished(table, retention: retention)
    }
}

extension Table {
    /// Switches the table's change log on or off, or changes how much it keeps.
    ///
    /// Switching it on makes every later write record its changes, for feeds in this process
    /// and in any other that opens the file; changes made while it was off were never
    /// recorded, so a feed cannot resume from a sequence before the switch. Switching it off
    /// deletes the table's records and ends its open feeds with an error.
    ///
    /// ```swift
    /// try await orders.setChangeLog(.on(.count(50_000)))
    /// for try await change in orders.changes() { print(change.document.jsonString) }
    /// ```
    ///
    /// - Throws: `DocumentStoreError` "Table \`test.orders\` does not exist." (`.opFailed`),
    ///   or `.queryLogic` for a retention that keeps nothing.
    public func setChangeLog(_ log: ChangeLog) async throws {
        try log.validate()
        let database = store.configuration.databaseName
        let name = self.name
        let info = try await store.writer.run { connection in
            try DocumentStore.catalogWrite(connection, action: "set the change log of table `\(name)`") { () throws -> TableInfo in
                guard let info = try DocumentStore.lookUp(connection, name: name, caseInsensitive: false) else {
                    throw DocumentStoreError.tableDoesNotExist(database, name)
                }
                try ChangeLogStorage.setLog(connection, table: info, to: log)
                return try DocumentStore.lookUp(connection, name: name, caseInsensitive: false) ?? info
            }
        }
        store.catalogCache.withLock { $0[name] = info }
        // Feeds of a table whose log went off find out and end.
        store.changeMonitor.committed()
    }

    /// The table's change log setting, as the catalog has it.
    ///
    /// ```swift
    /// if try await orders.changeLog() == .off { try await orders.setChangeLog(.on()) }
    /// ```
    public func changeLog() async throws -> ChangeLog {
        store.forgetTableInfo(name)
        return try await store.tableInfo(name).changeLog
    }

    /// The sequence of the table's last committed change (0 when it has none yet): the
    /// position to resume from later (``ChangeFeedOptions/since``) to get every change
    /// after this moment exactly once.
    ///
    /// ```swift
    /// let mark = try await orders.latestSequence()
    /// // ... later, in this process or another one:
    /// var options = ChangeFeedOptions()
    /// options.since = mark
    /// for try await change in orders.changes(options) { ... }
    /// ```
    ///
    /// - Throws: `DocumentStoreError` "Table \`test.orders\` does not exist." (`.opFailed`).
    public func latestSequence() async throws -> Int64 {
        let info = try await store.tableInfo(name)
        return try await store.read { connection in
            do {
                return try ChangeLogStorage.latest(connection, table: info.name)
            } catch let error as SQLiteError {
                throw DocumentStoreError(error, while: "read the change log of table `\(info.name)`")
            }
        }
    }
}

extension DocumentStore {
    var isInMemory: Bool { path == ":memory:" || path.isEmpty }

    /// A reader connection of a feed's own, for a read transaction that stays open across
    /// several calls (its initial values, a page at a time); nil for an in-memory store,
    /// whose one connection reads everything at once.
    func makeSnapshotConnection() throws -> SerialConnection? {
        guard !isInMemory else { return nil }
        do {
            let connection = try SQLiteConnection(path: path, mode: .readWrite)
            connection.setBusyTimeout(milliseconds: configuration.busyTimeoutMilliseconds)
            try connection.execute("PRAGMA query_only = ON")
            return SerialConnection(connection: connection, label: "docstore.feed")
        } catch let error as SQLiteError {
            throw DocumentStoreError(error, while: "open a reader connection on `\(path)`")
        }
    }

    /// Runs a read on `snapshot` when there is one, else as ``read(_:)`` does.
    func readSnapshot<T: Sendable>(on snapshot: SerialConnection?,
                                   _ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        if let snapshot { return try await snapshot.run(body) }
        return try await read(body)
    }
}
