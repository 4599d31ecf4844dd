import DocumentModel

/// What the evaluator needs from storage: databases, tables and their rows, and the writes.
///
/// The evaluator is pure (terms over documents); every table term goes through this protocol,
/// which the server implements on the DocumentStore library, so ReQL's table semantics live
/// in one place, the library. An implementation serves one query: it knows the query's
/// ``CancellationToken`` and stops its own waits when it fires.
///
/// Every method is synchronous and may block the calling thread on I/O; the evaluator runs on
/// threads that are allowed to block (the server's query threads, the library's writer).
package protocol TableAccess: Sendable {
    /// `r.db(name)`: the database, or RethinkDB's "does not exist" error.
    func database(_ name: String) throws(ReqlError) -> DatabaseRef
    /// `r.db(database).table(name)`: the table, or RethinkDB's "does not exist" error.
    func table(_ name: String, in database: String) throws(ReqlError) -> TableRef
    func primaryKey(of table: TableRef) throws(ReqlError) -> String
    /// The row with this key, nil when there is none.
    func get(_ key: Document, in table: TableRef) throws(ReqlError) -> Document?
    /// The rows with these keys, in one read (missing keys left out).
    func getAll(_ keys: [Document], in table: TableRef) throws(ReqlError) -> [Document]
    /// Every row, read lazily a page at a time as the stream is pulled.
    func scan(_ table: TableRef) -> RowStream
    func count(_ table: TableRef) throws(ReqlError) -> Int

    /// Checks write options the way the write would, so a bad option fails before the
    /// documents are evaluated (RethinkDB's order).
    func checkWriteOptions(_ options: WriteOptions) throws(ReqlError)
    /// `insert` of one document or an array of them.
    func insert(_ documents: Document, into table: TableRef, options: WriteOptions) throws(ReqlError) -> any WriteSummary
    /// `insert` of documents given as JSON text (one object or an array of them): how a
    /// client's literal documents reach storage without becoming ``Document`` trees. Storage
    /// without a text path takes them as a ``Document`` (the extension's implementation).
    func insert(json: [UInt8], into table: TableRef, options: WriteOptions) throws(ReqlError) -> any WriteSummary
    /// `update`/`replace`: `transform` gets each selected row (nil for a missing `get` key) and
    /// returns the new row, or nil to delete it. It runs inside the write transaction.
    func replace(
        _ target: WriteTarget, in table: TableRef, options: WriteOptions,
        transform: @escaping @Sendable (Document?) throws -> Document?
    ) throws(ReqlError) -> any WriteSummary
    func delete(_ target: WriteTarget, in table: TableRef, options: WriteOptions) throws(ReqlError) -> any WriteSummary

    func tableCreate(_ name: String, in database: String, primaryKey: String, durability: String?, shards: Int) throws(ReqlError) -> Document
    func tableDrop(_ name: String, in database: String) throws(ReqlError) -> Document
    func tableList(in database: String) throws(ReqlError) -> [String]
    func databaseCreate(_ name: String) throws(ReqlError) -> Document
    func databaseDrop(_ name: String) throws(ReqlError) -> Document
    func databaseList() throws(ReqlError) -> [String]
    func config(_ table: TableRef) throws(ReqlError) -> Document
    func sync(_ table: TableRef) throws(ReqlError) -> Document

    // The cluster terms (TableAccess+Cluster.swift has what storage without a cluster gives).
    /// `table` with its `identifier_format` optarg (`name` or `uuid`, already checked).
    func table(_ name: String, in database: String, identifierFormat: String?) throws(ReqlError) -> TableRef
    /// What `info()` shows of a table beside its name: an object with its `id` and `indexes`.
    func tableIdentity(_ table: TableRef) throws(ReqlError) -> Document
    /// `db.config()`: the database's `db_config` row.
    func databaseConfig(_ database: String) throws(ReqlError) -> Document
    /// `status()`: the table's `table_status` row.
    func status(_ table: TableRef) throws(ReqlError) -> Document
    /// `wait()` of one table, once it is ready.
    func wait(_ table: TableRef) throws(ReqlError)
    /// Whether storage's servers can hold the table as asked (`table_create`, `reconfigure`).
    func checkReplication(_ request: Reconfiguration) throws(ReqlError)
    /// `reconfigure()` of one table: `{reconfigured, config_changes, status_changes}`.
    func reconfigure(_ table: TableRef, _ request: Reconfiguration) throws(ReqlError) -> Document
    /// `reconfigure(emergency_repair:)` of one table.
    func emergencyRepair(_ table: TableRef, _ mode: EmergencyRepair, dryRun: Bool) throws(ReqlError) -> Document
    /// `rebalance()` of one table: `{rebalanced, status_changes}`.
    func rebalance(_ table: TableRef) throws(ReqlError) -> Document

    /// `index_create`: `function` is nil (the field named `name`), a FUNC term's wire JSON,
    /// or the BINARY datum `index_status` gave as `function`. Gives `{"created": 1}`.
    func indexCreate(_ name: String, function: Document?, multi: Bool, geo: Bool, in table: TableRef) throws(ReqlError) -> Document
    func indexDrop(_ name: String, in table: TableRef) throws(ReqlError) -> Document
    func indexList(_ table: TableRef) throws(ReqlError) -> [String]
    func indexRename(_ name: String, to newName: String, overwrite: Bool, in table: TableRef) throws(ReqlError) -> Document
    /// One status object per index (all when `names` is empty), as RethinkDB's `index_status`.
    func indexStatus(_ names: [String], in table: TableRef) throws(ReqlError) -> [Document]
    /// As ``indexStatus(_:in:)``, once every named index is ready.
    func indexWait(_ names: [String], in table: TableRef) throws(ReqlError) -> [Document]
    /// `get_all(..., index:)` on a secondary index: each document once per matching entry.
    func getAll(_ values: [Document], index: String, in table: TableRef) -> RowStream
    /// A table slice, read lazily a page at a time in the index's order.
    func indexScan(_ scan: IndexScan, in table: TableRef) -> RowStream
    /// A secondary index's stored function (a FUNC term's wire JSON) and whether it is multi:
    /// what `order_by(key, index:)` needs to find the runs of equal index values.
    func indexDefinition(_ name: String, in table: TableRef) throws(ReqlError) -> (function: Document, multi: Bool)
    /// `get_intersecting(geometry, index:)`: the rows whose value in the geo index intersects
    /// the geometry, each once per matching multi-index element.
    func getIntersecting(_ geometry: Document, index: String, in table: TableRef) throws(ReqlError) -> [Document]
    /// `get_nearest`: `{"dist", "doc"}` objects, nearest first.
    func getNearest(_ query: NearestQuery, index: String, in table: TableRef) throws(ReqlError) -> [Document]
    /// `set_write_hook`: `function` is a FUNC term's wire JSON, the BINARY datum
    /// `get_write_hook` gave as `function`, or nil to remove the hook. Gives `{"created": 1}`,
    /// `{"replaced": 1}` or `{"deleted": 1}`.
    func setWriteHook(_ function: Document?, in table: TableRef) throws(ReqlError) -> Document
    /// `get_write_hook`: `{"function": <BINARY>, "query": "setWriteHook(...)"}`, or null.
    func writeHook(of table: TableRef) throws(ReqlError) -> Document
    /// Opens a change feed (`changes`): from this call on, every change to what `request`
    /// selects is delivered through the source, until it is closed.
    func changes(_ request: ChangeRequest, in table: TableRef) throws(ReqlError) -> any ChangeSource
    /// `grant`: merges `permissions` into what `user` has at `scope` (see ``GrantScope``).
    func grant(_ user: String, permissions: Document, scope: GrantScope) throws(ReqlError) -> Document
}

/// Which rows a write changes.
package enum WriteTarget: Sendable {
    case key(Document)
    case keys([Document])
    case all
}

/// A write's options as the query gave them, parsed by the storage layer (which owns their
/// error texts).
package struct WriteOptions: Sendable {
    package var durability: String?
    /// `true`, `false` or `"always"`.
    package var returnChanges: Document?
    /// The 1.x `return_vals`.
    package var returnValues: Bool?
    /// The 1.x `upsert`.
    package var upsert: Bool?
    package var conflict: ConflictOption?
    /// The query's `array_limit`, which caps `changes` and `generated_keys` and the input.
    package var arrayLimit: Int
    /// `ignore_write_hook`: the write stores what it computed, without the table's write hook.
    package var ignoreWriteHook = false
    /// The query's `r.now()`, which RethinkDB gives the table's write hook as `ctx.timestamp`.
    package var now: Document?

    package init(arrayLimit: Int) {
        self.arrayLimit = arrayLimit
    }
}

/// `insert`'s `conflict`: a name (`"error"`, `"replace"`, `"update"`) or a function of the old
/// and new documents that returns what to store (nil deletes).
package enum ConflictOption: Sendable {
    case named(String)
    case resolve(@Sendable (_ old: Document, _ new: Document) throws -> Document?)
}

/// A write's result as the storage layer counts it; ``merged(with:)`` adds results up the way
/// RethinkDB's `stats_merge` does (`for_each`).
package protocol WriteSummary: Sendable {
    /// RethinkDB's result object.
    var document: Document { get }
    func merged(with other: any WriteSummary) -> any WriteSummary
}

extension TableAccess {
    /// Storage without a text path (the system tables, index functions' ``NoTableAccess``,
    /// test doubles) gets the documents as a ``Document``.
    package func insert(json: [UInt8], into table: TableRef, options: WriteOptions) throws(ReqlError) -> any WriteSummary {
        try insert(try Document(insertText: json), into: table, options: options)
    }
}

extension Document {
    /// Documents given to ``TableAccess/insert(json:into:options:)`` as a value, for storage
    /// that takes them so; a parse failure as the query error it is.
    package init(insertText json: [UInt8]) throws(ReqlError) {
        do {
            self = try Document(parsing: json)
        } catch {
            throw ReqlError(error)
        }
    }
}
