import DocumentModel
import CSQLite

/// A failure reported by the SQLite C library, with the extended result code and SQLite's own message.
///
/// The store layer turns these into ``DocumentStoreError`` values with the `.storage` code; the
/// result code is kept so callers (and tests) can tell a full disk from a locked file.
struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The extended result code (`SQLITE_FULL`, `SQLITE_IOERR_WRITE`, ...).
    let extendedCode: Int32
    let message: String
    let sql: String?

    var primaryCode: Int32 { extendedCode & 0xff }

    var description: String {
        let name = String(cString: sqlite3_errstr(extendedCode))
        var text = "SQLite error \(extendedCode) (\(name)): \(message)"
        if let sql { text += " [\(sql)]" }
        return text
    }

    var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }
    var isFull: Bool { primaryCode == SQLITE_FULL }
    var isReadOnly: Bool { primaryCode == SQLITE_READONLY }
    var isNotADatabase: Bool { primaryCode == SQLITE_NOTADB }
    var isCantOpen: Bool { primaryCode == SQLITE_CANTOPEN }
    var isIOError: Bool { primaryCode == SQLITE_IOERR }
}
