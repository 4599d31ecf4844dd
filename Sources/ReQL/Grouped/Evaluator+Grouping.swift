import DocumentModel

extension TermType {
    package static let group = TermType(rawValue: 144)!, ungroup = TermType(rawValue: 150)!

    /// Which argument a term runs over group by group when that argument is grouped
    /// (`op_term_t::term_eval`: the first; `funcall`'s values come after its function). Nil
    /// for the terms RethinkDB gives grouped values whole (`type_of`, `ungroup`, `default`...)
    /// and for terms whose first argument is no value (variables, functions).
    var groupedArgument: Int? {
        switch self {
        case .datum, .makeObject, .variable, .implicitVar, .function, .typeOf, .info, .ungroup, .default, .error,
             .literal, .javascript, .now, .minval, .maxval:
            return nil
        case .funcall:
            return 1
        default:
            return 0
        }
    }

    /// Terms that transform a grouped stream row by row, keeping it a grouped stream
    /// (`grouped_seq_op_term_t` transformations): `map`, `filter`, `concat_map`, `pluck`,
    /// `without`, `merge`, `with_fields` (96), `has_fields` and `eq_join` (50).
    fileprivate var isRowTransformation: Bool {
        [Self.map, .filter, .concatMap, .pluck, .without, .merge, .hasFields].contains(self)
            || rawValue == 96 || rawValue == 50
    }
}

extension Evaluator {
    /// Evaluates a term whose argument may be grouped, as RethinkDB does: on grouped data, the
    /// term runs once per group with the argument standing for that group's value; on a
    /// grouped stream, per-row terms stay lazy, reductions reduce per group, and anything
    /// else runs per group on the groups' rows. An argument that is not grouped is evaluated
    /// once and handed to the term as it is.
    func evaluateGroupable(_ term: Term, argument index: Int, _ env: Environment) throws(ReqlError) -> Value {
        let argument = term.args[index]
        let value = try eval(argument, env)
        switch value {
        case .groupedData(let data):
            return .groupedData(try perGroup(term, argument, data, env))
        case .groupedStream(let stream):
            if let reduced = try reduceGroups(term, stream, env) { return reduced }
            if isRowTransformation(term) { return .groupedStream(perRow(term, argument, stream, env)) }
            return .groupedData(try perGroup(term, argument, stream.collect(limit: context.arrayLimit), env))
        default:
            return try dispatch(term, env.substituting(argument, value))
        }
    }

    /// The term once per group, its argument being the group's value.
    private func perGroup(_ term: Term, _ argument: Term, _ data: GroupedData, _ env: Environment) throws(ReqlError) -> GroupedData {
        var results: [(key: Document, value: Document)] = []
        for (key, value) in data.groups {
            let result = try dispatch(term, env.substituting(argument, .datum(value)))
            switch result {
            case .table, .selection, .stream:
                // A group's value is a datum: a term that streams gives its elements as an array.
                results.append((key, .array(try stream(of: result, term: term).collect(limit: context.arrayLimit))))
            default:
                results.append((key, try datum(of: result, term: term)))
            }
        }
        return GroupedData(results)
    }

    /// The term applied to each row on its own (as a one-row array), each result row staying
    /// in its row's group.
    private func perRow(_ term: Term, _ argument: Term, _ stream: GroupedStream, _ env: Environment) -> GroupedStream {
        stream.flatMap { (row: Document) throws(ReqlError) -> [Document] in
            let result = try self.dispatch(term, env.substituting(argument, .datum(.array([row]))))
            return try self.stream(of: result, term: term).collect(limit: self.context.arrayLimit)
        }
    }

    private func isRowTransformation(_ term: Term) -> Bool {
        if term.type == .map { return term.args.count == 2 }
        if term.type == .bracket || term.type == .getField {
            // A field of every row; a number would pick one row of each group instead.
            guard term.args.count == 2, term.args[1].type == .datum, case .string = term.args[1].datum else { return false }
            return true
        }
        return term.type.isRowTransformation
    }

    /// `group(sequence, fields or functions..., index:, multi:)`: a grouped stream. A key that
    /// does not exist in a row (a missing field) groups it under `null`; with `multi`, a key
    /// that is an array puts the row in one group per element (`null` for an empty array).
    func group(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        try arity(term, 1...Int.max)
        let source = try eval(term.args[0], env)
        var keyFunctions: [Value] = []
        for argument in term.args.dropFirst() { keyFunctions.append(try eval(argument, env)) }
        var indexRows: RowStream?
        var indexValue: ((Document) throws(ReqlError) -> Document)?
        if let index = try optarg("index", term, env) {
            let name = try datum(of: index, term: term)
            guard case .string(let indexName) = name else { throw typeError("STRING", found: name.typeName, term) }
            guard case .table(let table) = source else {
                throw typeError("TABLE", found: source.typeName, term.args[0])
            }
            if try indexIsPrimaryKey(indexName, of: table) {
                keyFunctions.append(.datum(.string(indexName)))
            } else {
                // Rows read by a secondary index (once per entry of a multi index) carry the
                // entry's value as the last part of their key.
                let scan = IndexScan(index: indexName, descending: false)
                indexRows = rows(of: RowSelection(table: table, target: .slice(scan)))
                indexValue = try indexEntryKey(indexName, scan: scan, table: table)
            }
        }
        guard !keyFunctions.isEmpty || indexValue != nil else {
            throw .runtime(.queryLogic, "Cannot group by nothing.", backtrace: term.path)
        }
        var multi = false
        if let value = try optarg("multi", term, env) {
            let flag = try datum(of: value, term: term)
            guard case .bool(let bool) = flag else { throw typeError("BOOL", found: flag.typeName, term) }
            multi = bool
        }
        let input: RowStream
        if let indexRows { input = indexRows } else { input = try stream(of: source, term: term.args[0]) }
        let pairs = input.concatMap { (row: Document) throws(ReqlError) -> RowStream in
            var parts: [Document] = []
            for function in keyFunctions {
                do throws(ReqlError) {
                    parts.append(try self.fieldOrFunction(function, term: term)(row))
                } catch where error.errorType == .nonExistence {
                    parts.append(.null)
                }
            }
            if let indexValue { parts.append(try indexValue(row)) }
            let keys = multi ? Self.combinations(parts) : [parts.count == 1 ? parts[0] : .array(parts)]
            return .array(keys.map { .array([$0, row]) }, cancellation: self.context.cancellation)
        }
        return .groupedStream(GroupedStream(pairs: pairs))
    }

    /// `multi`'s keys: every combination of the parts' elements (a part that is not an array
    /// is its own only element, an empty array stands for `null`).
    private static func combinations(_ parts: [Document]) -> [Document] {
        var keys: [[Document]] = [[]]
        for part in parts {
            var choices = part.arrayValue ?? [part]
            if choices.isEmpty { choices = [.null] }
            keys = keys.flatMap { prefix in choices.map { prefix + [$0] } }
        }
        return keys.map { $0.count == 1 ? $0[0] : .array($0) }
    }

    /// `ungroup()`: grouped values as `[{group, reduction}]`, in group order.
    func ungroup(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        try arity(term, 1...1)
        switch try eval(term.args[0], env) {
        case .groupedData(let data):
            return .datum(.array(data.ungrouped))
        case .groupedStream(let stream):
            return .datum(.array(try stream.collect(limit: context.arrayLimit).ungrouped))
        case .datum(let value):
            // `rcheck_literal_type`'s wording, which prints the value.
            throw .runtime(value.isNull ? .nonExistence : .queryLogic,
                           "Expected type GROUPED_DATA but found DATUM:\n\(value.prettyPrinted)", backtrace: term.args[0].path)
        case let other:
            throw typeError("GROUPED_DATA", found: other.typeName, term.args[0])
        }
    }
}

extension Environment {
    /// This environment with `term` standing for `value`.
    func substituting(_ term: Term, _ value: Value) -> Environment {
        var copy = self
        copy.substitute = (term, value)
        return copy
    }
}
