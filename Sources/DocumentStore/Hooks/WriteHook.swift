import DocumentModel
import Foundation
import ReQL

/// A table's write hook, RethinkDB 2.4's `set_write_hook`: a ReQL function of three arguments,
/// `(context, old, new)`, that every write to the table applies to each document it changes,
/// and whose result is what gets stored.
///
/// The hook is kept in the file with its table as its ReQL term, as index functions are, so
/// every writer of the file (this library, the `docstore` CLI, `docstore serve`, another
/// process) applies the same function. That is why it is a ReQL term and not a Swift closure:
/// a closure would exist in one process only. `context` is an object with the write's
/// `primary_key` (the key of the document) and `timestamp` (one instant per write call, as
/// `r.now()` is one instant per query); `old` is the stored document (null for an insert) and
/// `new` what the write would store (null for a delete).
///
/// ```swift
/// // lambda ctx, old, new: new.merge({"modified_at": ctx["timestamp"]}), as a driver sends it:
/// let stamp = try WriteHook(reql: try Document(parsing: #"[69,[[2,[1,2,3]],[35,[[10,[3]],{"modified_at":[170,[[10,[1]],"timestamp"]]}]]]]"#))
/// try await posts.setWriteHook(stamp)
/// try await posts.insert(["id": 1])    // stored with "modified_at"
/// ```
///
/// A hook may change the document but not the kind of write: turning an insert or replace into
/// a deletion (returning null) or a deletion into a write fails that document, as does an
/// error in the hook (`Error in write hook: ...`); the other documents of the write go on.
public struct WriteHook: Sendable, Hashable {
    /// The ReQL FUNC term as RethinkDB's JSON wire form, e.g.
    /// `[69,[[2,[1,2,3]],[35,[[10,[3]],{"num":1}]]]]` (`function(var1, var2, var3) { return var3.merge({num: 1}); }`).
    public let term: Document

    /// A hook read back from the catalog, checked when it was stored.
    init(stored term: Document) {
        self.term = term
    }

    /// Any ReQL function of three arguments in its JSON wire form, as a driver sends it to
    /// `set_write_hook`.
    ///
    /// ```swift
    /// let numbered = try WriteHook(reql: try Document(parsing: #"[69,[[2,[1,2,3]],[35,[[10,[3]],{"num":1}]]]]"#))
    /// ```
    ///
    /// - Throws: `DocumentStoreError` with RethinkDB's texts, checked in RethinkDB's order: a
    ///   term that is not a function ("Expected type FUNCTION but found DATUM."), one that reads
    ///   tables, is random, runs JavaScript or calls `r.now()` ("Could not prove function
    ///   deterministic.  Write hook functions must be deterministic."), one of another arity
    ///   ("Write hook functions must expect 3 arguments."), or a malformed term (its compile error).
    public init(reql term: Document) throws {
        let compiled = try IndexFunction.compileFunction(term)
        // RethinkDB's `constant_now_t::no`: a hook applied at different instants must agree.
        guard IndexFunction.isDeterministic(compiled) else {
            throw DocumentStoreError(.queryLogic, "Could not prove function deterministic.  Write hook functions must be deterministic.")
        }
        guard compiled.args[0].args.count == 3 else {
            throw DocumentStoreError(.queryLogic, "Write hook functions must expect 3 arguments.")
        }
        self.term = term
    }

    /// The hook as the JavaScript driver would set it, for people to read:
    /// `setWriteHook(function(var1, var2, var3) { return var3.merge({num: 1}); })`
    /// (RethinkDB's `format_write_hook_query`).
    ///
    /// ```swift
    /// print(try await posts.writeHook()?.query ?? "no hook")
    /// ```
    public var query: String {
        "setWriteHook(" + IndexQueryText.function(term) + ")"
    }

    /// RethinkDB's `get_write_hook` result: `{"function": <BINARY>, "query": "setWriteHook(...)"}`.
    ///
    /// ```swift
    /// try await posts.writeHook()?.document.jsonString   // {"function":{"$reql_type$":"BINARY",...},"query":"setWriteHook(...)"}
    /// ```
    public var document: Document {
        ["function": ["$reql_type$": "BINARY", "data": .string(Data(binary).base64EncodedString())], "query": .string(query)]
    }
}

extension WriteHook {
    /// The hook in the catalog's `write_hook` column (`migrations/0004_write_hooks.sql`), nil
    /// when the column is NULL.
    init?(catalog statement: SQLiteStatement, at column: Int32) {
        guard statement.columnType(column) != .null else { return nil }
        self.init(stored: statement.withBytes(at: column) { Document(canonical: $0) })
    }

    /// Sets (or, with nil, clears) the table's hook in the catalog, inside the caller's
    /// transaction.
    static func store(_ hook: WriteHook?, table: String, _ connection: SQLiteConnection) throws {
        let update = try connection.prepare("UPDATE \(TableInfo.catalogTable) SET write_hook = ? WHERE name = ? COLLATE BINARY")
        if let hook {
            update.bind(hook.term.jsonString, at: 1)
        } else {
            update.bindNull(1)
        }
        update.bind(table, at: 2)
        try update.run()
    }
}
