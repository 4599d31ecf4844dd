import DocumentModel

extension Evaluator {
    /// The argument as a table, and only a table (`as_table`): index terms, `get_all` and the
    /// right side of `eq_join` refuse selections of one.
    func tableOnly(_ term: Term, _ env: Environment) throws(ReqlError) -> TableRef {
        let value = try eval(term, env)
        guard case .table(let table) = value else { throw valueTypeError("TABLE", value, term) }
        return table
    }

    /// ReQL's truthiness for flag optargs (`datum_t::as_bool`): only `false` and `null` are false.
    func flag(_ name: String, _ term: Term, _ env: Environment) throws(ReqlError) -> Bool? {
        guard let value = term.optarg(name) else { return nil }
        return truthy(try datum(value, env))
    }
}
