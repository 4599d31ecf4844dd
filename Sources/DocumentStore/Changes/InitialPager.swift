import DocumentModel

/// Reads a feed's initial values (``ChangeFeedOptions/includeInitial``): the documents its
/// selection holds at the position the changes start from.
///
/// A table or an index range is read a page at a time in one read transaction, which the
/// feed keeps open on a connection of its own until the last page (WAL lets writers go on
/// meanwhile); keys and index values are read at once. A limit feed's initial values are its
/// set (``LimitFeed``); a point feed's, its one document.
struct InitialPager: Sendable {
    enum Source: Sendable {
        case table(lastRowID: Int64)
        case range(IndexScan)
        case keys([Document])
        case indexValues([Document], index: String)
        case point
    }

    private var source: Source
    private(set) var isDone = false

    /// Documents per page of a table scan.
    static let pageSize = 1000

    /// The reader of `target`'s initial values; nil when none are asked for (or the feed
    /// makes them itself).
    init?(target: FeedTarget, info: TableInfo, options: ChangeFeedOptions) async throws {
        guard options.includeInitial else { return nil }
        switch target {
        case .table: source = .table(lastRowID: 0)
        case .point: source = .point
        case .keys(let keys): source = .keys(keys)
        case .indexValues(let values, let index) where index == info.primaryKey: source = .keys(values)
        case .indexValues(let values, let index): source = .indexValues(values, index: index)
        case .range(let range): source = .range(try await IndexScan(range))
        case .limit: return nil
        }
    }

    /// Whether the values come in pages, read in a transaction kept open between them.
    var isPaged: Bool {
        switch source {
        case .table, .range: return true
        case .keys, .indexValues, .point: return false
        }
    }

    /// The next page (every page when `all`: a store with no reader connections reads them
    /// in one go); ``isDone`` once the last one is read.
    mutating func next(_ connection: SQLiteConnection, info: TableInfo, store: DocumentStore, all: Bool) throws -> [Document] {
        var documents: [Document] = []
        repeat {
            switch source {
            case .table(let lastRowID):
                let page = try Table.page(connection, info, after: lastRowID, limit: Self.pageSize)
                documents += page.documents
                source = .table(lastRowID: page.lastRowID)
                isDone = page.documents.count < Self.pageSize
            case .range(var scan):
                let page = try scan.nextPage(on: connection)
                documents += page.documents
                source = .range(scan)
                isDone = page.finished
            case .keys(let keys):
                // RethinkDB's get_all: each key once per time it was asked for, in key order;
                // r.minval and r.maxval match nothing.
                for (key, copies) in try Table.distinctKeys(keys)
                where !["MINVAL", "MAXVAL"].contains(key.objectValue?.reqlType ?? "") {
                    guard let document = try Table.fetch(connection, info, try Table.validatedKey(key)) else { continue }
                    documents += Array(repeating: document, count: copies)
                }
                isDone = true
            case .indexValues(let values, let index):
                documents += try Table.indexedDocuments(connection, info, store.configuration.databaseName, index: index,
                                                        values: values, registry: store.indexes)
                isDone = true
            case .point:
                isDone = true
            }
        } while all && !isDone
        return documents
    }
}
