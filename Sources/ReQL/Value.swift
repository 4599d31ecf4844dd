import DocumentModel

/// What a term evaluates to. Datums are plain JSON; the other cases are what ReQL calls
/// databases, tables, selections, streams and functions, which only some terms accept.
///
/// The table-ish cases hold references the ``TableAccess`` implementation made; the evaluator
/// only passes them back to it.
package indirect enum Value: Sendable {
    case datum(Document)
    case database(DatabaseRef)
    case table(TableRef)
    /// `table.get(key)`: one row (or null), writable.
    case singleSelection(TableRef, key: Document, row: Document?)
    /// Rows of one table that can be written back (`table`, `get_all`, `filter` on them).
    case selection(RowSelection)
    /// Any other sequence.
    case stream(RowStream)
    /// The result of a table write, kept whole so `for_each` can add results up with the
    /// library's own merge.
    case writeResult(any WriteSummary)
    case function(Function)
    /// `r.asc(...)`/`r.desc(...)`, only as ORDER_BY arguments.
    case ordering(field: Value, descending: Bool)
    /// `group(...)` before a reduction: rows with their groups, read lazily.
    case groupedStream(GroupedStream)
    /// A reduced `group(...)`: one datum per group.
    case groupedData(GroupedData)

    /// ReQL's name for the value's type, as `type_of` and error messages print it.
    package var typeName: String {
        switch self {
        case .datum(let document): return document.typeName
        case .database: return "DATABASE"
        case .table: return "TABLE"
        case .singleSelection: return "SINGLE_SELECTION"
        case .selection(let selection): return selection.isSlice ? "TABLE_SLICE" : "SELECTION<STREAM>"
        case .stream: return "STREAM"
        case .writeResult: return "OBJECT"
        case .function: return "FUNCTION"
        case .ordering: return "ORDERING"
        case .groupedStream: return "GROUPED_STREAM"
        case .groupedData: return "GROUPED_DATA"
        }
    }
}

/// A database, as `r.db(name)` names it.
package struct DatabaseRef: Sendable {
    package let name: String
    /// The UUID RethinkDB shows for the database (`info`, `config`), when storage has one.
    package let id: String?

    package init(name: String, id: String? = nil) {
        self.name = name
        self.id = id
    }
}

/// A table of a database, as queries name it. `handle` is whatever the ``TableAccess``
/// implementation needs to reach the table again without looking it up.
package struct TableRef: Sendable {
    package let database: String
    package let name: String
    package let handle: any Sendable

    package init(database: String, name: String, handle: any Sendable) {
        self.database = database
        self.name = name
        self.handle = handle
    }
}

/// Rows of a table chosen by a query, kept as *what* was chosen where that is known, so a
/// write on them goes to the library as one selection instead of rows read twice.
package struct RowSelection: Sendable {
    package enum Target: Sendable {
        /// The whole table.
        case all
        /// `get_all`: rows by primary key, in key order (missing keys left out).
        case keys([Document])
        /// Rows of a stream (a filter, a limit...) of the table; writes take their keys.
        case rows(RowStream)
        /// A TABLE_SLICE: `between` and `order_by(index:)`, a range of an index read in its
        /// order, which more `between`/`order_by` can still narrow before it is read.
        case slice(IndexScan)
    }

    package let table: TableRef
    package let target: Target

    package init(table: TableRef, target: Target) {
        self.table = table
        self.target = target
    }
}

/// A ReQL function: parameter ids and a body, closed over the variables in scope where it
/// was written.
package struct Function: Sendable {
    package let parameters: [Int]
    package let body: Term
    package let captured: Environment
    /// Set for a function `r.js` made: calls go to the query's JavaScript engine, and the body
    /// is that `r.js` term.
    package var javascript: JavaScriptFunction? = nil
}

/// The variables in scope, and `r.row`'s value inside a one-argument function.
package struct Environment: Sendable {
    package var variables: [Int: Value] = [:]
    package var implicit: Value?
    /// An argument term already evaluated, and its value: how a term runs once per group of
    /// grouped data (the argument stands for one group) without evaluating the argument twice,
    /// and what a change feed puts in place of its table read to run the `filter`/`map`...
    /// written before `changes` on one changed row.
    var substitute: (term: Term, value: Value)?

    package init() {}
}
