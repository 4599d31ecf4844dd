import DocumentStore
import Logging
import NIOPosix
import ReQL

/// The query layer of `docstore serve`: runs each START query's term through the ReQL
/// evaluator, onto the DocumentStore library, and says what the protocol layer should send back.
///
/// Evaluation is synchronous and may block on the library, so it runs on a thread pool of its
/// own: never on a NIO event loop (which would stall every socket on it) and never on Swift's
/// cooperative pool (two threads on two cores: one long `count()` would starve the rest).
final class ReqlEngine: QueryRunning {
    let registry: DatabaseRegistry
    /// The server's users, whose permissions every query is checked against.
    let users: UserStore
    /// The `rethinkdb` system database, over these databases.
    let system: SystemDatabase
    /// The change feeds open on these databases.
    let openFeeds = FeedCount()
    private let logger: Logger
    private let pool: NIOThreadPool

    /// How many queries evaluate at once by default; more wait for a thread. Queries spend most
    /// of their time waiting on SQLite, hence more threads than cores.
    static let defaultQueryThreads = 16
    /// This engine's number of query threads (tests that run hundreds of engines at once use few).
    let queryThreads: Int

    /// Opens (creating if needed) the data directory, with one SQLite file per database.
    /// A non-nil `adminPassword` replaces the stored password of `admin` (`--password-file`).
    init(dataDirectory: String, adminPassword: String? = nil, logger: Logger, serverName: String = ClusterConfig.serverName,
         queryThreads: Int = ReqlEngine.defaultQueryThreads) throws {
        self.logger = logger
        self.queryThreads = queryThreads
        registry = try DatabaseRegistry(directory: dataDirectory, logger: logger)
        users = try UserStore(directory: dataDirectory, adminPassword: adminPassword)
        pool = NIOThreadPool(numberOfThreads: queryThreads)
        system = try SystemDatabase(registry: registry, serverName: serverName, pool: pool)
        pool.start()
    }

    /// Releases the databases (their files close when the last query using them ends) and
    /// lets the query threads go once they are idle.
    func close() {
        registry.closeAll()
        pool.shutdownGracefully { _ in }
    }

    func start(term json: Document, globalOptargs: DocumentObject, cancellation: CancellationToken) async -> QueryOutcome {
        await start(term: json, globalOptargs: globalOptargs, user: UserStore.admin, cancellation: cancellation)
    }

    func start(term json: Document, globalOptargs: DocumentObject, user: String, cancellation: CancellationToken) async -> QueryOutcome {
        await start(term: json, globalOptargs: globalOptargs, user: user, insertDocuments: nil, cancellation: cancellation)
    }

    func start(term json: Document, globalOptargs: DocumentObject, user: String, insertDocuments: [UInt8]?,
               cancellation: CancellationToken) async -> QueryOutcome {
        let library = LibraryTables(registry: registry, cancellation: cancellation, feeds: FeedTracker(counting: openFeeds),
                                    server: .string(system.identity.name))
        // The permission check is the outer layer: it sees every call, the system tables' too.
        let tables = PermissionedTables(base: ServerTables(library: library, system: system), user: user, store: users)
        let profile = ClientQuery.isSet("profile", globalOptargs) ? QueryProfile() : nil
        system.stats.countQuery()
        let job = system.jobs.begin(query: json, documents: insertDocuments, cancellation: cancellation)
        let result = await evaluate(cancellation) { () throws(ReqlError) -> Query.Result in
            try Query.run(json, globalOptargs: globalOptargs, tables: tables, cancellation: cancellation, profile: profile,
                          insertDocuments: insertDocuments)
        }
        system.jobs.end(job)
        // What the query did (a table created, a grant, a row read) may show in a system table
        // a feed follows.
        system.feeds.changed()
        // A feed lives as long as the cursor serving it; one the answer does not use (a
        // `type_of` of a feed, a query that failed after opening one) is closed now.
        if case .success(.stream(let rows)) = result, let feed = rows.feed {
            let cursor = FeedCursor(rows: rows, feed: feed, engine: self, opened: library.feeds)
            return profile.map { .profiled(.stream(cursor), $0) } ?? .stream(cursor)
        }
        library.feeds.closeAll()
        switch result {
        case .success(.datum(let document)):
            return profile.map { .profiled(.atom(document), $0) } ?? .atom(document)
        case .success(.stream(let rows)):
            let cursor = Cursor(rows: rows, engine: self)
            return profile.map { .profiled(.stream(cursor), $0) } ?? .stream(cursor)
        case .failure(let error):
            if error.errorType == .internal {
                logger.error("query failed: \(error.message)")
            }
            return .error(error)
        }
    }

    /// Runs `body` on a query thread and waits for it without holding the caller's thread.
    func evaluate<T: Sendable>(
        _ cancellation: CancellationToken,
        _ body: @escaping @Sendable () throws(ReqlError) -> T
    ) async -> Result<T, ReqlError> {
        do {
            return try await pool.runIfActive { () -> Result<T, ReqlError> in
                do throws(ReqlError) {
                    return .success(try body())
                } catch {
                    return .failure(error)
                }
            }
        } catch {
            // The pool is shut down (the server is stopping) or the caller's task cancelled.
            return .failure(.interrupted)
        }
    }
}
