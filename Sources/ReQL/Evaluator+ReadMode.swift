import DocumentModel

extension Evaluator {
    /// `table(...)`'s read options, from the term or the query (`read_mode` is also a global
    /// optarg): RethinkDB checks them and refuses the 1.x `use_outdated`. One SQLite file has
    /// no replicas, so every accepted mode reads the same, current data.
    func checkReadOptions(_ term: Term, _ env: Environment) throws(ReqlError) {
        if try optarg("use_outdated", term, env) != nil {
            throw .runtime(.queryLogic, "The `use_outdated` optarg is no longer supported.  Use the `read_mode` optarg instead.", backtrace: term.path)
        }
        if let mode = try optargString("read_mode", term, env),
           !["majority", "single", "outdated", "_debug_direct"].contains(mode) {
            throw .runtime(.queryLogic, "Read mode `\(mode)` unrecognized (options are \"majority\", \"single\", and \"outdated\").", backtrace: term.path)
        }
        if let format = try optargString("identifier_format", term, env), format != "name" && format != "uuid" {
            throw .runtime(.queryLogic, "Identifier format `\(format)` unrecognized (options are \"name\" and \"uuid\").", backtrace: term.path)
        }
    }
}
