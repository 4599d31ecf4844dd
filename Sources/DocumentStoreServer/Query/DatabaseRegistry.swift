import DocumentStore
import Foundation
import Logging
import ReQL
import Synchronization

/// The server's databases: one SQLite file per RethinkDB database in the data directory
/// (`<dir>/<name>.sqlite`), each opened once as a ``DocumentStore`` and shared by every
/// connection. `test` is created on first start, as RethinkDB creates it.
final class DatabaseRegistry: Sendable {
    let directory: String
    private let stores = Mutex<[String: DocumentStore]>([:])
    /// The databases' ids, kept across renames.
    let ids: DatabaseIDs
    /// The tables' shard counts, as clients set them.
    let shards: TableShards
    /// Tables (`db.table`) whose change log this server has seen on: feeds may be opened on any
    /// table, so the server switches each one's log on when it first uses it.
    private let changeLogged = Mutex<Set<String>>([])
    private let logger: Logger

    init(directory: String, logger: Logger) throws {
        self.directory = directory
        self.logger = logger
        ids = DatabaseIDs(directory: directory)
        shards = TableShards(directory: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if try !exists("test") {
            _ = try open("test", create: true)
            logger.info("created the default database `test`")
        }
    }

    func path(_ name: String) -> String {
        (directory as NSString).appendingPathComponent("\(name).sqlite")
    }

    func exists(_ name: String) throws -> Bool {
        if stores.withLock({ $0[name] != nil }) { return true }
        return FileManager.default.fileExists(atPath: path(name))
    }

    /// The store of an existing database, or RethinkDB's "does not exist" error.
    func store(_ name: String) throws(ReqlError) -> DocumentStore {
        try Self.validate(name)
        if let store = stores.withLock({ $0[name] }) { return store }
        guard FileManager.default.fileExists(atPath: path(name)) else {
            throw .runtime(.opFailed, "Database `\(name)` does not exist.")
        }
        do {
            return try open(name, create: false)
        } catch {
            throw ReqlError(error)
        }
    }

    private func open(_ name: String, create: Bool) throws -> DocumentStore {
        try stores.withLock { stores in
            if let store = stores[name] { return store }
            // Checked under the lock a rename holds, so a database renamed meanwhile is not
            // opened again (as a new, empty file) under its old name.
            if !create, !FileManager.default.fileExists(atPath: path(name)) {
                throw ReqlError.runtime(.opFailed, "Database `\(name)` does not exist.")
            }
            var configuration = DocumentStore.Configuration()
            configuration.databaseName = name
            let store = try DocumentStore(path: path(name), configuration: configuration)
            stores[name] = store
            return store
        }
    }

    func create(_ name: String) throws(ReqlError) -> Document {
        try Self.validate(name)
        if (try? exists(name)) == true {
            throw .runtime(.opFailed, "Database `\(name)` already exists.")
        }
        do {
            try ids.created(name)
            _ = try open(name, create: true)
        } catch {
            throw ReqlError(error)
        }
        logger.info("created database `\(name)`")
        return ["dbs_created": 1, "config_changes": [["old_val": .null, "new_val": ["id": .string(id(of: name)), "name": .string(name)]]]]
    }

    /// Forgets a database and removes its files; `tableCount` is what the result reports.
    func drop(_ name: String, tableCount: Int) -> Document {
        let id = id(of: name)
        stores.withLock { _ = $0.removeValue(forKey: name) }
        try? ids.dropped(name)
        forgetChangeLog(name)
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: path(name) + suffix)
        }
        logger.info("dropped database `\(name)`")
        return ["dbs_dropped": 1, "tables_dropped": .number(Double(tableCount)),
                "config_changes": [["old_val": ["id": .string(id), "name": .string(name)], "new_val": .null]]]
    }

    /// Renames a database, as writing `name` in RethinkDB's `db_config` does: its file and its
    /// `-wal`/`-shm` companions, with its id kept. The store is closed first (every connection
    /// of it), so no connection goes on writing through the old name. Work that still holds it
    /// (the last query's cursor being released, a change-log trim) is given two seconds to
    /// end; one that holds it longer (an open change feed) makes the rename fail, changing
    /// nothing. Runs on a query thread, which may wait.
    func rename(_ name: String, to newName: String) throws(ReqlError) {
        try Self.validate(newName)
        let conflict = "Cannot rename database `\(name)` to `\(newName)` because database `\(newName)` already exists."
        guard newName != SystemDatabase.name else { throw .runtime(.opFailed, conflict) }
        let deadline = ContinuousClock.now + .seconds(2)
        do {
            while try !moveFiles(name, to: newName, conflict: conflict, waiting: ContinuousClock.now < deadline) {
                Thread.sleep(forTimeInterval: 0.02)
            }
            try ids.renamed(name, to: newName)
        } catch {
            throw ReqlError(error)
        }
        changeLogged.withLock { names in
            names = Set(names.map { $0.hasPrefix("\(name).") ? newName + $0.dropFirst(name.count) : $0 })
        }
        logger.info("renamed database `\(name)` to `\(newName)`")
    }

    /// One try of a rename: false when the store is in use and `waiting` allows another try.
    private func moveFiles(_ name: String, to newName: String, conflict: String, waiting: Bool) throws -> Bool {
        let files = FileManager.default
        return try stores.withLock { stores in
            if stores[newName] != nil || files.fileExists(atPath: path(newName)) { throw ReqlError.runtime(.opFailed, conflict) }
            guard stores[name] != nil || files.fileExists(atPath: path(name)) else {
                throw ReqlError.runtime(.opFailed, "Database `\(name)` does not exist.")
            }
            if var store = stores.removeValue(forKey: name) {
                // Released here if nobody else holds it: its connections close with it.
                guard isKnownUniquelyReferenced(&store) else {
                    stores[name] = store
                    if waiting { return false }
                    throw ReqlError.runtime(.opFailed, "Database `\(name)` cannot be renamed while it is in use (an open change feed, "
                        + "a running query or an index build holds it); close its feeds and retry.")
                }
            }
            for suffix in ["", "-wal", "-shm"] where files.fileExists(atPath: path(name) + suffix) {
                try files.moveItem(atPath: path(name) + suffix, toPath: path(newName) + suffix)
            }
            return true
        }
    }

    func list() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var names = Set(files.filter { $0.hasSuffix(".sqlite") }.map { String($0.dropLast(7)) })
        names.formUnion(stores.withLock { Array($0.keys) })
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The id of a database's config object (RethinkDB shows a UUID there): the one made from
    /// its name, or, for a renamed database, the one it had before (``DatabaseIDs``).
    func id(of name: String) -> String {
        ids.id(of: name)
    }

    /// The id made from a name: a database's unless it was renamed, and the system tables'.
    static func id(_ name: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let hex = String(hash, radix: 16).leftPadded(to: 16)
        return "\(hex.prefix(8))-\(hex.dropFirst(8).prefix(4))-4\(hex.dropFirst(13).prefix(3))-8\(hex.prefix(3))-\(hex.suffix(12))"
    }

    /// RethinkDB's rule for database names: the library's rule for table names, which is the
    /// same, worded for a database.
    static func validate(_ name: String) throws(ReqlError) {
        do {
            try TableInfo.validateCharacters(of: name, kind: "Database")
        } catch {
            throw ReqlError(error)
        }
    }

    func needsChangeLog(_ database: String, _ table: String) -> Bool {
        !changeLogged.withLock { $0.contains("\(database).\(table)") }
    }

    func markChangeLog(_ database: String, _ table: String) {
        _ = changeLogged.withLock { $0.insert("\(database).\(table)") }
    }

    /// A table dropped (or its database): one created again under the name is checked anew.
    func forgetChangeLog(_ database: String, _ table: String? = nil) {
        changeLogged.withLock { names in
            if let table {
                names.remove("\(database).\(table)")
            } else {
                names = names.filter { !$0.hasPrefix("\(database).") }
            }
        }
    }

    func closeAll() {
        stores.withLock { $0.removeAll() }
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
