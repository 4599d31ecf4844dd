import DocumentModel
extension DocumentStore {
    /// How a store opens its file. The defaults suit an application: WAL, a 64 MiB page cache,
    /// five seconds of waiting on a file locked by another process, four reader connections.
    ///
    /// ```swift
    /// var configuration = DocumentStore.Configuration()
    /// configuration.busyTimeout = .seconds(30)
    /// let store = try DocumentStore(path: "app.sqlite", configuration: configuration)
    /// ```
    public struct Configuration: Sendable {
        /// The RethinkDB database name this file holds; error messages say `db.table`.
        public var databaseName = "test"
        /// How long a write waits for another connection's write lock before failing with
        /// `DocumentStoreError.Code.busy`.
        public var busyTimeout: Duration = .seconds(5)
        /// SQLite's page cache of the writer, in KiB (readers get a share of it). Bulk inserts
        /// into a large table touch many B-tree pages; with a small cache they re-read them
        /// (in the C baseline of `shared/bench`, the insert loop of 100,000 documents took
        /// 0.16 s with 64 MiB against 0.27 s with SQLite's 2 MiB default). It is also most of
        /// a bulk import's memory: lower it where memory matters more than speed.
        public var cacheSizeKiB = 65_536
        /// Connections that serve reads beside the writer (files only; an in-memory store reads
        /// through its writer).
        public var readerCount = 4
        /// How keys are generated for documents that have none. RethinkDB uses random UUIDs
        /// (v4); time-ordered v7 UUIDs keep the primary-key index append-only, which makes bulk
        /// inserts of keyless documents several times faster.
        public var generatedKeys: KeyGeneration = .uuidV4
        /// A cap on the file's size, in pages (`PRAGMA max_page_count`, set on the writer at
        /// open; SQLite's page is 4096 bytes unless the file says otherwise). A write that would
        /// grow the file past it throws `DocumentStoreError.Code.storage` saying the database
        /// is full, and writes nothing; reopening with a larger cap (or none) lets writes go on.
        /// SQLite never lowers the cap below the file's current size. Nil: SQLite's own limit.
        public var maxPageCount: Int?
        /// How many documents one step of an index build indexes, in one short write
        /// transaction of its own: `indexCreate` on a populated table builds the index in such
        /// chunks, so other writes wait at most one chunk, and `indexStatus` shows the
        /// progress between them.
        public var indexBuildChunkSize = 1000
        /// How many pages the write-ahead log may hold before a commit copies them into the
        /// database file (`PRAGMA wal_autocheckpoint`, set on the writer at open); after such a
        /// checkpoint the log is also cut back to this size (`PRAGMA journal_size_limit`).
        ///
        /// SQLite's default, 1,000 pages (4 MiB), makes a workload of many commits copy each
        /// page it keeps changing into the file again and again: writes with random keys touch
        /// most of the primary key's leaf pages in every commit. A larger log lets one
        /// checkpoint copy each page once for many commits. In `Benchmarks/run.sh`'s server
        /// section (100,000 documents in batches of 200 from 8 clients), 10,000 pages took the
        /// time from 3.22 s to 2.75 s (medians of 4 interleaved pairs); SQLite alone, 1,600 documents a commit, went from 1.43 s to
        /// 1.08 s. The cost is disk space (a log of up to about 40 MiB beside the file) and a
        /// longer recovery after a crash. Lower it where the log's size matters more.
        ///
        /// ```swift
        /// var configuration = DocumentStore.Configuration()
        /// configuration.walCheckpointPages = 1_000   // SQLite's own default
        /// ```
        public var walCheckpointPages = 10_000
        /// Receives every SQL statement the writer runs (for debugging and tests).
        public var trace: (@Sendable (String) -> Void)?
        /// How long a group commit takes in calls that are waiting. Not public (the package's
        /// tests only): tests that check which calls share a transaction widen it, so a loaded
        /// machine's slow call does not close a group early.
        package var groupCommitWindow = GroupCommitter.defaultMaxDuration

        /// The defaults: database `test` (RethinkDB's default database), a 5-second busy
        /// timeout, a 64 MiB cache, four readers, random v4 keys, no size cap, and a write-ahead
        /// log checkpointed every 10,000 pages.
        ///
        /// Set the properties that should differ on the value it returns.
        ///
        /// ```swift
        /// var configuration = DocumentStore.Configuration()
        /// configuration.generatedKeys = .uuidV7
        /// ```
        public init() {}
    }

    /// The kind of UUID ``Configuration/generatedKeys`` produces, lowercase with dashes.
    ///
    /// ```swift
    /// var configuration = DocumentStore.Configuration()
    /// configuration.generatedKeys = .uuidV7   // e.g. 0190f3c2-7b1e-7a3c-9d2e-5f6a7b8c9d0e
    /// ```
    public enum KeyGeneration: Sendable {
        /// Random (version 4) UUIDs, as RethinkDB generates them: the default, since keys
        /// reveal nothing, and documents written by DocStore and by RethinkDB look alike.
        case uuidV4
        /// Time-ordered (version 7, RFC 9562) UUIDs: 48 bits of Unix milliseconds, a sequence
        /// that keeps keys of the same millisecond in order, then random bits. New keys sort
        /// after old ones, so inserts append to the primary-key index instead of splitting
        /// pages all over it; the cost is that a key shows when its document was created.
        case uuidV7
    }
}
