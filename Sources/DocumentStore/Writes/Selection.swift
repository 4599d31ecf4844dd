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
    /// The table the selected documents are in.
    ///
    /// ```swift
    /// marvel.document("Iron Man").table.name   // "marvel"
    /// ```
    public let table: Table
    let target: Target

    enum Target: Sendable {
        case key(Document)
        case keys([Document])
        case all
    }

    /// The selection's documents (missing keys are left out).
    ///
    /// Keys are read one `get` at a time, in the order given; the whole table is read a page
    /// at a time but returned as one array, so prefer ``Table/documents(pageSize:)`` for a
    /// large table.
    ///
    /// ```swift
    /// let gods = try await marvel.getAll("Thor", "Loki").values()
    /// ```
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
    ///
    /// For the whole table it is SQL's `count(*)`; for keys, the number of them present.
    ///
    /// ```swift
    /// try await marvel.getAll("Thor", "Nobody").count()   // 1
    /// ```
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
    ///
    /// ```swift
    /// try await marvel.document("Iron Man").update(["age": 49])
    /// ```
    public func document(_ key: Document) -> Selection {
        Selection(table: self, target: .key(key))
    }

    /// The documents with these keys, RethinkDB's `get_all`; keys that are not there are left out.
    ///
    /// ```swift
    /// try await marvel.getAll("Thor", "Loki").update(["team": "Asgard"])
    /// ```
    public func getAll(_ keys: Document...) -> Selection {
        Selection(table: self, target: .keys(keys))
    }

    /// The documents with these keys; see ``getAll(_:)-(Document...)``.
    public func getAll(_ keys: [Document]) -> Selection {
        Selection(table: self, target: .keys(keys))
    }

    /// Every document of the table, as a selection to change.
    ///
    /// ```swift
    /// try await marvel.all.update { _ in ["checked": true] }
    /// ```
    public var all: Selection {
        Selection(table: self, target: .all)
    }
}
