import DocumentModel

extension Evaluator {
    /// Databases and tables: `db`, `table`, their create/drop/list, `config` and `sync`.
    func admin(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        let tables = context.tables
        switch term.type {
        case .db:
            try arity(term, 1...1)
            return .database(try tables.database(try string(term.args[0], env)))
        case .table:
            try arity(term, 1...2)
            try checkReadOptions(term, env)
            let (database, rest) = try databaseArgument(term, env, names: 1)
            let format = try optargString("identifier_format", term, env, local: true)
            return .table(try tables.table(try string(rest[0], env), in: database, identifierFormat: format))
        case .tableCreate:
            let (database, name) = try namedTable(term, env)
            let primaryKey = try optargString("primary_key", term, env, local: true) ?? "id"
            let replication = try self.replication(term, env, required: false)
            let durability = try optargString("durability", term, env, local: true)
            if let durability, durability != "hard" && durability != "soft" {
                throw .runtime(.queryLogic, "Durability option `\(durability)` unrecognized (options are \"hard\" and \"soft\").", backtrace: term.path)
            }
            if database == "rethinkdb" {
                throw .runtime(.opFailed, "Database `rethinkdb` is special; you can't create new tables in it.", backtrace: term.path)
            }
            try tables.checkReplication(replication)
            return .datum(try tables.tableCreate(name, in: database, primaryKey: primaryKey, durability: durability, shards: replication.shards))
        case .tableDrop:
            let (database, name) = try namedTable(term, env)
            return .datum(try tables.tableDrop(name, in: database))
        case .tableList:
            try arity(term, 0...1)
            let (database, _) = try databaseArgument(term, env, names: 0)
            return .datum(.array(try tables.tableList(in: database).map(Document.string)))
        case .dbCreate, .dbDrop:
            try arity(term, 1...1)
            let name = try string(term.args[0], env)
            return .datum(try term.type == .dbCreate ? tables.databaseCreate(name) : tables.databaseDrop(name))
        case .dbList:
            try arity(term, 0...0)
            return .datum(.array(try tables.databaseList().map(Document.string)))
        case .config:
            try arity(term, 1...1)
            let target = try eval(term.args[0], env)
            switch target {
            case .database(let database): return try systemRow("db_config", tables.databaseConfig(database.name))
            case .table(let table): return try systemRow("table_config", tables.config(table))
            default: throw valueTypeError("TABLE", target, term.args[0])
            }
        case .sync:
            try arity(term, 1...1)
            return .datum(try tables.sync(try tableArgument(term.args[0], env)))
        default:
            throw .compile("Term type \(term.type.rawValue) is not supported by DocStore.", backtrace: term.path)
        }
    }

    /// `get` and `get_all`: rows addressed by primary key. `get_all` stays a description of its
    /// keys until something reads it (one library read) or writes it (one library write).
    func selection(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        switch term.type {
        case .get:
            try arity(term, 2...2)
            let table = try tableArgument(term.args[0], env)
            let key = try datum(term.args[1], env)
            return .singleSelection(table, key: key, row: try context.tables.get(key, in: table))
        default:
            try arity(term, 1...Int.max)
            let table = try tableOnly(term.args[0], env)
            if let index = try optargString("index", term, env, local: true), index != (try context.tables.primaryKey(of: table)) {
                return try indexedGetAll(term, env, table: table, index: index)
            }
            var keys: [Document] = []
            for argument in term.args.dropFirst() { keys.append(try getAllKey(argument, env)) }
            return .selection(RowSelection(table: table, target: .keys(keys)))
        }
    }

    /// The database a table term names: its first argument when that is a database, else the
    /// query's `db` optarg, else `test`.
    /// The database and table name of `table_create` and `table_drop` (`[db,] name`).
    private func namedTable(_ term: Term, _ env: Environment) throws(ReqlError) -> (database: String, name: String) {
        try arity(term, 1...2)
        let (database, rest) = try databaseArgument(term, env, names: 1)
        return (database, try string(rest[0], env))
    }

    /// A term's database: its first argument when it has one more argument than the `names`
    /// it takes, else the query's `db` optarg (evaluated only now, as in RethinkDB), else
    /// `test`.
    func databaseArgument(_ term: Term, _ env: Environment, names: Int) throws(ReqlError) -> (String, [Term]) {
        if term.args.count > names, let first = term.args.first {
            let value = try eval(first, env)
            guard case .database(let database) = value else { throw valueTypeError("DATABASE", value, first) }
            return (database.name, Array(term.args.dropFirst()))
        }
        if let error = context.deferredOptargErrors["db"] { throw error }
        return (context.defaultDatabase, term.args)
    }

    func tableArgument(_ term: Term, _ env: Environment) throws(ReqlError) -> TableRef {
        let value = try eval(term, env)
        switch value {
        case .table(let table): return table
        case .selection(let selection): return selection.table
        case .singleSelection(let table, _, _): return table
        default: throw valueTypeError("TABLE", value, term)
        }
    }

    func optargString(_ name: String, _ term: Term, _ env: Environment, local: Bool = false) throws(ReqlError) -> String? {
        let value = local ? try evalOptional(term.optarg(name), env) : try optarg(name, term, env)
        guard let value else { return nil }
        let document = try datum(of: value, term: term)
        guard case .string(let text) = document else {
            throw typeError("STRING", found: document.typeName, term)
        }
        return text
    }
}
