import DocumentModel

extension Evaluator {
    /// `set_write_hook` and `get_write_hook` (RethinkDB 2.4's `write_hook.cc`). The hook goes
    /// to the library as its wire term, which checks it (three arguments, deterministic) with
    /// RethinkDB's texts and stores it with the table, so that every writer of the file
    /// applies it; evaluating it on each write is the library's too.
    func writeHookOperation(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        if term.type == .getWriteHook {
            try arity(term, 1...1)
            let table = try tableOnly(term.args[0], env)
            return .datum(try context.tables.writeHook(of: table))
        }
        try arity(term, 2...2)
        let table = try tableOnly(term.args[0], env)
        let value = try eval(term.args[1], env)
        let function: Document?
        switch value {
        case .function(let definition):
            function = definition.wireForm
        case .datum(.null):
            function = nil
        case .datum(let document) where document["$reql_type$"]?.stringValue == "BINARY":
            // What `get_write_hook` gave as `function`: the library reads its own blob.
            function = document
        default:
            // RethinkDB asks for a function for anything else (`as_func`).
            throw valueTypeError("FUNCTION", value, term.args[1])
        }
        return .datum(try context.tables.setWriteHook(function, in: table))
    }
}
