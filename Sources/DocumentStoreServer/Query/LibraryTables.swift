import DocumentStore
import ReQL

/// The evaluator's table access, on the DocumentStore library: every table term of a query
/// becomes one call of the library's public API.
///
/// One instance serves one query, with that query's cancellation token, and runs on the
/// server's query threads only (each call waits for the library through ``LibraryBridge``).
struct LibraryTables: TableAccess {
    let registry: DatabaseRegistry
    let cancellation: CancellationToken
    /// The change feeds this query opened, for whoever ends the query to close.
    var feeds = FeedTracker()
    /// The server as table configs name it (`server_config`'s name).
    var server: Document = .string(ClusterConfig.serverName)

    /// How many rows a table scan reads per library call.
    static let pageSize = 1000

    func call<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws(ReqlError) -> T {
        try LibraryBridge.run(cancellation, body)
    }

    /// The library's table behind a reference this type made.
    func table(_ reference: TableRef) -> Table {
        // Only `table(_:in:)` below makes references, and always with a `Table` handle.
        reference.handle as! Table
    }

    func database(_ name: String) throws(ReqlError) -> DatabaseRef {
        _ = try registry.store(name)
        return DatabaseRef(name: name, id: registry.id(of: name))
    }

    func table(_ name: String, in database: String) throws(ReqlError) -> TableRef {
        let table = try registry.store(database).table(name)
        // Looks the table up now, so a missing one fails at the `table` term, as in RethinkDB.
        _ = try call { try await table.primaryKey() }
        try ensureChangeLog(table, database: database)
        return TableRef(database: database, name: name, handle: table)
    }

    func primaryKey(of reference: TableRef) throws(ReqlError) -> String {
        let table = self.table(reference)
        return try call { try await table.primaryKey() }
    }

    func get(_ key: Document, in reference: TableRef) throws(ReqlError) -> Document? {
        let table = self.table(reference)
        return try call { try await table.get(key) }
    }

    func getAll(_ keys: [Document], in reference: TableRef) throws(ReqlError) -> [Document] {
        let table = self.table(reference)
        return try call { try await table.getAll(keys).values() }
    }

    func scan(_ reference: TableRef) -> RowStream {
        pages(of: table(reference).documents(pageSize: Self.pageSize))
    }

    /// A library sequence of documents as a stream pulled a page per library call.
    func pages<Source: AsyncSequence & Sendable>(of source: Source) -> RowStream where Source.Element == Document {
        let pages = PageReader(source.makeAsyncIterator())
        var page: [Document] = []
        var index = 0
        var finished = false
        return RowStream(cancellation: cancellation) { () throws(ReqlError) -> Document? in
            if index == page.count {
                guard !finished else { return nil }
                page = try self.call { try await pages.next(Self.pageSize) }
                index = 0
                finished = page.count < Self.pageSize
                if page.isEmpty { return nil }
            }
            defer { index += 1 }
            return page[index]
        }
    }

    func count(_ reference: TableRef) throws(ReqlError) -> Int {
        let table = self.table(reference)
        return try call { try await table.count() }
    }

    func tableCreate(_ name: String, in database: String, primaryKey: String, durability: String?, shards: Int) throws(ReqlError) -> Document {
        let store = try registry.store(database)
        // RethinkDB takes anything but "soft" as the default, hard.
        let durability: Durability = durability == "soft" ? .soft : .hard
        // With its change log on: the server's clients may open a feed on any table.
        let change = try call { try await store.tableCreate(name, primaryKey: primaryKey, durability: durability, changeLog: .on()) }
        registry.markChangeLog(database, name)
        if let id = change.newValue?.id {
            try registry.shards.set(shards, for: id, table: "\(database).\(name)")
        }
        return ClusterConfig.document(of: change, server: server, shards: registry.shards)
    }

    func tableDrop(_ name: String, in database: String) throws(ReqlError) -> Document {
        let store = try registry.store(database)
        let change = try call { try await store.tableDrop(name) }
        registry.forgetChangeLog(database, name)
        let result = ClusterConfig.document(of: change, server: server, shards: registry.shards)
        // A dropped table's id is never used again; its entry goes with it.
        if let id = change.oldValue?.id { try? registry.shards.set(1, for: id, table: "\(database).\(name)") }
        return result
    }

    func tableList(in database: String) throws(ReqlError) -> [String] {
        let store = try registry.store(database)
        return try call { try await store.tableList() }
    }

    func databaseCreate(_ name: String) throws(ReqlError) -> Document {
        try registry.create(name)
    }

    func databaseDrop(_ name: String) throws(ReqlError) -> Document {
        let store = try registry.store(name)
        let tables = try call { try await store.tableList() }
        return registry.drop(name, tableCount: tables.count)
    }

    func databaseList() throws(ReqlError) -> [String] {
        registry.list()
    }

    func config(_ reference: TableRef) throws(ReqlError) -> Document {
        let table = self.table(reference)
        let config = try call { try await table.config() }
        return ClusterConfig.document(of: config, server: server, shards: registry.shards.count(of: config.id))
    }

    func sync(_ reference: TableRef) throws(ReqlError) -> Document {
        let table = self.table(reference)
        return try call { try await table.sync() }.document
    }
}

/// A library sequence's iterator (a table scan, an index range), pulled a page per library call.
///
/// `@unchecked Sendable`: the stream that owns it is pulled by one thread at a time, and each
/// pull waits for the task that advances the iterator, so the iterator is never used by two
/// tasks at once.
private final class PageReader<Iterator: AsyncIteratorProtocol>: @unchecked Sendable where Iterator.Element == Document {
    private var iterator: Iterator

    init(_ iterator: Iterator) {
        self.iterator = iterator
    }

    func next(_ limit: Int) async throws -> [Document] {
        var page: [Document] = []
        while page.count < limit, let document = try await iterator.next() {
            page.append(document)
        }
        return page
    }
}
