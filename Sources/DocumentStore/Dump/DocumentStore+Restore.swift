import DocumentModel
import Foundation

extension DocumentStore {
    /// Loads a `rethinkdb dump` archive into this file: what `rethinkdb restore` does for a
    /// RethinkDB cluster, so a cluster's tables (or a ``dump(to:tables:)`` of another file)
    /// can move into DocStore.
    ///
    /// For each table of the archive: the table is created with the archive's primary key, the
    /// documents are inserted a chunk at a time, then each secondary index is created from its
    /// `index_status` definition (an existing index of that name is dropped first, as the
    /// RethinkDB tool does) and built.
    ///
    /// ```sh
    /// rethinkdb dump -c cluster:28015 -e heroes -f heroes.tar.gz
    /// ```
    /// ```swift
    /// var configuration = DocumentStore.Configuration()
    /// configuration.databaseName = "heroes"
    /// let store = try DocumentStore(path: "heroes.sqlite", configuration: configuration)
    /// let summary = try await store.restore(from: "heroes.tar.gz")
    /// print(summary.tables, summary.documents, summary.skippedIndexes)
    /// ```
    ///
    /// A definition DocStore cannot read (RethinkDB 2.1 or older, a function DocStore does not
    /// evaluate) does not stop the restore: that index is listed in
    /// ``ArchiveSummary/skippedIndexes`` with the reason, and the rest goes on, as
    /// `rethinkdb restore` warns and goes on. A DocStore file is one database: the restored
    /// tables must all come from one database of the archive (choose it with
    /// ``RestoreOptions/tables``); they keep their names whatever this file's database is called.
    ///
    /// - Parameters:
    ///   - path: the archive (`.tar.gz`, or an uncompressed `.tar`).
    ///   - options: `--force`, `--no-secondary-indexes`, `-i DB[.TABLE]`.
    /// - Returns: what was restored and what was not.
    /// - Throws: `DocumentStoreError` before anything is written for a malformed archive,
    ///   existing tables without ``RestoreOptions/force`` ("Table 'test.marvel' already exists,
    ///   run with --force to import into the existing table"), a different primary key; and
    ///   "Error when importing into table 'test.marvel': …" when a document is refused (the
    ///   tables and documents before it stay).
    @discardableResult
    public func restore(from path: String, options: RestoreOptions = RestoreOptions()) async throws -> ArchiveSummary {
        let contents = try DumpArchiveContents(archive: path, filters: options.tables)
        defer { contents.remove() }
        let sources = contents.sources
        let databases = Set(sources.map(\.database))
        if databases.count > 1 {
            throw DocumentStoreError(.queryLogic, "The archive holds tables of the databases \(databases.sorted().map { "`\($0)`" }.joined(separator: ", ")), and a DocStore file holds one database: choose one (`-i DB`, RestoreOptions.tables).")
        }
        try await checkExisting(sources, force: options.force)
        var summary = ArchiveSummary()
        for source in sources {
            try await restoreTable(source, options: options, into: &summary)
        }
        return summary
    }

    /// `rethinkdb import`'s checks, made before anything is written.
    private func checkExisting(_ sources: [DumpArchiveContents.Source], force: Bool) async throws {
        let existing = Set(try await tableList())
        var taken: [String] = []
        for source in sources where existing.contains(source.table) {
            guard force else {
                taken.append("\(source.database).\(source.table)")
                continue
            }
            let primaryKey = try await table(source.table).primaryKey()
            if primaryKey != source.info.primaryKey {
                throw DocumentStoreError(.opFailed, "Table '\(source.database).\(source.table)' already exists with a different primary key: \(primaryKey) (expected: \(source.info.primaryKey))")
            }
        }
        if taken.count == 1 {
            throw DocumentStoreError(.opFailed, "Table '\(taken[0])' already exists, run with --force to import into the existing table")
        } else if taken.count > 1 {
            throw DocumentStoreError(.opFailed, "The following tables already exist, run with --force to import into the existing tables:\n  " + taken.sorted().joined(separator: "\n  "))
        }
    }

    private func restoreTable(_ source: DumpArchiveContents.Source, options: RestoreOptions, into summary: inout ArchiveSummary) async throws {
        let qualified = "\(source.database).\(source.table)"
        if !(try await tableList()).contains(source.table) {
            try await tableCreate(source.table, primaryKey: source.info.primaryKey)
        }
        let table = self.table(source.table)
        let descriptor = open(source.dataPath, O_RDONLY)
        guard descriptor >= 0 else {
            throw DocumentStoreError(.storage, "Cannot read the archive's `\(source.database)/\(source.table).json`: \(String(cString: strerror(errno))).")
        }
        defer { close(descriptor) }
        let result = try await table.importDocuments(from: DocumentSource(fileDescriptor: descriptor),
                                                     options: InsertOptions(conflict: options.force ? .replace : .error))
        if result.errors > 0 {
            throw DocumentStoreError(.opFailed, "Error when importing into table '\(qualified)': \(result.firstError ?? "")")
        }
        summary.tables.append(qualified)
        summary.documents += result.inserted + result.replaced + result.unchanged
        if options.secondaryIndexes {
            try await restoreIndexes(source.info.indexes, of: table, qualified: qualified, into: &summary)
        }
        if let reason = try await table.restoreWriteHook(source.info.writeHook) {
            summary.skippedWriteHooks[qualified] = reason
        }
    }

    private func restoreIndexes(_ rows: [Document], of table: Table, qualified: String, into summary: inout ArchiveSummary) async throws {
        var created: [String] = []
        for row in rows {
            let label = "\(qualified).\(row["index"]?.stringValue ?? "?")"
            do {
                let definition = try DumpTableInfo.definition(row)
                if try await table.indexList().contains(definition.name) {
                    try await table.indexDrop(definition.name)
                }
                try await table.indexCreate(definition.name, binary: definition.function)
                created.append(definition.name)
            } catch let error as DocumentStoreError {
                summary.skippedIndexes[label] = error.message
            }
        }
        if !created.isEmpty { _ = try await table.indexWait(created) }
        summary.indexes += created.count
    }
}
