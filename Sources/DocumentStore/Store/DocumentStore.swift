import DocumentModel
import Synchronization

/// A RethinkDB-style document store in one SQLite file.
///
/// Each table is an ordinary SQLite table of `(id, doc)` rows: the primary-key value and the
/// whole document as canonical JSON text, so `sqlite3 app.sqlite "select id, doc from marvel"`
/// shows what is stored. Writes follow RethinkDB's semantics and return its result object.
///
/// ```swift
/// let store = try DocumentStore(path: "marvel.sqlite")
/// try await store.tableCreate("marvel")
/// let marvel = store.table("marvel")
/// let result = try await marvel.insert(["superhero": "Iron Man", "superpower": "Arc Reactor"])
/// print(result.jsonString)
/// // {"deleted":0,"errors":0,"generated_keys":["…"],"inserted":1,"replaced":0,"skipped":0,"unchanged":0}
/// ```
///
/// The store is `Sendable` and its API is `async`: one writer connection applies writes on a
/// thread of its own, while reader connections serve `get` beside it; WAL mode lets them read
/// while a write runs. Write calls that arrive while a commit is in flight share the next one
/// (group commit): each runs in a savepoint of its own (or, first in its transaction, in the
/// transaction itself), and none is answered before that commit is durable at the level the
/// call asked for.
/// Several processes may open the same file: the busy timeout makes them take turns.
///
/// ## Topics
/// - ``init(path:configuration:)``
/// - ``inMemory(configuration:)``
/// - ``table(_:)``
/// - ``tableCreate(_:primaryKey:durability:changeLog:)``
public final class DocumentStore: Sendable {
    /// The path of the SQLite file (`:memory:` for an in-memory store).
    public let path: String
    /// The settings the store was opened with; fixed for the store's lifetime.
    ///
    /// Most of them take effect at open (connections, cache, size cap), so they are not
    /// changeable afterwards; open the file again with another configuration to change them.
    ///
    /// ```swift
    /// store.configuration.databaseName   // "test": error messages say `test.marvel`
    /// ```
    public let configuration: Configuration
    let writer: SerialConnection
    /// Shares the writer's commits among the document writes waiting for it.
    let groupCommitter: GroupCommitter
    private let readers: [SerialConnection]
    private let nextReader = Atomic<Int>(0)
    /// Table definitions seen so far, by name; re-read from the catalog on a miss.
    let catalogCache = Mutex<[String: TableInfo]>([:])
    /// Compiled index functions, the index definitions writes maintain, the builds running.
    let indexes = IndexRegistry()
    /// Wakes change feeds on commits, this process's and other processes'.
    let changeMonitor: ChangeMonitor
    /// When each table's change log is due for trimming.
    let changeTrimmer = ChangeTrimmer()

    /// The `application_id` DocStore writes in the file header ("DocS"): a file without it is
    /// somebody else's, and DocStore will not touch it.
    static let applicationID: Int32 = 0x446F_6353

    /// Opens (creating if missing) the store in the SQLite file at `path`.
    ///
    /// A new file is set up with DocStore's schema; an existing one is checked first. A file
    /// that is not a DocStore database, or that a newer DocStore wrote, is refused with
    /// `DocumentStoreError.Code.notADocStoreFile` or `DocumentStoreError.Code.newerSchema`,
    /// and left exactly as it was.
    ///
    /// ```swift
    /// var configuration = DocumentStore.Configuration()
    /// configuration.databaseName = "heroes"
    /// let store = try DocumentStore(path: "heroes.sqlite", configuration: configuration)
    /// ```
    ///
    /// - Parameters:
    ///   - path: a file path, or `:memory:` for a store that lives only in this process.
    ///   - configuration: how to open the file (busy timeout, page cache, reader connections,
    ///     key generation, size cap); the defaults suit an application.
    /// - Throws: `DocumentStoreError`: `.notADocStoreFile` or `.newerSchema` as above, or
    ///   `.storage` (`.busy` when another connection holds it locked) when SQLite cannot open
    ///   or set up the file, e.g. in a missing directory or without permission.
    public init(path: String, configuration: Configuration = Configuration()) throws {
        self.path = path
        self.configuration = configuration
        let isMemory = path == ":memory:" || path.isEmpty
        changeMonitor = ChangeMonitor(path: isMemory ? nil : path, busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds)
        let connection: SQLiteConnection
        do {
            connection = try SQLiteConnection(path: path, mode: .readWriteCreate)
        } catch let error as SQLiteError {
            throw DocumentStoreError(error, while: "open the database file `\(path)`")
        }
        connection.setBusyTimeout(milliseconds: configuration.busyTimeoutMilliseconds)
        try Migrator(path: path).prepare(connection, isMemory: isMemory, cacheSizeKiB: configuration.cacheSizeKiB,
                                         busyTimeout: configuration.busyTimeout)
        if let maxPageCount = configuration.maxPageCount {
            // Only the writer writes, so the cap is needed on it alone; it is not stored in the
            // file, so each open applies it again.
            do {
                try connection.execute("PRAGMA max_page_count = \(max(1, maxPageCount))")
            } catch let error as SQLiteError {
                throw DocumentStoreError(error, while: "set the size cap of `\(path)`")
            }
        }
        do {
            // Per connection and not stored in the file: each open applies them again. Only
            // the writer commits, so only its checkpoints matter.
            let pages = max(1, configuration.walCheckpointPages)
            let pageSize = try connection.scalarInt("PRAGMA page_size")
            try connection.execute("PRAGMA wal_autocheckpoint = \(pages); PRAGMA journal_size_limit = \(pages * Int(pageSize))")
            // The journal of each call's savepoint in a group commit: SQLite moves one past 64 KiB
            // into a temporary file, which in the server's batches of 200 was 29,000 page writes
            // for 59,000 to the WAL. Only calls of bounded size join a group (GroupCommitter),
            // so the memory a journal takes is bounded too.
            try connection.execute("PRAGMA temp_store = MEMORY")
        } catch let error as SQLiteError {
            throw DocumentStoreError(error, while: "set the checkpoint size and journals of `\(path)`")
        }
        if let trace = configuration.trace { connection.setTrace(trace) }
        let unfinishedBuilds = Self.unfinishedBuilds(connection)
        writer = SerialConnection(connection: connection, label: "docstore.writer")
        groupCommitter = GroupCommitter(writer: writer, maxDuration: configuration.groupCommitWindow)
        var readers: [SerialConnection] = []
        if !isMemory {
            for index in 0..<max(0, configuration.readerCount) {
                do {
                    let reader = try SQLiteConnection(path: path, mode: .readWrite)
                    reader.setBusyTimeout(milliseconds: configuration.busyTimeoutMilliseconds)
                    try reader.execute("PRAGMA query_only = ON; PRAGMA cache_size = -\(configuration.cacheSizeKiB / max(1, configuration.readerCount))")
                    readers.append(SerialConnection(connection: reader, label: "docstore.reader.\(index)"))
                } catch let error as SQLiteError {
                    throw DocumentStoreError(error, while: "open a reader connection on `\(path)`")
                }
            }
        }
        self.readers = readers
        // A build a killed process left unfinished goes on here.
        for id in unfinishedBuilds { startBuild(id) }
    }

    /// A store that lives in memory and disappears with the process: for tests and caches.
    public static func inMemory(configuration: Configuration = Configuration()) throws -> DocumentStore {
        try DocumentStore(path: ":memory:", configuration: configuration)
    }

    /// The table named `name` in this store. The table is looked up when it is used, so this
    /// never fails; using a table that does not exist throws RethinkDB's error,
    /// "Table \`test.marvel\` does not exist.".
    ///
    /// ```swift
    /// let marvel = store.table("marvel")
    /// let count = try await marvel.count()
    /// ```
    public func table(_ name: String) -> Table {
        Table(store: self, name: name)
    }

    /// Runs a read on a reader connection (round robin), or on the writer for an in-memory store.
    ///
    /// A read through a cached definition whose table another process has since renamed or
    /// dropped finds no such SQLite table: it throws RethinkDB's "does not exist", and the
    /// definition is forgotten.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        do {
            guard !readers.isEmpty else { return try await writer.run(body) }
            let index = nextReader.wrappingAdd(1, ordering: .relaxed).oldValue
            return try await readers[index % readers.count].run(body)
        } catch let error as DocumentStoreError {
            guard let table = error.missingTable, catalogCache.withLock({ $0[table] != nil }) else { throw error }
            forgetTableInfo(table)
            throw DocumentStoreError.tableDoesNotExist(configuration.databaseName, table)
        }
    }

    /// The writer connection's thread, as an executor tasks can prefer.
    ///
    /// Every write runs on this thread. A task that runs on it too makes its writes with no
    /// thread hop: for many small writes in a row, that halves their latency.
    ///
    /// ```swift
    /// try await withTaskExecutorPreference(store.writeExecutor) {
    ///     for event in events { try await log.insert(event, durability: .soft) }
    /// }
    /// ```
    ///
    /// Code of such a task that does not call the store also runs on the writer's thread and
    /// delays writes meanwhile: keep it to the writes.
    public var writeExecutor: any TaskExecutor { writer }
}

extension DocumentStore.Configuration {
    var busyTimeoutMilliseconds: Int32 {
        let (seconds, attoseconds) = busyTimeout.components
        return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
