import DocumentModel

/// Keeps a table's index entries equal to its documents, inside the write that changes them.
///
/// Every row write goes through ``RowStatements``, which calls ``change(_:old:new:)`` with the
/// document before and after: the one place where "old entries vs new entries" is decided.
/// The entries of the old document are computed again from it (index functions are
/// deterministic, so they are the ones stored), and only the difference is written.
struct IndexWriter {
    /// One index with its two statements, prepared once per connection.
    private struct Target {
        let definition: IndexDefinition
        let insert: SQLiteStatement
        let delete: SQLiteStatement
    }

    private let targets: [Target]

    init(connection: SQLiteConnection, definitions: [IndexDefinition]) throws {
        targets = try definitions.map { definition in
            // `ON CONFLICT DO NOTHING`: during a build both the build and the writes add the
            // entries of the documents they touch, and an entry is the same whoever adds it.
            Target(definition: definition,
                   insert: try connection.cachedStatement(definition.insertSQL),
                   delete: try connection.cachedStatement(definition.deleteSQL))
        }
    }

    var isEmpty: Bool { targets.isEmpty }

    /// Brings every index from `old`'s entries to `new`'s for the document with this key
    /// (nil: the document did not exist, or no longer does).
    func change(_ key: PrimaryKey, old: Document?, new: Document?) throws {
        for target in targets {
            let before = old.map(target.definition.entries) ?? []
            let after = new.map(target.definition.entries) ?? []
            if before == after { continue }
            for entry in before where !after.contains(entry) {
                try write(entry, key: key, with: target.delete, value: false)
            }
            for entry in after where !before.contains(entry) {
                try write(entry, key: key, with: target.insert, value: true)
            }
        }
    }

    /// Adds a document's entries to every index (an index build); entries a write already
    /// made stay.
    func add(_ key: PrimaryKey, _ document: Document) throws {
        for target in targets {
            for entry in target.definition.entries(of: document) {
                try write(entry, key: key, with: target.insert, value: true)
            }
        }
    }

    /// Binds the entry's row (with `value`, its JSON too: the insert's fifth parameter) and
    /// runs the statement.
    private func write(_ entry: IndexEntry, key: PrimaryKey, with statement: SQLiteStatement, value withValue: Bool) throws {
        defer { statement.reset() }
        entry.key.withUnsafeBytes { statement.bindBlob($0, at: 1) }
        Self.typeLetters[Int(key.typeLetter)].withUnsafeBytes { statement.bindText($0, at: 2) }
        statement.bind(key: key, at: 3)
        statement.bind(entry.tag, at: 4)
        guard withValue else {
            try statement.step()
            return
        }
        var value: [UInt8] = []
        value.reserveCapacity(32)
        entry.value.appendJSON(to: &value)
        try value.withUnsafeBytes { bytes in
            statement.bindTextNoCopy(bytes, at: 5)
            try statement.step()
        }
    }

    /// The one-letter texts of the `id_type` column, by letter.
    private static let typeLetters: [[UInt8]] = (0..<128).map { [UInt8($0)] }
}
