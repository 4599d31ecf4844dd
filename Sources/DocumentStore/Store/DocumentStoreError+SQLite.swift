import DocumentModel

extension DocumentStoreError {
    /// Wraps a SQLite failure in words that say what to do about it.
    init(_ error: SQLiteError, while action: String) {
        let code: Code = error.isBusy ? .busy : .storage
        var message = "Could not \(action): \(error.message)"
        if error.isFull {
            message += " (the disk or the database's size limit is full; free space and retry, nothing was written)"
        } else if error.isReadOnly {
            message += " (the database file or its directory is read-only)"
        } else if error.isCantOpen {
            // A WAL file needs its -wal and -shm companions beside it, so a read-only disk or
            // directory shows up here rather than as SQLITE_READONLY.
            message += " (the file, its -wal or -shm companion or its directory cannot be opened for writing: check that the directory exists, the permissions, and that the disk is not mounted read-only)"
        } else if error.isIOError {
            message += " (the disk refused the write: check that the file is writable and the disk healthy; nothing was written)"
        } else if error.isBusy {
            message += " (another connection held the write lock past the busy timeout; retry, or raise the timeout)"
        }
        self.init(code, message, sqliteCode: error.extendedCode)
    }

    /// The document table a failed statement named that SQLite does not have ("no such table:
    /// marvel"), nil for other failures and for DocStore's own tables (their names hold a `$`).
    var missingTable: String? {
        guard let code = sqliteCode, code & 0xff == 1, let range = message.firstRange(of: "no such table: ") else {
            return nil
        }
        let name = String(message[range.upperBound...])
        return name.contains("$") || name.contains(" ") ? nil : name
    }
}
