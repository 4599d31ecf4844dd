import DocumentModel
import Foundation
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
    /// The store the table is in; every call on the table goes through it.
    ///
    /// ```swift
    /// let marvel = store.table("marvel")
    /// marvel.store === store   // true
    /// ```
    public let store: DocumentStore
    /// The table's name, as given to ``DocumentStore/table(_:)``; RethinkDB's `table(name)`.
    ///
    /// The name is not checked when the handle is made: a call on a table that does not exist
    /// throws "Table \`test.marvel\` does not exist.", as RethinkDB does when the query runs.
    ///
    /// ```swift
    /// store.table("marvel").name   // "marvel"
    /// ```
    public let name: String
    /// Whether this handle's writes skip the table's write hook (``ignoringWriteHook``).
    var ignoresWriteHook = false
    /// The instant this handle's writes give the write hook as `ctx.timestamp`
    /// (``writeHookTimestamp(_:)``); nil: each write call's own.
    var hookTimestamp: Date?

    init(store: DocumentStore, name: String) {
        self.store = store
        self.name = name
    }

    /// The field that holds each document's primary key (`id` unless the table was created
    /// with another).
    ///
    /// ```swift
    /// let keyField = try await users.primaryKey()   // "email"
    /// ```
    public func primaryKey() async throws -> String {
        try await store.tableInfo(name).primaryKey
    }

    /// RethinkDB's `config()`: the table's name, primary key, durability, id and indexes.
    ///
    /// ```swift
    /// let config = try await marvel.config()
    /// config.document.jsonString   // {"db":"test","durability":"hard","id":"…","indexes":["team"],...}
    /// ```
    public func config() async throws -> TableConfig {
        var config = try await store.tableInfo(name).config(database: store.configuration.databaseName)
        config.indexes = try await indexList()
        return config
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
