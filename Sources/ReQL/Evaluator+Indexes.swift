import DocumentModel

extension Evaluator {
    /// The secondary-index terms (`index_create`, `index_drop`, `index_list`, `index_rename`,
    /// `index_status`, `index_wait`). Storage, the
    /// index's entries and the errors about them are the library's (``TableAccess``); what is
    /// checked here is what RethinkDB checks before it asks the cluster (`sindex.cc`).
    func indexOperation(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        let tables = context.tables
        switch term.type {
        case .indexCreate:
            return .datum(try indexCreate(term, env))
        case .indexDrop:
            try arity(term, 2...2)
            let table = try tableOnly(term.args[0], env)
            return .datum(try tables.indexDrop(try string(term.args[1], env), in: table))
        case .indexList:
            try arity(term, 1...1)
            let table = try tableOnly(term.args[0], env)
            return .datum(.array(try tables.indexList(table).map(Document.string)))
        case .indexRename:
            try arity(term, 3...3)
            let table = try tableOnly(term.args[0], env)
            let name = try string(term.args[1], env)
            let newName = try string(term.args[2], env)
            let primaryKey = try tables.primaryKey(of: table)
            for conflicting in [name, newName] where conflicting == primaryKey {
                throw .runtime(.queryLogic, Self.primaryKeyConflict(primaryKey))
            }
            let overwrite = try flag("overwrite", term, env) ?? false
            return .datum(try tables.indexRename(name, to: newName, overwrite: overwrite, in: table))
        case .indexStatus, .indexWait:
            try arity(term, 1...Int.max)
            let table = try tableOnly(term.args[0], env)
            // A set in RethinkDB: an index named twice is reported once.
            var names: [String] = []
            for argument in term.args.dropFirst() {
                let name = try string(argument, env)
                if !names.contains(name) { names.append(name) }
            }
            let statuses = try term.type == .indexStatus
                ? tables.indexStatus(names, in: table) : tables.indexWait(names, in: table)
            return .datum(.array(statuses))
        default:
            throw .compile("Term type \(term.type.rawValue) is not supported by DocStore.", backtrace: term.path)
        }
    }

    /// `index_create(name[, function], multi:, geo:)`. The function goes to the library as its
    /// wire term, so every writer (another process, the CLI) evaluates the same definition.
    private func indexCreate(_ term: Term, _ env: Environment) throws(ReqlError) -> Document {
        try arity(term, 2...3)
        let table = try tableOnly(term.args[0], env)
        let name = try string(term.args[1], env)
        let primaryKey = try context.tables.primaryKey(of: table)
        guard name != primaryKey else { throw .runtime(.queryLogic, Self.primaryKeyConflict(name)) }
        var function: Document?
        if term.args.count == 3 {
            let value = try eval(term.args[2], env)
            switch value {
            case .function(let definition):
                // `sindex_create_term_t` checks this before it asks the cluster.
                guard definition.body.isDeterministic, !definition.body.usesSingleServerGeometry else {
                    throw .runtime(.queryLogic, "Could not prove function deterministic.  Index functions must be deterministic.", backtrace: term.args[2].path)
                }
                function = definition.wireForm
            case .datum(let document) where document["$reql_type$"]?.stringValue == "BINARY":
                // What `index_status` gave as `function`: the library reads its own blob.
                function = document
            default:
                // RethinkDB asks for a function, not a BINARY, for anything else.
                throw valueTypeError("FUNCTION", value, term.args[2])
            }
        }
        let multi = try flag("multi", term, env) ?? false
        let geo = try flag("geo", term, env) ?? false
        return try context.tables.indexCreate(name, function: function, multi: multi, geo: geo, in: table)
    }

    private static func primaryKeyConflict(_ name: String) -> String {
        "Index name conflict: `\(name)` is the name of the primary key."
    }

    /// A key of `get_all`, checked as RethinkDB checks each one before reading.
    func getAllKey(_ term: Term, _ env: Environment) throws(ReqlError) -> Document {
        let key = try datum(term, env)
        if key["$reql_type$"]?.stringValue == "GEOMETRY" {
            throw .runtime(.queryLogic, "Cannot use a geospatial index with `get_all`. Use `get_intersecting` instead.", backtrace: term.path)
        }
        if key.isNull { throw .runtime(.nonExistence, "Keys cannot be NULL.", backtrace: term.path) }
        return key
    }

    /// `get_all(..., index: name)` on a secondary index: a selection of the documents whose
    /// index value (or, for a multi index, one of whose values) is one of the keys, read from
    /// the index when first pulled. Writes on it take the rows' primary keys.
    func indexedGetAll(_ term: Term, _ env: Environment, table: TableRef, index: String) throws(ReqlError) -> Value {
        var keys: [Document] = []
        for argument in term.args.dropFirst() { keys.append(try getAllKey(argument, env)) }
        return .selection(RowSelection(table: table, target: .rows(context.tables.getAll(keys, index: index, in: table))))
    }
}
