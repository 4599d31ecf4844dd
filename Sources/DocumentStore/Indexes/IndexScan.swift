import DocumentModel

/// The reading of one ``IndexRange``: its bounds checked and encoded once, then a page at a
/// time, each page starting after the last entry of the one before (keyset paging).
struct IndexScan: Sendable {
    private enum Plan: Sendable {
        case primary(PrimaryKeyRange)
        case secondary(SecondaryRange)
    }

    private let table: Table
    private let info: TableInfo
    private let plan: Plan
    private let pageSize: Int
    private var primaryCursor: PrimaryKeyRange.Cursor?
    private var entryCursor: SecondaryRange.Cursor?

    init(_ range: IndexRange) async throws {
        table = range.table
        info = try await range.table.store.tableInfo(range.table.name)
        pageSize = range.size
        let descending = range.order == .descending
        for bound in [range.lower, range.upper] where bound == .value(.null) {
            throw DocumentStoreError(.queryLogic, "Cannot use `null` in BETWEEN, use `r.minval` or `r.maxval` to denote unboundedness.")
        }
        if range.index == nil || range.index == info.primaryKey {
            plan = .primary(try PrimaryKeyRange(lower: range.lower.datum, lowerOpen: range.leftBound == .open,
                                                upper: range.upper.datum, upperOpen: range.rightBound == .open,
                                                descending: descending))
        } else {
            plan = .secondary(try SecondaryRange(index: range.index ?? "", lower: range.lower.datum, lowerOpen: range.leftBound == .open,
                                                 upper: range.upper.datum, upperOpen: range.rightBound == .open,
                                                 descending: descending))
        }
    }

    /// The table's primary-key field.
    var primaryKey: String { info.primaryKey }

    /// Whether the range is on the primary key.
    var isPrimary: Bool {
        if case .primary = plan { return true }
        return false
    }

    mutating func nextPage() async throws -> (documents: [Document], finished: Bool) {
        let scan = self
        let (page, advanced) = try await table.store.read { connection in
            var scan = scan
            let page = try scan.nextPage(on: connection)
            return (page, scan)
        }
        self = advanced
        return page
    }

    /// The next page read on `connection`, in the caller's transaction if it has one (a
    /// feed's initial values and its start are read in one snapshot).
    mutating func nextPage(on connection: SQLiteConnection) throws -> (documents: [Document], finished: Bool) {
        let page = try nextEntries(on: connection)
        return (page.entries.map(\.document), page.finished)
    }

    /// The next page with each document's entry: its index value (the primary key when the
    /// range is on it) and multi-index tag, for an ordered feed that must tell them apart.
    mutating func nextEntries(on connection: SQLiteConnection) throws -> (entries: [SecondaryRange.Entry], finished: Bool) {
        let database = table.store.configuration.databaseName
        switch plan {
        case .primary(let range):
            let page = try Self.reading(info, database) { try range.page(connection, table: info, after: primaryCursor, limit: pageSize) }
            primaryCursor = page.cursor
            let entries = page.documents.map { (value: $0[info.primaryKey] ?? .null, tag: Int64(0), document: $0) }
            return (entries, page.cursor == nil)
        case .secondary(let range):
            let page = try Self.reading(info, database) {
                try range.entryPage(connection, table: info, database: database, registry: table.store.indexes, after: entryCursor,
                                    limit: pageSize)
            }
            entryCursor = page.cursor
            return (page.entries, page.cursor == nil)
        }
    }

    /// One read transaction, so the index's definition and its entries are read together.
    static func reading<T>(_ info: TableInfo, _ database: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            throw DocumentStoreError(error, while: "read table `\(database).\(info.name)`")
        }
    }
}
