import DocumentModel
import CSQLite

/// One SQLite connection: the only owner of a `sqlite3*` handle.
///
/// Connections are opened in multi-thread mode (`SQLITE_OPEN_NOMUTEX`): DocStore never shares
/// one between threads at the same time, because each connection is used only from the serial
/// queue that owns it (see `SerialConnection`). That is GRDB's choice too, and it avoids a mutex
/// per C call on the write path.
final class SQLiteConnection {
    let handle: OpaquePointer
    let path: String
    private var statementCache: [String: SQLiteStatement] = [:]
    private var traceBox: Unmanaged<TraceBox>?
    /// The `synchronous` level last set on this connection, so a write pays for the pragma only
    /// when the level actually changes.
    private(set) var synchronous: Synchronous?

    enum Mode: Sendable {
        case readWriteCreate
        case readWrite
    }

    /// The `PRAGMA synchronous` levels DocStore uses: FULL syncs the WAL at every commit (hard
    /// durability), NORMAL leaves it to checkpoints (soft durability).
    enum Synchronous: String, Sendable {
        case off = "OFF"
        case normal = "NORMAL"
        case full = "FULL"
    }

    init(path: String, mode: Mode) throws {
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch mode {
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        }
        if path.hasPrefix("file:") { flags |= SQLITE_OPEN_URI }
        var db: OpaquePointer?
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            // > Whether or not an error occurs when it is opened, resources associated with the
            // > database connection handle should be released by passing it to sqlite3_close().
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close(db)
            throw SQLiteError(extendedCode: code, message: message, sql: nil)
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
        traceBox?.release()
    }

    func error(code: Int32, sql: String?) -> SQLiteError {
        let extended = sqlite3_extended_errcode(handle)
        let message = String(cString: sqlite3_errmsg(handle))
        // sqlite3_errcode can lag behind the returned code after some APIs; trust the code we got.
        let useExtended = (extended & 0xff) == (code & 0xff) ? extended : code
        return SQLiteError(extendedCode: useExtended, message: message, sql: sql)
    }

    /// Runs one or more statements that return no rows (migrations, pragmas, DDL).
    func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if code != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(errorMessage)
            throw SQLiteError(extendedCode: sqlite3_extended_errcode(handle), message: message, sql: sql)
        }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        try SQLiteStatement(connection: self, sql: sql, persistent: false)
    }

    /// A statement prepared once per connection and reused: preparing costs more than running
    /// a point insert.
    func cachedStatement(_ sql: String) throws -> SQLiteStatement {
        if let statement = statementCache[sql] {
            return statement
        }
        let statement = try SQLiteStatement(connection: self, sql: sql, persistent: true)
        statementCache[sql] = statement
        return statement
    }

    /// Drops every cached statement; needed after DDL that a cached statement depends on
    /// (a dropped table), so the next use prepares against the new schema.
    func clearStatementCache() {
        statementCache.removeAll()
    }

    /// The first column of the first row, or nil when the query returns no row.
    func scalar(_ sql: String) throws -> SQLiteValue? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.value(at: 0)
    }

    func scalarInt(_ sql: String) throws -> Int64 {
        if case .integer(let value)? = try scalar(sql) { return value }
        return 0
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes64(handle)) }

    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// Sets `PRAGMA synchronous`, skipping the pragma when the level is already in force.
    /// SQLite refuses to change it inside a transaction, so this must run before `BEGIN`.
    func setSynchronous(_ level: Synchronous) throws {
        guard level != synchronous else { return }
        try execute("PRAGMA synchronous = \(level.rawValue)")
        synchronous = level
    }

    /// Reads the level SQLite really has in force, for checks that must not trust a cache.
    func currentSynchronous() throws -> Synchronous? {
        switch try scalarInt("PRAGMA synchronous") {
        case 0: return .off
        case 1: return .normal
        case 2: return .full
        default: return nil
        }
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so a
    /// busy file waits in `busy_timeout` instead of failing on a lock upgrade mid-transaction.
    /// The first error wins; the rollback's own error never hides it.
    func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            rollbackIfNeeded()
            throw error
        }
    }

    /// Runs `body` in a read transaction, so every statement in it reads the same snapshot
    /// (an index's definition and its entries, say); it only reads, so it ends by rolling back.
    /// Inside a transaction already (a feed reading its initial values in one snapshot),
    /// `body` simply joins it.
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction { return try body() }
        try execute("BEGIN")
        defer { rollbackIfNeeded() }
        return try body()
    }

    /// Rolls back the open transaction, if any. After SQLITE_FULL, SQLITE_IOERR or SQLITE_NOMEM
    /// SQLite may already have rolled back by itself, hence the check.
    func rollbackIfNeeded() {
        if isInTransaction {
            _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
        }
    }

    /// Makes a long query stop at its next step with SQLITE_INTERRUPT; safe from any thread.
    func interrupt() {
        sqlite3_interrupt(handle)
    }

    /// Reports every statement SQLite starts (with `?` placeholders), for tests and debugging.
    func setTrace(_ trace: (@Sendable (String) -> Void)?) {
        traceBox?.release()
        traceBox = nil
        guard let trace else {
            sqlite3_trace_v2(handle, 0, nil, nil)
            return
        }
        let box = Unmanaged.passRetained(TraceBox(trace))
        traceBox = box
        sqlite3_trace_v2(handle, UInt32(SQLITE_TRACE_STMT), { _, context, statement, _ in
            guard let context, let statement else { return 0 }
            let box = Unmanaged<TraceBox>.fromOpaque(context).takeUnretainedValue()
            if let sql = sqlite3_sql(OpaquePointer(statement)) {
                box.trace(String(cString: sql))
            }
            return 0
        }, box.toOpaque())
    }

    private final class TraceBox {
        let trace: @Sendable (String) -> Void
        init(_ trace: @escaping @Sendable (String) -> Void) { self.trace = trace }
    }
}

@available(*, unavailable)
extension SQLiteConnection: Sendable {}
