import DocumentModel

/// Keeps a table's index entries equal to its documents, inside the write that changes them.
///
/// Every row write goes through ``RowStatements``, which calls ``change(_:old:new:)`` with the
/// document before and after: the one place where "old entries vs new entries" is decided.
/// The entries of the old document are computed again from it (index functions are
/// deterministic, so they are the ones stored), and only the difference is kept.
///
/// The differences are written by ``flush()``, in each entry table's order
/// (``IndexEntryChanges``): the write that owns the transaction flushes before it commits
/// (``DocumentStore/write(table:durability:_:)``), so a rolled-back write drops its changes
/// with the rest of it. Nothing inside a write transaction reads an entry table; a future
/// path that does must flush first. Changes are also flushed whenever ``flushThreshold`` of
/// them wait, which bounds the memory of a large import.
struct IndexWriter {
    /// One index with its two statements, prepared once per connection.
    private struct Target {
        let definition: IndexDefinition
        let insert: SQLiteStatement
        let delete: SQLiteStatement
    }

    /// The changes waiting, one list per target; a class, so that the writer can be passed
    /// around by value as ``RowStatements`` is.
    private final class Pending {
        var lists: [IndexEntryChanges]
        var count = 0

        init(targets: Int) {
            lists = Array(repeating: IndexEntryChanges(), count: targets)
        }
    }

    /// Waiting changes (of all indexes) at which they are written before the transaction
    /// ends: about 15,000 documents of three indexes, a few MiB, and enough for sorting to
    /// pay off (chunks of 2,000 documents gain a third less).
    static let flushThreshold = 65_536

    private let targets: [Target]
    private let pending: Pending

    init(connection: SQLiteConnection, definitions: [IndexDefinition]) throws {
        targets = try definitions.map { definition in
            // `ON CONFLICT DO NOTHING`: during a build both the build and the writes add the
            // entries of the documents they touch, and an entry is the same whoever adds it.
            Target(definition: definition,
                   insert: try connection.cachedStatement(definition.insertSQL),
                   delete: try connection.cachedStatement(definition.deleteSQL))
        }
        pending = Pending(targets: definitions.count)
    }

    var isEmpty: Bool { targets.isEmpty }

    /// Brings every index from `old`'s entries to `new`'s for the document with this key
    /// (nil: the document did not exist, or no longer does).
    func change(_ key: PrimaryKey, old: Document?, new: Document?) throws {
        for (index, target) in targets.enumerated() {
            let before = old.map(target.definition.entries) ?? []
            let after = new.map(target.definition.entries) ?? []
            if before == after { continue }
            for entry in before where !after.contains(entry) {
                pending.lists[index].delete(entry, of: key)
                pending.count += 1
            }
            for entry in after where !before.contains(entry) {
                pending.lists[index].insert(entry, of: key)
                pending.count += 1
            }
        }
        if pending.count >= Self.flushThreshold { try flush() }
    }

    /// Adds a document's entries to every index (an index build); entries a write already
    /// made stay.
    func add(_ key: PrimaryKey, _ document: Document) throws {
        for (index, target) in targets.enumerated() {
            for entry in target.definition.entries(of: document) {
                pending.lists[index].insert(entry, of: key)
                pending.count += 1
            }
        }
        if pending.count >= Self.flushThreshold { try flush() }
    }

    /// Writes the waiting changes, each index's in its entry table's order.
    func flush() throws {
        guard pending.count > 0 else { return }
        for (index, target) in targets.enumerated() {
            try pending.lists[index].write(
                insert: { key, change, value in try write(key, change, with: target.insert, value: value) },
                delete: { key, change in try write(key, change, with: target.delete, value: nil) })
        }
        pending.count = 0
    }

    /// Binds the entry's row (with `value`, its JSON too: the insert's fifth parameter) and
    /// runs the statement.
    private func write(_ key: UnsafeRawBufferPointer, _ change: IndexEntryChanges.Change, with statement: SQLiteStatement,
                       value: Document?) throws {
        defer { statement.reset() }
        statement.bindBlob(key, at: 1)
        Self.typeLetters[Int(change.primaryKey.typeLetter)].withUnsafeBytes { statement.bindText($0, at: 2) }
        statement.bind(key: change.primaryKey, at: 3)
        statement.bind(change.tag, at: 4)
        guard let value else {
            try statement.step()
            return
        }
        var json: [UInt8] = []
        json.reserveCapacity(32)
        value.appendJSON(to: &json)
        try json.withUnsafeBytes { bytes in
            statement.bindTextNoCopy(bytes, at: 5)
            try statement.step()
        }
    }

    /// The one-letter texts of the `id_type` column, by letter.
    private static let typeLetters: [[UInt8]] = (0..<128).map { [UInt8($0)] }
}
