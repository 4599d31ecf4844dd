import DocumentStore
import ReQL

/// One table of the `rethinkdb` system database: rows made from the server's state on each
/// read, and writes that change that state (or RethinkDB's refusal).
///
/// RethinkDB calls these artificial tables: each has a backend that formats rows and takes
/// row writes. Each DocStore system table is one type conforming to this protocol and listed
/// in ``SystemDatabase/tables``, so another table (`users`, `permissions`) is one more file:
///
/// ```swift
/// struct UsersTable: SystemTable {
///     let name = "users"
///     func rows(_ context: SystemContext) throws(ReqlError) -> [Document] { ... }
///     func write(key: Document, old: Document?, new: Document?, _ context: SystemContext) throws(ReqlError) { ... }
/// }
/// ```
protocol SystemTable: Sendable {
    /// The table's name in `rethinkdb`.
    var name: String { get }
    /// The field holding each row's key (`id` for every table RethinkDB 2.4 has).
    var primaryKey: String { get }
    /// Every row, as RethinkDB formats them.
    func rows(_ context: SystemContext) throws(ReqlError) -> [Document]
    /// The row with this key, nil when there is none.
    func row(_ key: Document, _ context: SystemContext) throws(ReqlError) -> Document?
    /// Applies one row write: `old` nil is an insert, `new` nil a delete. A thrown error is
    /// that row's error (RethinkDB reports it in the write result's `first_error`).
    func write(key: Document, old: Document?, new: Document?, _ context: SystemContext) throws(ReqlError)
}

extension SystemTable {
    var primaryKey: String { "id" }

    func row(_ key: Document, _ context: SystemContext) throws(ReqlError) -> Document? {
        try rows(context).first { $0[primaryKey].map { $0 == key } ?? false }
    }

    /// Read-only tables refuse every write with RethinkDB's text.
    func write(key: Document, old: Document?, new: Document?, _ context: SystemContext) throws(ReqlError) {
        throw Self.illegalWrite(name)
    }

    static func illegalWrite(_ table: String) -> ReqlError {
        .runtime(.opFailed, "It's illegal to write to the `rethinkdb.\(table)` table.")
    }

    /// The error RethinkDB gives when a new row's format is wrong, with its prefix.
    func wrongFormat(_ detail: String) -> ReqlError {
        .runtime(.opFailed, "The row you're trying to put into `rethinkdb.\(name)` has the wrong format. \(detail)")
    }

    /// The error RethinkDB gives when a change to an existing row has the wrong format: the
    /// field's own error, with its prefix.
    func wrongChange(_ error: ReqlError) -> ReqlError {
        .runtime(.opFailed, "The change you're trying to make to `rethinkdb.\(name)` has the wrong format. \(error.message)")
    }
}
