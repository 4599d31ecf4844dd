import DocumentModel

extension Evaluator {
    /// RethinkDB's `rcheck_literal_type`: a value of the wrong kind where a table, a table
    /// slice or a function must be, named with `val_t`'s type names (not `type_of`'s) and
    /// followed by the value as RethinkDB prints it.
    func kindError(_ expected: String, _ value: Value, _ term: Term) -> ReqlError {
        .runtime(.queryLogic, "Expected type \(expected) but found \(value.kindName):\n\(value.printed)", backtrace: term.path)
    }

    /// The argument as a table, and only a table (`as_table`): index terms, `get_all` and the
    /// right side of `eq_join` refuse selections of one.
    func tableOnly(_ term: Term, _ env: Environment) throws(ReqlError) -> TableRef {
        let value = try eval(term, env)
        guard case .table(let table) = value else { throw kindError("TABLE", value, term) }
        return table
    }

    /// ReQL's truthiness for flag optargs (`datum_t::as_bool`): only `false` and `null` are false.
    func flag(_ name: String, _ term: Term, _ env: Environment) throws(ReqlError) -> Bool? {
        guard let value = term.optarg(name) else { return nil }
        return truthy(try datum(value, env))
    }
}

extension Value {
    /// `val_t::type_t::name()`: the kind of value, as type errors name it.
    var kindName: String {
        switch self {
        case .datum, .writeResult, .ordering: return "DATUM"
        case .database: return "DATABASE"
        case .table: return "TABLE"
        case .singleSelection: return "SINGLE_SELECTION"
        case .selection(let selection):
            if case .slice = selection.target { return "TABLE_SLICE" }
            return "SELECTION"
        case .stream: return "SEQUENCE"
        case .function: return "FUNCTION"
        }
    }

    /// `val_t::print()`: a datum as JSON, anything else by what it is.
    var printed: String {
        switch self {
        case .datum(let document): return document.prettyPrinted
        case .writeResult(let result): return result.document.prettyPrinted
        case .singleSelection(let table, _, _): return "SELECTION ON table(\(table.name))"
        case .database(let database): return "db(\"\(database.name)\")"
        case .table(let table): return "table(\"\(table.name)\")"
        case .selection(let selection): return "SELECTION ON table(\(selection.table.name))"
        case .stream, .function, .ordering: return "VALUE \(kindName)"
        }
    }
}
