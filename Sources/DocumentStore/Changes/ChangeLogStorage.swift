import DocumentModel

/// The SQL of the change log (`docstore$changes`, migrations 0003 and 0005): reading records
/// by sequence, numbering them, the catalog's switch and trim mark, and trimming.
enum ChangeLogStorage {
    static let table = "docstore$changes"
    static let quotedTable = "\"docstore$changes\""
    /// The highest sequence taken that the log may no longer hold (migration 0005).
    static let sequenceTable = "\"docstore$sequence\""

    /// A table's log as a feed checks it on each read.
    struct State: Sendable, Equatable {
        /// The table's name now: a feed follows its table (by id) through a rename.
        let name: String
        let uuid: String
        let isOn: Bool
        /// The highest sequence removed from the table's log: a feed positioned before it
        /// may have missed changes.
        let trimmedThrough: Int64
        /// Whether the table's records may leave their new document in its row
        /// (``ChangeRecorder``), so reading them joins the table.
        let changeLinks: Bool
    }

    /// One change record.
    struct Record: Sendable {
        let sequence: Int64
        let old: Document?
        let new: Document?
    }

    static func state(_ connection: SQLiteConnection, table: String) throws -> State? {
        try state(connection, where: "name = ? COLLATE BINARY", table)
    }

    /// The log of the table with this id, whatever it is called now; nil once it is dropped.
    static func state(_ connection: SQLiteConnection, uuid: String) throws -> State? {
        try state(connection, where: "uuid = ?", uuid)
    }

    private static func state(_ connection: SQLiteConnection, where condition: String, _ value: String) throws -> State? {
        let statement = try connection.cachedStatement(
            "SELECT name, uuid, change_log, changes_trimmed_through, change_links FROM \(TableInfo.catalogTable) WHERE \(condition)")
        defer { statement.reset() }
        statement.bind(value, at: 1)
        guard try statement.step() else { return nil }
        return State(name: statement.string(at: 0), uuid: statement.string(at: 1), isOn: statement.int64(at: 2) == 1,
                     trimmedThrough: statement.int64(at: 3), changeLinks: statement.int64(at: 4) == 1)
    }

    /// The sequence of the newest record of any table (0: none yet): a feed that starts now
    /// reads the records after it.
    static func latest(_ connection: SQLiteConnection) throws -> Int64 {
        let statement = try connection.cachedStatement("SELECT coalesce(max(seq), 0) FROM \(quotedTable)")
        defer { statement.reset() }
        _ = try statement.step()
        return statement.int64(at: 0)
    }

    /// The sequence of the table's newest record, or its trim mark when it has none.
    static func latest(_ connection: SQLiteConnection, table: String) throws -> Int64 {
        let statement = try connection.cachedStatement("""
            SELECT max(coalesce((SELECT max(seq) FROM \(quotedTable) WHERE table_name = ?1), 0),
                       (SELECT changes_trimmed_through FROM \(TableInfo.catalogTable) WHERE name = ?1 COLLATE BINARY))
            """)
        defer { statement.reset() }
        statement.bind(table, at: 1)
        _ = try statement.step()
        return statement.int64(at: 0)
    }

    /// Up to `limit` records of the table `state` names after `sequence`, in sequence order;
    /// only those of `key` when one is given. A record that left its new document in the row
    /// (`new_doc = ''`) reads it from there: the row whose `change_seq` is the record's `seq`,
    /// which the same snapshot holds, since the write that next changes the row first writes
    /// that document into the record.
    static func records(_ connection: SQLiteConnection, state: State, after sequence: Int64, key: PrimaryKey?,
                        limit: Int) throws -> [Record] {
        let row = "\"\(state.name)\""
        let statement = try connection.cachedStatement(
            state.changeLinks
                ? """
                  SELECT c.seq, c.old_doc, CASE c.new_doc WHEN '' THEN t.doc ELSE c.new_doc END, c.new_doc = '' AND t.doc IS NULL
                  FROM \(quotedTable) c LEFT JOIN \(row) t ON c.new_doc = '' AND t.id = c.key AND t.\(ChangeRecorder.linkColumn) = c.seq
                  WHERE c.table_name = ? AND c.seq > ?
                  """ + (key == nil ? "" : " AND c.key = ?") + " ORDER BY c.seq LIMIT ?"
                : "SELECT seq, old_doc, new_doc, 0 FROM \(quotedTable) WHERE table_name = ? AND seq > ?"
                  + (key == nil ? "" : " AND key = ?") + " ORDER BY seq LIMIT ?")
        defer { statement.reset() }
        statement.bind(state.name, at: 1)
        statement.bind(sequence, at: 2)
        if let key { statement.bind(key: key, at: 3) }
        statement.bind(Int64(limit), at: key == nil ? 3 : 4)
        var records: [Record] = []
        while try statement.step() {
            if statement.int64(at: 3) == 1 {
                // Only a write that bypassed DocStore (the sqlite3 shell) can unlink a row from its record.
                throw DocumentStoreError(.storage, "The change record \(statement.int64(at: 0)) of table `\(state.name)` has lost its new document: "
                    + "the row it names was changed outside DocStore. Switch the table's change log off and on to start it again.")
            }
            records.append(Record(sequence: statement.int64(at: 0), old: document(statement, 1), new: document(statement, 2)))
        }
        return records
    }

    /// A table's records with every new document in place, as the README and the migration
    /// give it for the sqlite3 shell (`seq, key, old_doc, new_doc`): a record that left its
    /// document in the row reads it from there.
    static func shellQuery(table: String) -> String {
        """
        SELECT c.seq, c.key, c.old_doc, CASE c.new_doc WHEN '' THEN t.doc ELSE c.new_doc END AS new_doc \
        FROM \(quotedTable) c LEFT JOIN "\(table)" t ON c.new_doc = '' AND t.id = c.key \
        WHERE c.table_name = '\(table)' ORDER BY c.seq
        """
    }

    private static func document(_ statement: SQLiteStatement, _ column: Int32) -> Document? {
        statement.columnType(column) == .null ? nil : statement.withBytes(at: column) { Document(canonical: $0) }
    }

    /// Removes a table's records (its log was switched off, or the table dropped) and marks
    /// everything up to now as gone from its log.
    static func forget(_ connection: SQLiteConnection, table: String) throws {
        try holdSequence(connection)
        let delete = try connection.prepare("DELETE FROM \(quotedTable) WHERE table_name = ?")
        delete.bind(table, at: 1)
        try delete.run()
    }

    /// The sequence the next record takes: after every one ever taken. Read under the write
    /// lock, so no other writer takes it meanwhile.
    static func nextSequence(_ connection: SQLiteConnection) throws -> Int64 {
        let statement = try connection.cachedStatement(
            "SELECT max((SELECT seq FROM \(sequenceTable)), coalesce((SELECT max(seq) FROM \(quotedTable)), 0)) + 1")
        defer { statement.reset() }
        _ = try statement.step()
        return statement.int64(at: 0)
    }

    /// Before records are deleted: remembers the newest sequence, which may be among them, so
    /// that ``nextSequence(_:)`` never gives it again.
    private static func holdSequence(_ connection: SQLiteConnection) throws {
        let statement = try connection.cachedStatement(
            "UPDATE \(sequenceTable) SET seq = max(seq, coalesce((SELECT max(seq) FROM \(quotedTable)), 0))")
        defer { statement.reset() }
        try statement.step()
    }

    /// Gives a renamed table's records its new name, so feeds and resumes read them on.
    static func move(_ connection: SQLiteConnection, table: String, to newName: String) throws {
        let update = try connection.prepare("UPDATE \(quotedTable) SET table_name = ? WHERE table_name = ?")
        update.bind(newName, at: 1)
        update.bind(table, at: 2)
        try update.run()
    }

    /// Switches a table's log in the catalog. Switching it on starts the log at a sequence
    /// no change has yet: changes before it were never recorded, so resuming from it or an
    /// older one is refused rather than silently missing them.
    static func setLog(_ connection: SQLiteConnection, table: TableInfo, to log: ChangeLog) throws {
        let update = try connection.prepare("""
            UPDATE \(TableInfo.catalogTable) SET change_log = ?, change_keep_count = ?, change_keep_seconds = ?,
                changes_trimmed_through = max(changes_trimmed_through, ?) WHERE name = ? COLLATE BINARY
            """)
        log.bind(to: update, from: 1)
        update.bind(log.isOn && !table.changeLog.isOn ? try advanceSequence(connection) : 0, at: 4)
        update.bind(table.name, at: 5)
        try update.run()
        if !log.isOn { try forget(connection, table: table.name) }
        if log.isOn && !table.changeLinks { try addLinks(connection, table: table.name) }
    }

    /// Gives a table the link column (``ChangeRecorder``). Adding a column rewrites no row in
    /// SQLite: the rows written before read it as NULL, which links them to no record.
    private static func addLinks(_ connection: SQLiteConnection, table: String) throws {
        try connection.execute("ALTER TABLE \"\(table)\" ADD COLUMN \(ChangeRecorder.linkColumn) INTEGER")
        let mark = try connection.prepare("UPDATE \(TableInfo.catalogTable) SET change_links = 1 WHERE name = ? COLLATE BINARY")
        mark.bind(table, at: 1)
        try mark.run()
    }

    /// Migration 0005's step that SQL cannot take: every table logged before it gets the link
    /// column, so its next writes leave their documents in its rows too.
    @Sendable static func linkLoggedTables(_ connection: SQLiteConnection) throws {
        let select = try connection.prepare("SELECT name FROM \(TableInfo.catalogTable) WHERE change_log = 1 AND change_links = 0")
        var names: [String] = []
        while try select.step() { names.append(select.string(at: 0)) }
        for name in names { try addLinks(connection, table: name) }
    }

    /// Takes the next sequence without a record, so that the switch of a log has a sequence
    /// of its own: one `since` may name, and everything before it may not.
    private static func advanceSequence(_ connection: SQLiteConnection) throws -> Int64 {
        let sequence = try nextSequence(connection)
        let update = try connection.prepare("UPDATE \(sequenceTable) SET seq = ?")
        update.bind(sequence, at: 1)
        try update.run()
        return sequence
    }

    // MARK: - Retention

    /// The newest sequence of `table` its retention no longer keeps, nil when it keeps all.
    /// Read outside the write transaction: the answer only grows while writes go on, so the
    /// delete that follows under the write lock removes nothing the retention still keeps.
    static func trimCutoff(_ connection: SQLiteConnection, table: String, retention: ChangeRetention, now: Double) throws -> Int64? {
        var cutoff: Int64?
        if let count = retention.maxCount {
            let statement = try connection.cachedStatement(
                "SELECT seq FROM \(quotedTable) WHERE table_name = ? ORDER BY seq DESC LIMIT 1 OFFSET ?")
            defer { statement.reset() }
            statement.bind(table, at: 1)
            statement.bind(Int64(count), at: 2)
            if try statement.step() { cutoff = statement.int64(at: 0) }
        }
        if let age = retention.maxAge {
            // Oldest first, stopping at the first record young enough: a page at most.
            let statement = try connection.cachedStatement(
                "SELECT seq, at FROM \(quotedTable) WHERE table_name = ? ORDER BY seq LIMIT ?")
            defer { statement.reset() }
            statement.bind(table, at: 1)
            statement.bind(Int64(trimChunk), at: 2)
            while try statement.step(), statement.double(at: 1) < now - age {
                cutoff = max(cutoff ?? 0, statement.int64(at: 0))
            }
        }
        return cutoff
    }

    /// The most records one trim transaction deletes: a few milliseconds of the write lock.
    static let trimChunk = 1000

    /// Deletes up to ``trimChunk`` records of `table` up to `cutoff`, in a write transaction
    /// of its own; returns whether more remain below the cutoff.
    static func trim(_ connection: SQLiteConnection, table: String, through cutoff: Int64) throws -> Bool {
        try connection.writeTransaction {
            guard let state = try state(connection, table: table), state.isOn else { return false }
            let boundary = try connection.cachedStatement(
                "SELECT seq FROM \(quotedTable) WHERE table_name = ? AND seq <= ? ORDER BY seq LIMIT 1 OFFSET ?")
            boundary.bind(table, at: 1)
            boundary.bind(cutoff, at: 2)
            boundary.bind(Int64(trimChunk - 1), at: 3)
            let end = try boundary.step() ? boundary.int64(at: 0) : cutoff
            boundary.reset()
            // An age retention may remove the newest records too.
            try holdSequence(connection)
            let delete = try connection.cachedStatement("DELETE FROM \(quotedTable) WHERE table_name = ? AND seq <= ?")
            defer { delete.reset() }
            delete.bind(table, at: 1)
            delete.bind(end, at: 2)
            try delete.step()
            let mark = try connection.cachedStatement(
                "UPDATE \(TableInfo.catalogTable) SET changes_trimmed_through = max(changes_trimmed_through, ?) WHERE name = ? COLLATE BINARY")
            defer { mark.reset() }
            mark.bind(end, at: 1)
            mark.bind(table, at: 2)
            try mark.step()
            return end < cutoff
        }
    }
}
