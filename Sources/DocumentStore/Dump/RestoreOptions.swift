/// How ``DocumentStore/restore(from:options:)`` reads an archive: the options of
/// `rethinkdb restore` that apply to one file.
///
/// ```swift
/// var options = RestoreOptions()
/// options.force = true                  // import into tables that already exist
/// options.secondaryIndexes = false      // documents only
/// options.tables = ["heroes.marvel"]    // like `rethinkdb restore -i heroes.marvel`
/// try await store.restore(from: "rethinkdb_dump_2024-05-01T10:00:00.tar.gz", options: options)
/// ```
public struct RestoreOptions: Sendable, Equatable {
    /// Import into tables that already exist (documents with a key already there replace the
    /// stored ones), `--force`. Without it an existing table stops the restore before anything
    /// is written.
    public var force = false
    /// Create the archive's secondary indexes (the default); false is `--no-secondary-indexes`.
    public var secondaryIndexes = true
    /// `-i DB` or `-i DB.TABLE`: only these databases or tables; empty for all. A DocStore file
    /// holds one database, so the chosen tables must all be in one database of the archive.
    public var tables: [String] = []

    public init(force: Bool = false, secondaryIndexes: Bool = true, tables: [String] = []) {
        self.force = force
        self.secondaryIndexes = secondaryIndexes
        self.tables = tables
    }
}
