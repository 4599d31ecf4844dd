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

    mutating func nextPage() async throws -> (documents: [Document], finished: Bool) {
        let info = self.info
        let database = table.store.configuration.databaseName
        let pageSize = self.pageSize
        let registry = table.store.indexes
        switch plan {
        case .primary(let range):
            let cursor = primaryCursor
            let page = try await table.store.read { connection in
                try Self.reading(info, database) { try range.page(connection, table: info, after: cursor, limit: pageSize) }
            }
            primaryCursor = page.cursor
            return (page.documents, page.cursor == nil)
        case .secondary(let range):
            let cursor = entryCursor
            let page = try await table.store.read { connection in
                try Self.reading(info, database) {
                    try range.page(connection, table: info, database: database, registry: registry, after: cursor, limit: pageSize)
                }
            }
            entryCursor = page.cursor
            return (page.documents, page.cursor == nil)
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
