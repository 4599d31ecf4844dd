import DocumentModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// Checks that a file is DocStore's (or new), sets the connection up, and applies the numbered
/// migrations from `migrations/` that the file has not had yet, tracked by `PRAGMA user_version`.
///
/// The SQL files are embedded in the library at build time (`.embedInCode`), so nothing is read
/// from disk at run time and a deployed binary carries its schema with it.
struct Migrator {
    let path: String

    /// The migrations in order; version N is the Nth file. `then` is what a migration does
    /// that SQL alone cannot, run after its file in the same transaction.
    static let migrations: [(version: Int32, name: String, sql: [UInt8], then: (@Sendable (SQLiteConnection) throws -> Void)?)] = [
        (1, "0001_catalog.sql", PackageResources._001_catalog_sql, nil),
        (2, "0002_indexes.sql", PackageResources._002_indexes_sql, nil),
        (3, "0003_changes.sql", PackageResources._003_changes_sql, nil),
        (4, "0004_write_hooks.sql", PackageResources._004_write_hooks_sql, nil),
        // The tables logged before it get their link column: one statement per table.
        (5, "0005_change_links.sql", PackageResources._005_change_links_sql, ChangeLogStorage.linkLoggedTables),
    ]

    static var latestVersion: Int32 { migrations.last?.version ?? 0 }

    func prepare(_ connection: SQLiteConnection, isMemory: Bool, cacheSizeKiB: Int, busyTimeout: Duration = .seconds(5)) throws {
        do {
            // SQLite answers some lock races at open without its busy handler (switching a new
            // file to WAL while another process reads its header, a WAL being reset as the last
            // connection closes), so the whole preparation is retried until the busy timeout.
            let deadline = ContinuousClock.now + busyTimeout
            while true {
                do {
                    try prepareOnce(connection, isMemory: isMemory, cacheSizeKiB: cacheSizeKiB)
                    return
                } catch let error as SQLiteError where error.isBusy && ContinuousClock.now < deadline {
                    connection.rollbackIfNeeded()
                    usleep(10_000)
                }
            }
        } catch let error as SQLiteError {
            if error.isNotADatabase {
                throw DocumentStoreError(.notADocStoreFile, "The file `\(path)` is not a SQLite database, so it is not a DocStore one; DocStore left it unchanged. Open another path.", sqliteCode: error.extendedCode)
            }
            throw DocumentStoreError(error, while: "prepare the database `\(path)`")
        }
    }

    private func prepareOnce(_ connection: SQLiteConnection, isMemory: Bool, cacheSizeKiB: Int) throws {
        // Identify the file before changing anything in it (journal mode included).
        try check(connection)
        if !isMemory {
            try connection.execute("PRAGMA journal_mode = WAL")
        }
        try connection.execute("PRAGMA cache_size = -\(cacheSizeKiB)")
        try migrate(connection)
    }

    private func check(_ connection: SQLiteConnection) throws {
        // One read transaction for the three reads: another process may be creating the file
        // right now, and reading its header before and its schema after that commit would
        // take a fresh DocStore file for somebody else's.
        try connection.execute("BEGIN")
        defer { connection.rollbackIfNeeded() }
        let applicationID = Int32(truncatingIfNeeded: try connection.scalarInt("PRAGMA application_id"))
        let version = Int32(truncatingIfNeeded: try connection.scalarInt("PRAGMA user_version"))
        if applicationID == DocumentStore.applicationID {
            if version > Self.latestVersion {
                throw DocumentStoreError(.newerSchema, "The file `\(path)` has DocStore schema version \(version), newer than this DocStore knows (\(Self.latestVersion)); DocStore left it unchanged. Upgrade DocStore to open it.")
            }
            return
        }
        let objects = try connection.scalarInt("SELECT count(*) FROM sqlite_master")
        if applicationID != 0 || version != 0 || objects != 0 {
            throw DocumentStoreError(.notADocStoreFile, "The file `\(path)` is a SQLite database of another application (application_id \(applicationID), \(objects) schema objects), not a DocStore one; DocStore left it unchanged. Open another path.")
        }
    }

    private func migrate(_ connection: SQLiteConnection) throws {
        guard try connection.scalarInt("PRAGMA user_version") < Self.latestVersion else { return }
        try connection.writeTransaction {
            // Another process may have migrated between the check and the lock.
            let current = Int32(truncatingIfNeeded: try connection.scalarInt("PRAGMA user_version"))
            for migration in Self.migrations where migration.version > current {
                try connection.execute(String(decoding: migration.sql, as: UTF8.self))
                try migration.then?(connection)
            }
            try connection.execute("PRAGMA application_id = \(DocumentStore.applicationID); PRAGMA user_version = \(Self.latestVersion)")
        }
    }
}
