import DocumentModel

/// Keeps a table's index entries equal to its documents, inside the write that changes them.
///
/// Every row write goes through ``RowStatements``, which calls ``change(_:old:new:)`` with the
/// document before and after: the one place where "old entries vs new entries" is decided.
/// The entries of the old document are computed again from it (index functions are
/// deterministic, so they are the ones stored), and only the difference is written.
struct IndexWriter {
    let connection: SQLiteConnection
    let definitions: [IndexDefinition]

    var isEmpty: Bool { definitions.isEmpty }

    /// Brings every index from `old`'s entries to `new`'s for the document with this key
    /// (nil: the document did not exist, or no longer does).
    func change(_ key: PrimaryKey, old: Document?, new: Document?) throws {
        for definition in definitions {
            let before = old.map(definition.entries) ?? []
            let after = new.map(definition.entries) ?? []
            if before == after { continue }
            for entry in before where !after.contains(entry) {
                try delete(entry, key: key, in: definition)
            }
            for entry in after where !before.contains(entry) {
                try insert(entry, key: key, in: definition)
            }
        }
    }

    /// Adds a document's entries (an index build); entries a write already made stay.
    func add(_ key: PrimaryKey, _ document: Document, to definition: IndexDefinition) throws {
        for entry in definition.entries(of: document) {
            try insert(entry, key: key, in: definition)
        }
    }

    /// `ON CONFLICT DO NOTHING`: during a build both the build and the writes add the entries
    /// of the documents they touch, and an entry is the same whoever adds it.
    private func insert(_ entry: IndexEntry, key: PrimaryKey, in definition: IndexDefinition) throws {
        let statement = try connection.cachedStatement(
            "INSERT INTO \(definition.quotedStorage) (key, id_type, id, tag, value) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
        defer { statement.reset() }
        bind(entry, key: key, to: statement)
        var value: [UInt8] = []
        entry.value.appendJSON(to: &value)
        try value.withUnsafeBytes { bytes in
            statement.bindTextNoCopy(bytes, at: 5)
            try statement.step()
        }
    }

    private func delete(_ entry: IndexEntry, key: PrimaryKey, in definition: IndexDefinition) throws {
        let statement = try connection.cachedStatement(
            "DELETE FROM \(definition.quotedStorage) WHERE key = ? AND id_type = ? AND id = ? AND tag = ?")
        defer { statement.reset() }
        bind(entry, key: key, to: statement)
        try statement.step()
    }

    private func bind(_ entry: IndexEntry, key: PrimaryKey, to statement: SQLiteStatement) {
        entry.key.withUnsafeBytes { statement.bindBlob($0, at: 1) }
        statement.bind(String(UnicodeScalar(key.typeLetter)), at: 2)
        statement.bind(key: key, at: 3)
        statement.bind(entry.tag, at: 4)
    }
}
