/// What ``DocumentStore/dump(to:tables:)`` wrote or ``DocumentStore/restore(from:options:)``
/// read: the tables, their documents and their secondary indexes.
///
/// ```swift
/// let dumped = try await store.dump(to: "backup.tar.gz")
/// print("\(dumped.documents) documents in \(dumped.tables.count) tables")
/// let restored = try await copy.restore(from: "backup.tar.gz")
/// for (index, reason) in restored.skippedIndexes { print("not restored: \(index): \(reason)") }
/// ```
public struct ArchiveSummary: Sendable, Equatable {
    /// The tables, as `db.table`, in the order they were written or read.
    public var tables: [String] = []
    /// The documents of all the tables.
    public var documents = 0
    /// The secondary indexes written, or created by a restore.
    public var indexes = 0
    /// Restore only: each index that was not created, as `db.table.index`, with the reason (a
    /// definition DocStore cannot read, such as one made by RethinkDB 2.1 or older). The
    /// documents are restored all the same, as `rethinkdb restore` does when an index fails.
    public var skippedIndexes: [String: String] = [:]
    /// Restore only: the write hooks of the archive that were not set, as `db.table`, with the
    /// reason.
    public var skippedWriteHooks: [String: String] = [:]

    public init() {}
}
