import DocumentModel
import Foundation

extension DocumentStore {
    /// Writes tables to a `rethinkdb dump` archive: what `rethinkdb restore` loads into a
    /// RethinkDB cluster, and ``restore(from:options:)`` into another file.
    ///
    /// Use it to move from one file to a RethinkDB cluster (the same driver code then talks to
    /// the cluster), to back a file up in a portable form, or to copy tables between files.
    /// The archive is a gzip-compressed tar file holding a directory
    /// `rethinkdb_dump_<date>T<time>/`, and in it `<db>/<table>.json` (a JSON array of the
    /// table's documents, one per line, in primary-key order) and `<db>/<table>.info` (the
    /// primary key, `index_status()` with each definition in RethinkDB 2.4's binary form, the
    /// write hook), as RethinkDB's own tools write them.
    ///
    /// ```swift
    /// try await store.dump(to: "backup.tar.gz")                       // every table
    /// try await store.dump(to: "marvel.tar.gz", tables: ["marvel"])   // or "test.marvel"
    /// ```
    /// ```sh
    /// rethinkdb restore backup.tar.gz -c cluster:28015
    /// ```
    ///
    /// Each table is read as it is dumped; writes that run meanwhile may or may not be in the
    /// archive, as with `rethinkdb dump`. The archive is written under a temporary name and
    /// appears at `path` only when complete.
    ///
    /// - Parameters:
    ///   - path: the archive to write; an existing file there is replaced.
    ///   - tables: `TABLE`, `DB.TABLE` or `DB` (this file's database,
    ///     ``Configuration/databaseName``); empty for every table.
    /// - Returns: what was written.
    /// - Throws: `DocumentStoreError`: "Database \`x\` does not exist.", "Table \`test.x\` does
    ///   not exist.", or `.storage` when the archive cannot be written.
    @discardableResult
    public func dump(to path: String, tables: [String] = []) async throws -> ArchiveSummary {
        let names = try await dumpSelection(tables)
        let directory = Self.dumpDirectoryName(Date())
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("docstore-dump-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let writer = try TarGzWriter(path: path)
        var summary = ArchiveSummary()
        let database = configuration.databaseName
        for name in names {
            let table = self.table(name)
            let config = try await table.config()
            let data = scratch + "/" + name + ".json"
            let count = try await Self.writeDocuments(of: table, primaryKey: config.primaryKey, to: data)
            let indexes = try await table.indexStatus().map(\.document)
            let info = DumpTableInfo(database: database, table: name, primaryKey: config.primaryKey, indexes: indexes,
                                     writeHook: try await table.writeHookForDump())
            let prefix = "\(directory)/\(database)/\(name)"
            try writer.add(prefix + ".info", bytes: info.fileBytes(tableID: config.id, documentCount: count))
            try writer.add(prefix + ".json", contentsOf: data)
            try? FileManager.default.removeItem(atPath: data)
            summary.tables.append("\(database).\(name)")
            summary.documents += count
            summary.indexes += indexes.count
        }
        try writer.finish()
        return summary
    }

    /// `rethinkdb_dump_%Y-%m-%dT%H:%M:%S` in local time, the directory name `rethinkdb dump`
    /// gives its archive's contents (and, with `.tar.gz`, its default file name).
    public static func dumpDirectoryName(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return "rethinkdb_dump_" + formatter.string(from: date)
    }

    /// The tables named by `TABLE`, `DB.TABLE` or `DB`, checked, sorted, without repeats.
    private func dumpSelection(_ selection: [String]) async throws -> [String] {
        let database = configuration.databaseName
        let all = try await tableList()
        guard !selection.isEmpty else { return all }
        var chosen = Set<String>()
        for item in selection {
            // Table names cannot hold a dot, so one splits `DB.TABLE`.
            if let dot = item.firstIndex(of: ".") {
                let db = String(item[..<dot]), name = String(item[item.index(after: dot)...])
                guard db == database else { throw DocumentStoreError(.opFailed, "Database `\(db)` does not exist.") }
                guard all.contains(name) else { throw DocumentStoreError.tableDoesNotExist(database, name) }
                chosen.insert(name)
            } else if all.contains(item) {
                chosen.insert(item)
            } else if item == database {
                chosen.formUnion(all)
            } else {
                throw DocumentStoreError.tableDoesNotExist(database, item)
            }
        }
        return chosen.sorted()
    }

    /// The table's `.json` file: its documents in `rethinkdb export`'s layout and order
    /// (`order_by(index=primary_key)`), written a megabyte at a time.
    private static func writeDocuments(of table: Table, primaryKey: String, to path: String) async throws -> Int {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw DocumentStoreError(.storage, "Cannot write the scratch file `\(path)` for the dump.")
        }
        defer { try? handle.close() }
        var buffer = DumpJSON.open
        var count = 0
        for try await document in table.orderBy(index: primaryKey) {
            buffer += DumpJSON.separator(first: count == 0)
            buffer += DumpJSON.ascii(document.jsonBytes)
            count += 1
            if buffer.count >= 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        buffer += DumpJSON.close
        try handle.write(contentsOf: buffer)
        return count
    }
}
