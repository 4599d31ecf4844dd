import DocumentModel
/// Documents of a table chosen for reading or changing: one key (RethinkDB's `get`), several
/// keys (`get_all`), or the whole table.
///
/// ```swift
/// let ironMan = marvel.document("Iron Man")        // table.get("Iron Man")
/// try await ironMan.update(["age": 49])
/// try await marvel.getAll("Thor", "Loki").delete()
/// try await marvel.update(["checked": true])     // every document
/// ```
///
/// Each write runs in one transaction; every document gets its own outcome (replaced,
/// unchanged, deleted, skipped or an error), counted in one ``WriteResult``.
public struct Selection: Sendable {
    public let table: Table
    let target: Target

    enum Target: Sendable {
        case key(Document)
        case keys([Document])
        case all
    }

    /// The selection's documents (missing keys are left out).
    public func values() async throws -> [Document] {
        switch target {
        case .key(let key):
            return try await table.get(key).map { [$0] } ?? []
        case .keys(let keys):
            var documents: [Document] = []
            for key in keys {
                if let document = try await table.get(key) { documents.append(document) }
            }
            return documents
        case .all:
            var documents: [Document] = []
            for try await document in table.documents() { documents.append(document) }
            return documents
        }
    }

    /// How many documents the selection holds.
    public func count() async throws -> Int {
        switch target {
        case .all: return try await table.count()
        default: return try await values().count
        }
    }
}

extension Table {
    /// The document with this key, to change it: RethinkDB's `table.get(key)` as a selection.
    /// A missing document counts as `skipped` in writes.
    public func document(_ key: Document) -> Selection {
        Selection(table: self, target: .key(key))
    }

    /// The documents with these keys, RethinkDB's `get_all`; keys that are not there are left out.
    public func getAll(_ keys: Document...) -> Selection {
        Selection(table: self, target: .keys(keys))
    }

    /// The documents with these keys; see ``getAll(_:)-(Document...)``.
    public func getAll(_ keys: [Document]) -> Selection {
        Selection(table: self, target: .keys(keys))
    }

    /// Every document of the table, as a selection to change.
    public var all: Selection {
        Selection(table: self, target: .all)
    }
}
