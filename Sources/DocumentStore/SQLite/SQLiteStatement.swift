import DocumentModel
import CSQLite

/// One prepared statement. It is finalized when the last reference goes away, so no early
/// exit can leak it (sqlite-nio's struct-without-deinit needs every path audited by hand).
///
/// Not Sendable: a statement belongs to its connection, which belongs to one queue.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private unowned let connection: SQLiteConnection
    let sql: String

    init(connection: SQLiteConnection, sql: String, persistent: Bool) throws {
        self.connection = connection
        self.sql = sql
        var statement: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sqlite3_prepare_v3(connection.handle, sql, -1, flags, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw connection.error(code: code, sql: sql)
        }
        self.handle = statement
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Resets the statement and clears its bindings, so no borrowed buffer stays bound.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func bindNull(_ index: Int32) {
        sqlite3_bind_null(handle, index)
    }

    func bind(_ value: Int64, at index: Int32) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ value: Double, at index: Int32) {
        sqlite3_bind_double(handle, index, value)
    }

    func bind(_ value: String, at index: Int32) {
        var value = value
        value.withUTF8 { bytes in
            bindText(UnsafeRawBufferPointer(bytes), at: index)
        }
    }

    /// Binds UTF-8 text that SQLite copies (the buffer may be reused at once).
    func bindText(_ bytes: UnsafeRawBufferPointer, at index: Int32) {
        sqlite3_bind_text64(
            handle, index, Self.textPointer(bytes), UInt64(bytes.count), docstore_sqlite_transient(), UInt8(SQLITE_UTF8))
    }

    /// Binds UTF-8 text without copying. The caller keeps the buffer alive and unchanged
    /// until the statement is stepped and reset: this is the write path's zero-copy bind.
    func bindTextNoCopy(_ bytes: UnsafeRawBufferPointer, at index: Int32) {
        sqlite3_bind_text64(
            handle, index, Self.textPointer(bytes), UInt64(bytes.count), docstore_sqlite_static(), UInt8(SQLITE_UTF8))
    }

    private static let emptyText: StaticString = ""

    /// A NULL pointer would bind SQL NULL, so empty text points at a static empty string.
    private static func textPointer(_ bytes: UnsafeRawBufferPointer) -> UnsafePointer<CChar> {
        let pointer = bytes.baseAddress ?? UnsafeRawPointer(emptyText.utf8Start)
        return pointer.assumingMemoryBound(to: CChar.self)
    }

    func bindBlob(_ bytes: UnsafeRawBufferPointer, at index: Int32) {
        sqlite3_bind_blob64(handle, index, bytes.baseAddress ?? UnsafeRawPointer(Self.emptyText.utf8Start), UInt64(bytes.count),
                            docstore_sqlite_transient())
    }

    func bind(_ value: SQLiteValue, at index: Int32) {
        switch value {
        case .null: bindNull(index)
        case .integer(let v): bind(v, at: index)
        case .real(let v): bind(v, at: index)
        case .text(let v): bind(v, at: index)
        case .blob(let bytes): bytes.withUnsafeBytes { bindBlob($0, at: index) }
        }
    }

    /// Steps once: `true` when a row is ready, `false` when the statement is done.
    @discardableResult
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = connection.error(code: code, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Runs the statement to completion, for statements that return no rows.
    func run() throws {
        defer { reset() }
        while try step() {}
    }

    func columnType(_ index: Int32) -> SQLiteValue.Kind {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer
        case SQLITE_FLOAT: return .real
        case SQLITE_TEXT: return .text
        case SQLITE_BLOB: return .blob
        default: return .null
        }
    }

    func int64(at index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }
    func double(at index: Int32) -> Double { sqlite3_column_double(handle, index) }

    func string(at index: Int32) -> String {
        withBytes(at: index) { String(decoding: $0, as: UTF8.self) }
    }

    func bytes(at index: Int32) -> [UInt8] {
        withBytes(at: index) { Array($0) }
    }

    /// Lends the column's bytes (text or blob) without copying; valid only inside `body`.
    func withBytes<R>(at index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let isBlob = sqlite3_column_type(handle, index) == SQLITE_BLOB
        let pointer = isBlob ? sqlite3_column_blob(handle, index) : UnsafeRawPointer(sqlite3_column_text(handle, index))
        let count = Int(sqlite3_column_bytes(handle, index))
        guard let pointer, count > 0 else {
            return try body(UnsafeBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeBufferPointer(start: pointer.assumingMemoryBound(to: UInt8.self), count: count))
    }

    func value(at index: Int32) -> SQLiteValue {
        switch columnType(index) {
        case .null: return .null
        case .integer: return .integer(int64(at: index))
        case .real: return .real(double(at: index))
        case .text: return .text(string(at: index))
        case .blob: return .blob(bytes(at: index))
        }
    }
}

@available(*, unavailable)
extension SQLiteStatement: Sendable {}

/// A value as SQLite stores it: its five storage classes.
enum SQLiteValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    enum Kind: Sendable { case null, integer, real, text, blob }
}
