import Foundation
import DocumentModel

extension Table {
    /// Sets the table's write hook, or with nil removes it, RethinkDB's `set_write_hook`.
    ///
    /// The hook is stored in the file with the table, in a catalog transaction of its own:
    /// writes that start after this call (in any process) apply it to each document
    /// they change, inside their own transaction, before the document is checked, indexed and
    /// logged. A write already running keeps the hook it started with.
    ///
    /// ```swift
    /// let stamp = try WriteHook(reql: try Document(parsing: #"[69,[[2,[1,2,3]],[35,[[10,[3]],{"modified_at":[170,[[10,[1]],"timestamp"]]}]]]]"#))
    /// try await posts.setWriteHook(stamp)       // .created, RethinkDB's {"created": 1}
    /// try await posts.setWriteHook(stamp)       // .replaced
    /// try await posts.setWriteHook(nil)         // .deleted (also when there was none)
    /// ```
    ///
    /// - Returns: RethinkDB's answer: ``WriteHookChange/created`` when the table had no hook,
    ///   ``WriteHookChange/replaced`` when it had one, ``WriteHookChange/deleted`` for nil.
    /// - Throws: `DocumentStoreError` "Table \`test.posts\` does not exist." (`.opFailed`).
    @discardableResult
    public func setWriteHook(_ hook: WriteHook?) async throws -> WriteHookChange {
        let database = store.configuration.databaseName
        let name = self.name
        let (info, change) = try await store.writer.run { connection in
            try DocumentStore.catalogWrite(connection, action: "set the write hook of table `\(name)`") { () throws -> (TableInfo, WriteHookChange) in
                guard let info = try DocumentStore.lookUp(connection, name: name, caseInsensitive: false) else {
                    throw DocumentStoreError.tableDoesNotExist(database, name)
                }
                try WriteHook.store(hook, table: name, connection)
                let change: WriteHookChange = hook == nil ? .deleted : info.writeHook == nil ? .created : .replaced
                return (try DocumentStore.lookUp(connection, name: name, caseInsensitive: false) ?? info, change)
            }
        }
        store.catalogCache.withLock { $0[name] = info }
        return change
    }

    /// The table's write hook, nil when it has none, RethinkDB's `get_write_hook` (whose
    /// result is the hook's ``WriteHook/document``, or null).
    ///
    /// Read from the catalog, not from this process's cache, so a hook another process set
    /// is seen.
    ///
    /// ```swift
    /// if let hook = try await posts.writeHook() {
    ///     print(hook.query)   // setWriteHook(function(var1, var2, var3) { return ... })
    /// }
    /// ```
    ///
    /// - Throws: `DocumentStoreError` "Table \`test.posts\` does not exist." (`.opFailed`).
    public func writeHook() async throws -> WriteHook? {
        store.forgetTableInfo(name)
        return try await store.tableInfo(name).writeHook
    }

    /// This table with writes that skip its write hook, RethinkDB's `ignore_write_hook: true`:
    /// for repairs and for copying documents in as they are (a restore), where applying the
    /// hook again would change them twice.
    ///
    /// Every write through the returned handle, and through the selections made from it,
    /// stores documents as given; reads are as on any handle.
    ///
    /// ```swift
    /// try await posts.ignoringWriteHook.insert(["id": 1, "modified_at": "kept as it is"])
    /// try await posts.ignoringWriteHook.document(1).delete()
    /// ```
    public var ignoringWriteHook: Table {
        var table = self
        table.ignoresWriteHook = true
        return table
    }

    /// This table with writes whose write hook sees `timestamp` as `ctx.timestamp`.
    ///
    /// Each write call otherwise gives its hook the instant the call started. A caller that has
    /// its own notion of "now" for a unit of work passes it here so that the hook's stamp and
    /// the caller's agree: `docstore serve` gives every write the `r.now()` of its query, as
    /// RethinkDB does, so `insert({"at": r.now()})` and a hook that stores `ctx.timestamp` write
    /// the same time. Reads are as on any handle.
    ///
    /// ```swift
    /// let now = Date()
    /// try await posts.writeHookTimestamp(now).insert(["id": 1, "title": "Hi"])
    /// // a hook `new.merge({"modified_at": ctx.timestamp})` stored `now`, to the millisecond
    /// ```
    public func writeHookTimestamp(_ timestamp: Date) -> Table {
        var table = self
        table.hookTimestamp = timestamp
        return table
    }
}
