import DocumentStore
import Foundation
import ReQL
import Synchronization

/// The shard count of each table, as RethinkDB's `reconfigure(shards:)` and `table_config`
/// writes set it and `table_config`, `table_status` and `config()` show it.
///
/// RethinkDB splits a table into shards by key range, and on one server every shard lives on
/// that server's disk; DocStore keeps a table in one SQLite B-tree whatever its count, so the
/// count changes nothing of how the table is stored or read. It is recorded so that what a
/// client or tool sets is what it reads back (RethinkDB's `table_status` feed reports the
/// change), in `table-shards.json` in the data directory, by table id, which a rename keeps:
/// `{"<table id>": 3}`. Tables at one shard have no entry, so files made by older servers
/// need none.
///
/// ```swift
/// let shards = TableShards(directory: dataDirectory)
/// try shards.set(3, for: config.id, table: "test.marvel")
/// shards.count(of: config.id)   // 3
/// ```
final class TableShards: Sendable {
    static let fileName = "table-shards.json"

    private let file: String
    private let counts: Mutex<[String: Int]>

    init(directory: String) {
        file = (directory as NSString).appendingPathComponent(Self.fileName)
        var stored: [String: Int] = [:]
        if let data = FileManager.default.contents(atPath: file), let object = (try? Document(parsing: [UInt8](data)))?.objectValue {
            for (id, count) in object {
                if case .number(let value) = count, value >= 1, value <= 64, value == value.rounded() { stored[id] = Int(value) }
            }
        }
        counts = Mutex(stored)
    }

    /// The table's shard count: 1 unless one was set.
    func count(of tableID: String) -> Int {
        counts.withLock { $0[tableID] } ?? 1
    }

    /// Records the table's shard count (atomically: a crash leaves the old file or the new);
    /// `table` (`db.name`) names it in the error a failed write of the file gives.
    func set(_ count: Int, for tableID: String, table: String) throws(ReqlError) {
        do {
            try counts.withLock { counts in
                var next = counts
                next[tableID] = count == 1 ? nil : count
                guard next != counts else { return }
                let object = DocumentObject(uniqueKeysWithValues: next.sorted { $0.key < $1.key }.map { ($0.key, Document.number(Double($0.value))) })
                try Data(Document.object(object).jsonString.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
                counts = next
            }
        } catch {
            throw .runtime(.opFailed, "Could not record the shard count of table `\(table)`: \(error)")
        }
    }
}
