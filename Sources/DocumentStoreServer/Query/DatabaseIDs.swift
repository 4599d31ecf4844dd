import DocumentStore
import Foundation
import Synchronization

/// The ids of the server's databases, which `db_config`, `identifier_format: "uuid"` and
/// `rethinkdb.permissions` keys show, and which must stay the same when a database is renamed
/// (RethinkDB's grants and clients follow the id, not the name).
///
/// A database's id is made from its name (``DatabaseRegistry/id(_:)``), so nothing need be
/// stored for a database that was never renamed: files made by older servers keep the ids they
/// had. A rename records the id it keeps in `database-ids.json` in the data directory
/// (`{"heroes": "<the id of marvel>"}`); a database created later under a name whose made id
/// is taken by a renamed one gets a random id, recorded too.
///
/// ```swift
/// let ids = DatabaseIDs(directory: dataDirectory)
/// let id = ids.id(of: "marvel")
/// try ids.renamed("marvel", to: "heroes")
/// ids.id(of: "heroes") == id   // true
/// ```
final class DatabaseIDs: Sendable {
    static let fileName = "database-ids.json"

    private let file: String
    private let recorded: Mutex<[String: String]>

    init(directory: String) {
        file = (directory as NSString).appendingPathComponent(Self.fileName)
        var stored: [String: String] = [:]
        if let data = FileManager.default.contents(atPath: file), let object = (try? Document(parsing: [UInt8](data)))?.objectValue {
            for (name, id) in object { stored[name] = id.stringValue }
        }
        recorded = Mutex(stored)
    }

    /// The database's id: the one recorded for it, else the one made from its name.
    func id(of name: String) -> String {
        recorded.withLock { $0[name] } ?? DatabaseRegistry.id(name)
    }

    /// A database is being created: it gets the id made from its name unless a renamed
    /// database has that id, in which case a new one is recorded.
    func created(_ name: String) throws {
        try update { ids in
            let made = DatabaseRegistry.id(name)
            ids[name] = ids.values.contains(made) ? UUID().uuidString.lowercased() : nil
        }
    }

    /// The database `name` is now called `newName` and keeps its id.
    func renamed(_ name: String, to newName: String) throws {
        try update { ids in
            let id = ids[name] ?? DatabaseRegistry.id(name)
            ids[name] = nil
            ids[newName] = id == DatabaseRegistry.id(newName) ? nil : id
        }
    }

    /// The database is gone: its id with it.
    func dropped(_ name: String) throws {
        try update { ids in ids[name] = nil }
    }

    /// Changes the record and writes it (atomically: a crash leaves the old file or the new).
    private func update(_ change: (inout [String: String]) -> Void) throws {
        try recorded.withLock { ids in
            var next = ids
            change(&next)
            guard next != ids else { return }
            let object = DocumentObject(uniqueKeysWithValues: next.sorted { $0.key < $1.key }.map { ($0.key, Document.string($0.value)) })
            try Data(Document.object(object).jsonString.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
            ids = next
        }
    }
}
