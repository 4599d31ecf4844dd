import DocumentStore

/// What a term evaluates to. Datums are plain JSON; the other cases are what ReQL calls
/// databases, tables, selections, streams and functions, which only some terms accept.
indirect enum Value: Sendable {
    case datum(Document)
    case database(String)
    case table(TableRef)
    /// `table.get(key)`: one row (or null), writable.
    case singleSelection(TableRef, key: Document, row: Document?)
    /// Rows that came from a table and can be written back (`table`, `get_all`, `filter` on them).
    case selection(TableRef, RowStream)
    /// Any other sequence.
    case stream(RowStream)
    case function(Function)
    /// `r.asc(...)`/`r.desc(...)`, only as ORDER_BY arguments.
    case ordering(field: Value, descending: Bool)

    var typeName: String {
        switch self {
        case .datum(let document): return document.typeName
        case .database: return "DATABASE"
        case .table: return "TABLE"
        case .singleSelection: return "SINGLE_SELECTION"
        case .selection: return "SELECTION<STREAM>"
        case .stream: return "STREAM"
        case .function: return "FUNCTION"
        case .ordering: return "ORDERING"
        }
    }
}

/// A table of a database, as queries name it.
struct TableRef: Sendable {
    let database: String
    let name: String
    let table: Table
}

/// A ReQL function: parameter ids and a body, closed over the variables in scope where it
/// was written.
struct Function: Sendable {
    let parameters: [Int]
    let body: Term
    let captured: Environment
}

/// The variables in scope, and `r.row`'s value inside a one-argument function.
struct Environment: Sendable {
    var variables: [Int: Value] = [:]
    var implicit: Value?
}

/// RethinkDB's `r.minval` and `r.maxval` inside documents: pseudotype objects no stored
/// document may hold (the library refuses them with RethinkDB's message).
enum Bound {
    static let minval: Document = ["$reql_type$": "MINVAL"]
    static let maxval: Document = ["$reql_type$": "MAXVAL"]

    /// RethinkDB refuses to send them to a client.
    static func checkOutput(_ value: Document) throws(ReqlError) {
        switch value {
        case .object(let object):
            if let type = object["$reql_type$"]?.stringValue, type == "MINVAL" || type == "MAXVAL" {
                throw .runtime(.queryLogic, "Cannot convert `r.\(type.lowercased())` to JSON.")
            }
            for element in object.values { try checkOutput(element) }
        case .array(let elements):
            for element in elements { try checkOutput(element) }
        default:
            break
        }
    }
}
