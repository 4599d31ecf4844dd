import DocumentModel

extension Evaluator {
    /// `insert`, `update`, `replace`, `delete` and `for_each`.
    func write(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        switch term.type {
        case .insert: return .writeResult(try insert(term, env))
        case .forEach: return try forEach(term, env)
        default: return .writeResult(try modify(term, env))
        }
    }

    private func insert(_ term: Term, _ env: Environment) throws(ReqlError) -> any WriteSummary {
        try arity(term, 2...2)
        let table = try tableArgument(term.args[0], env)
        // RethinkDB evaluates the optargs before the documents, so a bad option writes nothing.
        var options = try commonOptions(term, env)
        options.returnValues = try boolOption("return_vals", term, env)
        options.upsert = try boolOption("upsert", term, env)
        if let value = try optarg("conflict", term, env) {
            options.conflict = try conflictOption(value, term: term, table: table)
        }
        try context.tables.checkWriteOptions(options)
        if let given = context.insertDocuments, given.term === term.args[1] {
            return try context.tables.insert(json: given.json, into: table, options: options)
        }
        let documents = try eval(term.args[1], env)
        let input: Document
        switch documents {
        case .datum(let document): input = document
        default: input = .array(try stream(of: documents, term: term.args[1]).collect(limit: context.arrayLimit))
        }
        try Literal.rejectStray(in: input)
        return try context.tables.insert(input, into: table, options: options)
    }

    /// A conflict function becomes a plain closure the library calls inside its write
    /// transaction; it is checked to be deterministic first, so it reads no table there.
    private func conflictOption(_ value: Value, term: Term, table: TableRef) throws(ReqlError) -> ConflictOption {
        switch value {
        case .function(let function):
            guard function.parameters.count == 3 || function.parameters.isEmpty else {
                throw .runtime(.queryLogic, "The conflict function passed to `insert` should expect 3 arguments.")
            }
            guard function.body.isDeterministic else {
                throw .runtime(.queryLogic, "The conflict function passed to `insert` must be deterministic.")
            }
            let primaryKey = try context.tables.primaryKey(of: table)
            let evaluator = self
            // RethinkDB passes the key field's name first (not the key's value).
            return .resolve { old, new in
                let result = try evaluator.callDatum(.function(function), [.string(primaryKey), old, new], term: term)
                return result.isNull ? nil : result
            }
        default:
            let document = try datum(of: value, term: term)
            guard case .string(let text) = document else {
                throw .runtime(.queryLogic, "Expected type STRING but found \(document.typeName).")
            }
            return .named(text)
        }
    }

    /// `update`, `replace` and `delete` on a single selection, a selection or a table.
    private func modify(_ term: Term, _ env: Environment) throws(ReqlError) -> any WriteSummary {
        try arity(term, term.type == .delete ? 1...1 : 2...2)
        let target = try eval(term.args[0], env)
        var options = try commonOptions(term, env)
        options.returnChanges = options.returnChanges ?? false
        try context.tables.checkWriteOptions(options)
        let nonAtomic = try boolOption("non_atomic", term, env) ?? false
        let transform: Value = term.type == .delete ? .datum(.null) : try eval(term.args[1], env)
        if term.type != .delete && !nonAtomic {
            let deterministic: Bool
            switch transform {
            case .function(let function): deterministic = function.body.isDeterministic
            default: deterministic = term.args[1].isDeterministic
            }
            guard deterministic else {
                throw .runtime(.queryLogic, "Could not prove argument deterministic.  Maybe you want to use the non_atomic flag?", backtrace: term.args[1].path)
            }
        }
        let (table, writeTarget) = try writeTarget(of: target, term: term)
        if term.type == .delete {
            return try context.tables.delete(writeTarget, in: table, options: options)
        }
        let evaluator = self
        let isReplace = term.type == .replace
        return try context.tables.replace(writeTarget, in: table, options: options) { old in
            if isReplace {
                let new = try evaluator.callDatum(transform, [old ?? .null], term: term)
                try Literal.rejectStray(in: new)
                return new.isNull ? nil : new
            }
            guard let old else { return nil }
            let patch = try evaluator.callDatum(transform, [old], term: term)
            if patch.isNull { return old }
            let merged = Literal.merge(old, patch)
            try Literal.rejectStray(in: merged)
            return merged
        }
    }

    /// What a write changes: a key, keys or the whole table go to the library as they are;
    /// rows of a stream (a filter, a limit) are read here and their keys handed over.
    private func writeTarget(of value: Value, term: Term) throws(ReqlError) -> (TableRef, WriteTarget) {
        switch value {
        case .singleSelection(let table, let key, _): return (table, .key(key))
        case .table(let table): return (table, .all)
        case .selection(let selection):
            switch selection.target {
            case .all: return (selection.table, .all)
            case .keys(let keys): return (selection.table, .keys(keys))
            case .rows(let rows):
                let primaryKey = try context.tables.primaryKey(of: selection.table)
                var keys: [Document] = []
                while let row = try rows.next() { keys.append(row[primaryKey] ?? .null) }
                return (selection.table, .keys(keys))
            case .slice:
                // A multi index gives a document once per value in range; it is written once.
                let primaryKey = try context.tables.primaryKey(of: selection.table)
                let rows = self.rows(of: selection)
                var keys: [Document] = []
                var seen: Set<Document> = []
                while let row = try rows.next() {
                    let key = row[primaryKey] ?? .null
                    if seen.insert(key).inserted { keys.append(key) }
                }
                return (selection.table, .keys(keys))
            }
        default:
            throw .runtime(.queryLogic, "Expected type SELECTION but found \(value.valueTypeName):\n\(value.printed)", backtrace: term.args[0].path)
        }
    }

    /// `for_each`: runs a write per element and adds up the results with the storage layer's
    /// merge (RethinkDB's `stats_merge`).
    private func forEach(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        try arity(term, 2...2)
        let rows = try stream(of: try eval(term.args[0], env), term: term.args[0])
        let function = try eval(term.args[1], env)
        var total: (any WriteSummary)?
        while let row = try rows.next() {
            for (value, inArray) in try writeValues(function, row) {
                let result: any WriteSummary
                switch value {
                case .writeResult(let written):
                    result = written
                case let other:
                    let failure = "FOR_EACH expects one or more basic write queries."
                    guard case .datum(let document) = other else {
                        throw .runtime(.queryLogic, failure, backtrace: term.args[1].path)
                    }
                    guard case .object = document else {
                        let expected = inArray ? "OBJECT" : "ARRAY"
                        throw .runtime(.queryLogic, "\(failure)  Expected type \(expected) but found \(document.typeName).", backtrace: term.args[1].path)
                    }
                    result = ResultObject(document, arrayLimit: context.arrayLimit)
                }
                total = total.map { $0.merged(with: result) } ?? result
            }
        }
        return total.map(Value.writeResult) ?? .datum(.object(DocumentObject()))
    }

    /// The writes `for_each`'s function makes for one row. A function whose body is an array
    /// (`lambda x: [a.insert(x), b.insert(x)]`) has each element evaluated on its own, so every
    /// write keeps its whole result instead of becoming an array datum.
    /// Each value comes with whether it was an element of an array (which must then be a
    /// write result object, not another array).
    private func writeValues(_ function: Value, _ row: Document) throws(ReqlError) -> [(Value, inArray: Bool)] {
        guard case .function(let callee) = function, callee.body.type == .makeArray,
              callee.parameters.count <= 1 else {
            let value = try call(function, [.datum(row)])
            if case .datum(.array(let elements)) = value { return elements.map { (.datum($0), true) } }
            if case .singleSelection(_, _, let row) = value { return [(.datum(row ?? .null), false)] }
            return [(value, false)]
        }
        var env = callee.captured
        if let id = callee.parameters.first { env.variables[id] = .datum(row) }
        env.implicit = .datum(row)
        var values: [(Value, inArray: Bool)] = []
        for element in callee.body.args { values.append((try eval(element, env), true)) }
        return values
    }

    /// `durability` and `return_changes`, from the term or the query's global optargs.
    private func commonOptions(_ term: Term, _ env: Environment) throws(ReqlError) -> WriteOptions {
        var options = WriteOptions(arrayLimit: context.arrayLimit)
        options.durability = try optargString("durability", term, env)
        options.ignoreWriteHook = try boolOption("ignore_write_hook", term, env) ?? false
        options.now = context.now
        if let value = try optarg("return_changes", term, env) {
            options.returnChanges = try datum(of: value, term: term)
        }
        return options
    }

    private func boolOption(_ name: String, _ term: Term, _ env: Environment) throws(ReqlError) -> Bool? {
        guard let local = term.optarg(name) else { return nil }
        // ReQL truthiness: only false and null are false.
        switch try datum(local, env) {
        case .bool(let flag): return flag
        case .null: return false
        default: return true
        }
    }
}
