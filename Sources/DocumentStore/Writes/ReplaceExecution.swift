import DocumentModel
/// RethinkDB's `replace` on stored rows, which `update` and `delete` are rewritten to: for each
/// row, a function of the old document gives the new one (or nil), and the pair decides the
/// outcome (`make_row_replacement_stats`): skipped, inserted, deleted, unchanged or replaced.
struct ReplaceExecution {
    let primaryKey: String
    let rows: RowStatements
    let returnChanges: ReturnChanges
    private(set) var result = WriteResult()
    private var changes: [WriteResult.Change] = []

    init(primaryKey: String, rows: RowStatements, returnChanges: ReturnChanges) {
        self.primaryKey = primaryKey
        self.rows = rows
        self.returnChanges = returnChanges
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
            fail(InsertExecution.message(of: error), old: oldValue)
            return
        }
        // RethinkDB has one null: a JSON null from the function deletes (or skips) like nil,
        // it is not a non-object value to reject.
        if newValue?.isNull == true { newValue = nil }
        switch (oldValue, newValue) {
        case (nil, nil):
            result.skipped += 1
            record(old: nil, new: nil, changed: false)
        case (let old?, nil):
            try delete(locator)
            result.deleted += 1
            record(old: old, new: nil, changed: true)
        case (nil, let new?):
            guard let text = checked(new, old: nil, key: key) else { return }
            guard case .key(let rowKey) = locator, try rows.insertIfAbsent(rowKey, text[...]) else { return }
            result.inserted += 1
            record(old: nil, new: new, changed: true)
        case (let old?, let new?):
            guard let text = checked(new, old: old, key: key) else { return }
            if old == new {
                result.unchanged += 1
                record(old: old, new: old, changed: false)
            } else {
                try update(locator, text)
                result.replaced += 1
                record(old: old, new: new, changed: true)
            }
        }
    }

    /// RethinkDB's checks on a replacement; the stored text, or nil after counting the error.
    private mutating func checked(_ new: Document, old: Document?, key: Document) -> [UInt8]? {
        guard case .object(let object) = new else {
            fail("Inserted value must be an OBJECT (got \(new.typeName)):\n\(new.truncatedPrettyPrinted)", old: old)
            return nil
        }
        guard let newKey = object[primaryKey] else {
            fail("Inserted object must have primary key `\(primaryKey)`:\n\(new.truncatedPrettyPrinted)", old: old)
            return nil
        }
        if newKey != key {
            if let old {
                fail("Primary key `\(primaryKey)` cannot be changed (`\(old.truncatedPrettyPrinted)` -> `\(new.truncatedPrettyPrinted)`).", old: old)
            } else {
                fail("Primary key `\(primaryKey)` cannot be changed (null -> \(new.truncatedPrettyPrinted))", old: nil)
            }
            return nil
        }
        var check = DocumentCheck()
        if let error = check.validate(new) {
            fail(error, old: old)
            return nil
        }
        if check.maxArrayCount > PreparedBatch.maxStoredArray {
            fail(InsertExecution.arrayTooLarge, old: old)
            return nil
        }
        return new.jsonBytes
    }

    private func delete(_ locator: Locator) throws {
        switch locator {
        case .key(let key): try rows.delete(key)
        case .rowID(let rowID): try rows.delete(rowID: rowID)
        }
    }

    private func update(_ locator: Locator, _ text: [UInt8]) throws {
        switch locator {
        case .key(let key): try rows.update(key, text[...])
        case .rowID(let rowID): try rows.update(rowID: rowID, text[...])
        }
    }

    private mutating func record(old: Document?, new: Document?, changed: Bool) {
        if returnChanges == .always || (returnChanges == .on && changed) {
            changes.append(WriteResult.Change(oldValue: old, newValue: new))
        }
    }

    private mutating func fail(_ message: String, old: Document?) {
        result.errors += 1
        if result.firstError == nil { result.firstError = message }
        if returnChanges == .always {
            changes.append(WriteResult.Change(oldValue: old, newValue: old, error: message))
        }
    }

    /// The result, with `changes` when they were asked for (capped at the array limit).
    func finish() -> WriteResult {
        var final = result
        if returnChanges != .off {
            final.changes = Array(changes.prefix(PreparedBatch.arrayLimit))
            if changes.count > PreparedBatch.arrayLimit {
                final.warnings = ["Too many changes, array truncated to \(PreparedBatch.arrayLimit)."]
            }
        }
        return final
    }
}
