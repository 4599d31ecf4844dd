import DocumentModel

/// RethinkDB's `replace` on stored rows, which `update` and `delete` are rewritten to: for each
/// row, a function of the old document gives the new one (or nil), and the pair decides the
/// outcome (`make_row_replacement_stats`): skipped, inserted, deleted, unchanged or replaced.
struct ReplaceExecution {
    let primaryKey: String
    let rows: RowStatements
    private var tally: WriteTally

    init(primaryKey: String, rows: RowStatements, returnChanges: ReturnChanges, arrayLimit: Int) {
        self.primaryKey = primaryKey
        self.rows = rows
        self.tally = WriteTally(returnChanges: returnChanges, arrayLimit: arrayLimit)
    }

    /// Where a row is: by key (point writes) or by rowid (table scans).
    enum Locator {
        case key(PrimaryKey)
        case rowID(Int64)
    }

    /// Applies `transform` to one row. `oldValue` is the stored document, nil when the key is
    /// absent; `key` is the key value the row is addressed by.
    mutating func apply(_ locator: Locator, old oldValue: Document?, key: Document,
                        _ transform: (Document?) throws -> Document?) throws {
        var newValue: Document?
        do {
            newValue = try transform(oldValue)
        } catch {
            tally.fail(ReplacementCheck.message(of: error), .storage, old: oldValue)
            return
        }
        // RethinkDB has one null: a JSON null from the function deletes (or skips) like nil,
        // it is not a non-object value to reject.
        if newValue?.isNull == true { newValue = nil }
        switch (oldValue, newValue) {
        case (nil, nil):
            tally.record(.skipped, old: nil, new: nil)
        case (let old?, nil):
            try delete(locator, old: old)
            tally.record(.deleted, old: old, new: nil)
        case (nil, let new?):
            guard let stored = checked(new, old: nil, key: key) else { return }
            guard case .key(let rowKey) = locator, try rows.insertIfAbsent(rowKey, stored.text[...], document: new) else { return }
            tally.record(.inserted, old: nil, new: new)
        case (let old?, let new?):
            guard let stored = checked(new, old: old, key: key) else { return }
            if old == new {
                tally.record(.unchanged, old: old, new: old)
            } else {
                try update(locator, stored.text, old: old, new: new)
                tally.record(.replaced, old: old, new: new)
            }
        }
    }

    /// The stored form of `new`, or nil after counting why it cannot replace the row.
    private mutating func checked(_ new: Document, old: Document?, key: Document) -> ReplacementCheck.Stored? {
        switch ReplacementCheck.check(new, key: key, primaryKey: primaryKey, old: old) {
        case .success(let stored): return stored
        case .failure(let message):
            tally.fail(message.text, .storage, old: old)
            return nil
        }
    }

    private func delete(_ locator: Locator, old: Document) throws {
        switch locator {
        case .key(let key): try rows.delete(key, old: old)
        case .rowID(let rowID): try rows.delete(rowID: rowID, old: old)
        }
    }

    private func update(_ locator: Locator, _ text: [UInt8], old: Document, new: Document) throws {
        switch locator {
        case .key(let key): try rows.update(key, text[...], old: old, new: new)
        case .rowID(let rowID): try rows.update(rowID: rowID, text[...], old: old, new: new)
        }
    }

    /// The result, with `changes` when they were asked for (capped at the array limit).
    func finish() -> WriteResult {
        tally.finish()
    }
}
