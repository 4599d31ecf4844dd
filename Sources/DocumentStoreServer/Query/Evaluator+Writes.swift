import DocumentStore

extension Evaluator {
    /// `get` and `get_all`: rows addressed by primary key.
    func selection(_ term: Term, _ env: Environment) async throws(ReqlError) -> Value {
        switch term.type {
        case .get:
            try arity(term, 2...2)
            let table = try await tableArgument(term.args[0], env)
            let key = try await datum(term.args[1], env)
            let row = try await library { try await table.table.get(key) }
            return .singleSelection(table, key: key, row: row)
        default:
            try arity(term, 1...Int.max)
            let table = try await tableArgument(term.args[0], env)
            if let index = try await optargString("index", term, env, local: true) {
                let primaryKey = try await library { try await table.table.primaryKey() }
                guard index == primaryKey else {
                    throw .runtime(.opFailed, "Index `\(index)` was not found on table `\(table.database).\(table.name)`.", backtrace: term.path)
                }
            }
            var rows: [Document] = []
            for argument in term.args.dropFirst() {
                let key = try await datum(argument, env)
                if let row = try await library({ try await table.table.get(key) }) { rows.append(row) }
            }
            return .selection(table, .array(rows))
        }
    }

    /// `insert`, `update`, `replace`, `delete` and `for_each`.
    func write(_ term: Term, _ env: Environment) async throws(ReqlError) -> Value {
        switch term.type {
        case .insert: return .datum(try await insert(term, env))
        case .forEach: return .datum(try await forEach(term, env))
        default: return .datum(try await modify(term, env))
        }
    }

    private func insert(_ term: Term, _ env: Environment) async throws(ReqlError) -> Document {
        try arity(term, 2...2)
        let table = try await tableArgument(term.args[0], env)
        // RethinkDB evaluates the optargs before the documents, so a bad option writes nothing.
        let durability = try await durabilityOption(term, env)
        let returnChanges = try await returnChangesOption(term, env)
        let returnValues = try await boolOption("return_vals", term, env)
        let upsert = try await boolOption("upsert", term, env)
        var conflict: ConflictStrategy?
        if let value = try await optarg("conflict", term, env) {
            conflict = try await conflictStrategy(value, term: term, table: table)
        }
        let documents = try await eval(term.args[1], env)
        let input: Document
        switch documents {
        case .datum(let document): input = document
        default: input = .array(try await stream(of: documents, term: term.args[1]).collect(limit: context.arrayLimit))
        }
        try Literal.rejectStray(in: input)
        let result = try await library {
            let options = try InsertOptions.combining(conflict: conflict, durability: durability, returnChanges: returnChanges,
                                                      upsert: upsert, returnValues: returnValues, arrayLimit: context.arrayLimit)
            return try await table.table.insert(input, options: options)
        }
        return result.document
    }

    private func conflictStrategy(_ value: Value, term: Term, table: TableRef) async throws(ReqlError) -> ConflictStrategy {
        switch value {
        case .function(let function):
            guard function.parameters.count == 3 || function.parameters.isEmpty else {
                throw .runtime(.queryLogic, "The conflict function passed to `insert` should expect 3 arguments.")
            }
            guard function.body.isDeterministic else {
                throw .runtime(.queryLogic, "The conflict function passed to `insert` must be deterministic.")
            }
            let primaryKey = try await library { try await table.table.primaryKey() }
            let evaluator = self
            // RethinkDB passes the key field's name first (not the key's value).
            return .resolve { _, old, new in
                try Blocking.run { () async throws -> Document? in
                    let result = try await evaluator.callDatum(.function(function), [.string(primaryKey), old, new], term: term)
                    return result.isNull ? nil : result
                }
            }
        default:
            let document = try await datum(of: value, term: term)
            guard case .string(let text) = document else {
                throw .runtime(.queryLogic, "Expected type STRING but found \(document.typeName).")
            }
            return try await library { try ConflictStrategy(option: text) }
        }
    }

    /// `update`, `replace` and `delete` on a single selection, a selection or a table.
    private func modify(_ term: Term, _ env: Environment) async throws(ReqlError) -> Document {
        try arity(term, term.type == .delete ? 1...1 : 2...2)
        let target = try await eval(term.args[0], env)
        let durability = try await durabilityOption(term, env)
        let returnChanges = try await returnChangesOption(term, env) ?? .off
        let nonAtomic = try await boolOption("non_atomic", term, env) ?? false
        let transform: Value = term.type == .delete ? .datum(.null) : try await eval(term.args[1], env)
        if term.type != .delete {
            if case .function(let function) = transform, !nonAtomic, !function.body.isDeterministic {
                throw .runtime(.queryLogic, "Could not prove argument deterministic.  Maybe you want to use the non_atomic flag?", backtrace: term.args[1].path)
            }
            if case .datum = transform, !term.args[1].isDeterministic, !nonAtomic {
                throw .runtime(.queryLogic, "Could not prove argument deterministic.  Maybe you want to use the non_atomic flag?", backtrace: term.args[1].path)
            }
        }
        let selection: Selection
        switch target {
        case .singleSelection(let table, let key, _): selection = table.table.document(key)
        case .table(let table): selection = table.table.all
        case .selection(let table, let rows):
            let primaryKey = try await library { try await table.table.primaryKey() }
            var keys: [Document] = []
            while let row = try await rows.next() { keys.append(row[primaryKey] ?? .null) }
            selection = table.table.getAll(keys)
        default:
            throw .runtime(.queryLogic, "Expected type SELECTION but found \(target.typeName):", backtrace: term.args[0].path)
        }
        let evaluator = self
        let kind = term.type
        let result = try await library {
            try await selection.replace(durability: durability, returnChanges: returnChanges) { old in
                switch kind {
                case .delete: return nil
                case .replace:
                    return try Blocking.run { () async throws -> Document? in
                        let new = try await evaluator.callDatum(transform, [old ?? .null], term: term)
                        try Literal.rejectStray(in: new)
                        return new.isNull ? nil : new
                    }
                default:
                    guard let old else { return nil }
                    return try Blocking.run { () async throws -> Document? in
                        let patch = try await evaluator.callDatum(transform, [old], term: term)
                        if patch.isNull { return old }
                        let merged = try Literal.merge(old, patch)
                        try Literal.rejectStray(in: merged)
                        return merged
                    }
                }
            }
        }
        return result.document
    }

    /// `for_each`: runs a write per element and adds up the results (RethinkDB's `stats_merge`).
    private func forEach(_ term: Term, _ env: Environment) async throws(ReqlError) -> Document {
        try arity(term, 2...2)
        let rows = try stream(of: try await eval(term.args[0], env), term: term.args[0])
        let function = try await eval(term.args[1], env)
        var total: Document = .object(DocumentObject())
        while let row = try await rows.next() {
            let result = try await datum(of: call(function, [.datum(row)]), term: term.args[1])
            let results = result.arrayValue ?? [result]
            for element in results {
                guard case .object = element else {
                    throw .runtime(.queryLogic, "FOR_EACH expects one or more basic write queries.", backtrace: term.args[1].path)
                }
                total = Stats.merge(total, element)
            }
        }
        return total
    }

    private func durabilityOption(_ term: Term, _ env: Environment) async throws(ReqlError) -> Durability? {
        guard let text = try await optargString("durability", term, env) else { return nil }
        return try await library { try Durability(option: text) }
    }

    private func returnChangesOption(_ term: Term, _ env: Environment) async throws(ReqlError) -> ReturnChanges? {
        guard let value = try await optarg("return_changes", term, env) else { return nil }
        let document = try await datum(of: value, term: term)
        return try await library { try ReturnChanges(option: document) }
    }

    private func boolOption(_ name: String, _ term: Term, _ env: Environment) async throws(ReqlError) -> Bool? {
        guard let local = term.optarg(name) else { return nil }
        let document = try await datum(local, env)
        // ReQL truthiness: only false and null are false.
        switch document {
        case .bool(let flag): return flag
        case .null: return false
        default: return true
        }
    }
}

/// RethinkDB's `stats_merge`: numbers add, arrays concatenate, the left string stays.
enum Stats {
    static func merge(_ left: Document, _ right: Document) -> Document {
        guard case .object(var result) = left, case .object(let other) = right else { return left }
        for (key, value) in other {
            switch (result[key], value) {
            case (.number(let a)?, .number(let b)): result[key] = .number(a + b)
            case (.array(let a)?, .array(let b)): result[key] = .array(a + b)
            case (.some, _): break
            case (.none, _): result[key] = value
            }
        }
        return .object(result)
    }
}
