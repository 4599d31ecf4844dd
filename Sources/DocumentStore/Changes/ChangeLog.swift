import DocumentModel

/// Whether a table's writes record their changes, which is what change feeds read.
///
/// With the log on, every write to the table (insert in any conflict mode, update, replace,
/// delete, import) records each document it changed, the document before and after, in the
/// same transaction as the write, numbered in commit order. A feed reads those records: in
/// this process or any other that opens the file, live or from a sequence number after a
/// restart. A write that is rolled back (or that a crash interrupts) leaves no record.
///
/// ```swift
/// try await store.tableCreate("orders", changeLog: .on())                    // keeps the default
/// try await store.table("audit").setChangeLog(.on(.age(seconds: 7 * 86_400)))
/// try await store.table("scratch").setChangeLog(.off)
/// ```
///
/// The log costs a second row per changed document; leave it off for tables no feed follows.
public enum ChangeLog: Sendable, Equatable {
    /// Writes record nothing; the table has no feeds.
    case off
    /// Writes record their changes, and the log keeps what the retention says.
    case on(ChangeRetention = .default)

    /// Whether the log is on.
    ///
    /// ```swift
    /// ChangeLog.on().isOn   // true
    /// ```
    public var isOn: Bool {
        if case .on = self { return true }
        return false
    }

    /// The retention, nil when the log is off.
    var retention: ChangeRetention? {
        if case .on(let retention) = self { return retention }
        return nil
    }

    func validate() throws {
        try retention?.validate()
    }
}

/// How many changes a table's log keeps: the newest N, those younger than an age, or both
/// limits at once (a change goes when either says so).
///
/// Retention is applied after writes, in small deletes of their own, so trimming never holds
/// the write lock for long. A feed resuming from a sequence the retention has removed gets an
/// error naming the oldest sequence kept, never a silent gap.
///
/// ```swift
/// ChangeRetention.count(50_000)
/// ChangeRetention.age(seconds: 3_600)
/// ChangeRetention(maxCount: 50_000, maxAge: 3_600)
/// ```
public struct ChangeRetention: Sendable, Equatable {
    /// Keep at most this many changes of the table (nil: no limit by count).
    public let maxCount: Int?
    /// Keep changes younger than this many seconds (nil: no limit by age).
    public let maxAge: Double?

    /// A retention by count, age or both; nil for a limit that does not apply.
    ///
    /// ```swift
    /// let retention = ChangeRetention(maxCount: 10_000, maxAge: 86_400)
    /// ```
    public init(maxCount: Int?, maxAge: Double?) {
        self.maxCount = maxCount
        self.maxAge = maxAge
    }

    /// Keep the newest `n` changes of the table.
    ///
    /// ```swift
    /// try await store.tableCreate("events", changeLog: .on(.count(10_000)))
    /// ```
    public static func count(_ n: Int) -> ChangeRetention {
        ChangeRetention(maxCount: n, maxAge: nil)
    }

    /// Keep the changes made in the last `seconds`.
    ///
    /// ```swift
    /// try await store.tableCreate("events", changeLog: .on(.age(seconds: 86_400)))
    /// ```
    public static func age(seconds: Double) -> ChangeRetention {
        ChangeRetention(maxCount: nil, maxAge: seconds)
    }

    /// The newest 100,000 changes of each table: as many as RethinkDB's default
    /// `changefeed_queue_size` lets a feed fall behind, so a feed that may be that far behind
    /// in memory may also be that far behind across a restart.
    ///
    /// ```swift
    /// ChangeLog.on() == .on(.default)   // true
    /// ```
    public static let `default` = ChangeRetention.count(100_000)

    func validate() throws {
        if let maxCount, maxCount < 1 {
            throw DocumentStoreError(.queryLogic, "A change log must keep at least 1 change (got a count of \(maxCount)).")
        }
        if let maxAge, !(maxAge > 0) || !maxAge.isFinite {
            throw DocumentStoreError(.queryLogic, "A change log's age limit must be a positive number of seconds (got \(maxAge)).")
        }
    }
}

extension ChangeLog {
    /// Binds `change_log, change_keep_count, change_keep_seconds` at `first`, `first + 1`, `first + 2`.
    func bind(to statement: SQLiteStatement, from first: Int32) {
        statement.bind(Int64(isOn ? 1 : 0), at: first)
        if let count = retention?.maxCount { statement.bind(Int64(count), at: first + 1) } else { statement.bindNull(first + 1) }
        if let age = retention?.maxAge { statement.bind(age, at: first + 2) } else { statement.bindNull(first + 2) }
    }

    /// The log as the catalog columns `change_log, change_keep_count, change_keep_seconds` at
    /// `first` hold it.
    init(catalog statement: SQLiteStatement, from first: Int32) {
        guard statement.int64(at: first) == 1 else {
            self = .off
            return
        }
        let count = statement.columnType(first + 1) == .null ? nil : Int(statement.int64(at: first + 1))
        let age = statement.columnType(first + 2) == .null ? nil : statement.double(at: first + 2)
        self = .on(ChangeRetention(maxCount: count, maxAge: age))
    }
}
