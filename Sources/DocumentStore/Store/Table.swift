import DocumentModel
/// A document table of a ``DocumentStore``: where documents are inserted, read and changed.
///
/// A `Table` is a cheap handle (the store and a name); get one with ``DocumentStore/table(_:)``
/// and keep it or make a new one each time. The table itself is looked up when it is used.
///
/// ```swift
/// let marvel = store.table("marvel")
/// try await marvel.insert(["id": "iron-man", "superhero": "Iron Man"])
/// let hero = try await marvel.get("iron-man")
/// ```
public struct Table: Sendable {
    public let store: DocumentStore
    public let name: String

    init(store: DocumentStore, name: String) {
        self.store = store
        self.name = name
    }

    /// The field that holds each document's primary key (`id` unless the table was created
    /// with another).
    public func primaryKey() async throws -> String {
        try await store.tableInfo(name).primaryKey
    }

    /// RethinkDB's `config()`: the table's name, primary key, durability and id.
    public func config() async throws -> TableConfig {
        try await store.tableInfo(name).config(database: store.configuration.databaseName)
    }

    /// Runs `body` with the table's definition; if the writer finds the definition stale
    /// (another process dropped and recreated the table), reloads it and runs `body` again.
    func withInfo<T>(_ body: (TableInfo) async throws -> T) async throws -> T {
        do {
            return try await body(store.tableInfo(name))
        } catch is StaleTableInfo {
            store.forgetTableInfo(name)
            return try await body(store.tableInfo(name))
        }
    }
}

/// The writer found that the catalog no longer matches the definition a call was prepared with.
struct StaleTableInfo: Error {}
