import DocumentStore

extension Evaluator {
    /// Databases and tables: `db`, `table`, their create/drop/list, `config` and `sync`.
    func admin(_ term: Term, _ env: Environment) async throws(ReqlError) -> Value {
        let registry = context.registry
        switch term.type {
        case .db:
            try arity(term, 1...1)
            let name = try await string(term.args[0], env)
            _ = try registry.store(name)
            return .database(name)
        case .table:
            try arity(term, 1...2)
            let (database, rest) = try await databaseArgument(term, env)
            guard rest.count == 1 else { throw .compile("Expected between 1 and 2 arguments but found \(term.args.count).", backtrace: term.path) }
            let table = try await tableRef(database, try await string(rest[0], env))
            return .table(table)
        case .tableCreate:
            try arity(term, 1...2)
            let (database, rest) = try await databaseArgument(term, env)
            guard let nameTerm = rest.first else { throw .compile("Expected 2 arguments but found 1.", backtrace: term.path) }
            let name = try await string(nameTerm, env)
            let primaryKey = try await optargString("primary_key", term, env, local: true) ?? "id"
            let durability = try await optargString("durability", term, env, local: true) == "soft" ? Durability.soft : .hard
            if let shards = term.optarg("shards"), try await number(shards, env) < 1 {
                throw .runtime(.queryLogic, "Every table must have at least one shard.")
            }
            let store = try registry.store(database)
            let change = try await library { try await store.tableCreate(name, primaryKey: primaryKey, durability: durability) }
            return .datum(ClusterConfig.document(of: change))
        case .tableDrop:
            try arity(term, 1...2)
            let (database, rest) = try await databaseArgument(term, env)
            guard let nameTerm = rest.first else { throw .compile("Expected 2 arguments but found 1.", backtrace: term.path) }
            let name = try await string(nameTerm, env)
            let store = try registry.store(database)
            let change = try await library { try await store.tableDrop(name) }
            return .datum(ClusterConfig.document(of: change))
        case .tableList:
            try arity(term, 0...1)
            let (database, _) = try await databaseArgument(term, env)
            let store = try registry.store(database)
            let names = try await library { try await store.tableList() }
            return .datum(.array(names.map(Document.string)))
        case .dbCreate:
            try arity(term, 1...1)
            return .datum(try registry.create(try await string(term.args[0], env)))
        case .dbDrop:
            try arity(term, 1...1)
            return .datum(try await registry.drop(try await string(term.args[0], env)))
        case .dbList:
            try arity(term, 0...0)
            return .datum(.array(registry.list().map(Document.string)))
        case .config:
            try arity(term, 1...1)
            let table = try await tableArgument(term.args[0], env)
            let config = try await library { try await table.table.config() }
            return .datum(ClusterConfig.document(of: config))
        case .sync:
            try arity(term, 1...1)
            let table = try await tableArgument(term.args[0], env)
            return .datum(try await library { try await table.table.sync() }.document)
        default:
            throw .compile("Term type \(term.type.rawValue) is not supported by DocStore.", backtrace: term.path)
        }
    }

    /// The database a table term names: its first argument when that is a database, else the
    /// query's `db` optarg, else `test`.
    func databaseArgument(_ term: Term, _ env: Environment) async throws(ReqlError) -> (String, [Term]) {
        if let first = term.args.first, first.type == .db {
            guard case .database(let name) = try await eval(first, env) else {
                throw .runtime(.queryLogic, "Expected type DATABASE.", backtrace: first.path)
            }
            return (name, Array(term.args.dropFirst()))
        }
        return (context.defaultDatabase, term.args)
    }

    func tableRef(_ database: String, _ name: String) async throws(ReqlError) -> TableRef {
        let store = try context.registry.store(database)
        let table = store.table(name)
        _ = try await library { try await table.primaryKey() }
        return TableRef(database: database, name: name, table: table)
    }

    func tableArgument(_ term: Term, _ env: Environment) async throws(ReqlError) -> TableRef {
        let value = try await eval(term, env)
        switch value {
        case .table(let table): return table
        case .selection(let table, _), .singleSelection(let table, _, _): return table
        default: throw .runtime(.queryLogic, "Expected type TABLE but found \(value.typeName).", backtrace: term.path)
        }
    }

    func optargString(_ name: String, _ term: Term, _ env: Environment, local: Bool = false) async throws(ReqlError) -> String? {
        let value = local ? try await evalOptional(term.optarg(name), env) : try await optarg(name, term, env)
        guard let value else { return nil }
        let document = try await datum(of: value, term: term)
        guard case .string(let text) = document else {
            throw .runtime(.queryLogic, "Expected type STRING but found \(document.typeName).", backtrace: term.path)
        }
        return text
    }

    /// Runs a library call, turning its errors into ReQL's.
    func library<T>(_ body: () async throws -> T) async throws(ReqlError) -> T {
        do {
            return try await body()
        } catch {
            throw ReqlEngine.reqlError(error)
        }
    }
}

extension Evaluator {
    func evalOptional(_ term: Term?, _ env: Environment) async throws(ReqlError) -> Value? {
        guard let term else { return nil }
        return try await eval(term, env)
    }

    func datumOptional(_ term: Term?, _ env: Environment) async throws(ReqlError) -> Document? {
        guard let term else { return nil }
        return try await datum(term, env)
    }
}
