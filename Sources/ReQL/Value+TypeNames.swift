import DocumentModel

/// The three ways RethinkDB names a value: `type_of`'s name, the name its type errors use,
/// and how those errors print a value that is not a datum.
extension Value {
    /// What `type_of` and `info` call the value (the `coerce_to` names: `DB`, `TABLE`,
    /// `SELECTION<STREAM>`, `SELECTION<OBJECT>`, `STREAM`, `FUNCTION`, or the datum's type).
    package var typeOfName: String {
        switch self {
        case .datum(let document):
            // r.minval and r.maxval are not pseudotypes to ReQL, only to DocStore's storage of them.
            if case .object(let object) = document, let type = object.reqlType, type == "MINVAL" || type == "MAXVAL" { return type }
            return document.typeName
        case .database: return "DB"
        case .table: return "TABLE"
        case .singleSelection: return "SELECTION<OBJECT>"
        case .selection(let selection): return selection.isSlice ? "TABLE_SLICE" : "SELECTION<STREAM>"
        case .stream: return "STREAM"
        case .writeResult: return "OBJECT"
        case .function: return "FUNCTION"
        case .ordering: return "ORDERING"
        case .groupedStream: return "GROUPED_STREAM"
        case .groupedData: return "GROUPED_DATA"
        }
    }

    /// The kind of value as a type error names it (`val_t::type_t::name`): every datum is
    /// `DATUM` there, a database `DATABASE`, a stream `SEQUENCE`.
    package var valueTypeName: String {
        switch self {
        case .datum, .writeResult: return "DATUM"
        case .database: return "DATABASE"
        case .table: return "TABLE"
        case .singleSelection: return "SINGLE_SELECTION"
        case .selection(let selection): return selection.isSlice ? "TABLE_SLICE" : "SELECTION"
        case .stream, .groupedStream: return "SEQUENCE"
        case .function: return "FUNCTION"
        case .ordering: return "ORDERING"
        case .groupedData: return "GROUPED_DATA"
        }
    }

    /// The value as a datum when it is one (`is_convertible(DATUM)`: a single selection is
    /// its row, a write's result its object); nil for tables, streams, functions.
    package var datumValue: Document? {
        switch self {
        case .datum(let document): return document
        case .singleSelection(_, _, let row): return row ?? .null
        case .writeResult(let result): return result.document
        default: return nil
        }
    }

    /// How a type error shows the value after its message (`val_t::print`).
    package var printed: String {
        switch self {
        case .datum(let document): return document.prettyPrinted
        case .writeResult(let result): return result.document.prettyPrinted
        case .singleSelection(_, _, let row): return (row ?? .null).prettyPrinted
        case .database(let database): return "db(\"\(database.name)\")"
        case .table(let table): return "table(\"\(table.name)\")"
        case .selection(let selection): return "SELECTION ON table(\(selection.table.name))"
        default: return "VALUE \(valueTypeName)"
        }
    }
}

extension Evaluator {
    /// RethinkDB's error for a value of the wrong kind (`rcheck_literal_type`): the kind, then
    /// the value on its own line, as in "Expected type DATUM but found TABLE:\ntable("t")".
    func valueTypeError(_ expected: String, _ value: Value, _ term: Term) -> ReqlError {
        .runtime(.queryLogic, "Expected type \(expected) but found \(value.valueTypeName):\n\(value.printed)", backtrace: term.path)
    }
}
