import DocumentModel

extension Evaluator {
    /// Sequence terms (`filter`, `map`, `concat_map`, `order_by`, `count`, `limit`, ...); nil when
    /// the term is not one of them.
    func sequenceOperation(_ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        switch term.type {
        case .filter:
            try arity(term, 2...2)
            let source = try eval(term.args[0], env)
            let predicate = try eval(term.args[1], env)
            // `default` is evaluated only for a row whose predicate found a value missing.
            let fallback = term.optarg("default")
            let filtered = try stream(of: source, term: term.args[0]).filter { (row: Document) throws(ReqlError) -> Bool in
                try self.matches(row, predicate, default: fallback, in: env, term: term)
            }
            return try sameKind(as: source, filtered)
        case .map:
            return try map(term, env)
        case .concatMap:
            try arity(term, 2...2)
            let source = try eval(term.args[0], env)
            let function = try self.function(term.args[1], env)
            let mapped = try stream(of: source, term: term.args[0]).concatMap { (row: Document) throws(ReqlError) -> RowStream in
                try self.stream(of: try self.call(function, [.datum(row)]), term: term.args[1])
            }
            return try sameKind(as: source, mapped, keepingSelection: false)
        case .orderBy:
            return try orderBy(term, env)
        case .asc, .desc:
            try arity(term, 1...1)
            return .ordering(field: try eval(term.args[0], env), descending: term.type == .desc)
        case .count:
            try arity(term, 1...2)
            var source = try eval(term.args[0], env)
            // A `get` counts as the row it selects (an object's fields).
            if case .singleSelection(_, _, let row) = source { source = .datum(row ?? .null) }
            if term.args.count == 1 {
                switch source {
                case .table(let table): return .datum(.number(Double(try context.tables.count(table))))
                case .selection(let selection):
                    if case .all = selection.target { return .datum(.number(Double(try context.tables.count(selection.table)))) }
                case .datum(.string(let text)): return .datum(.number(Double(text.unicodeScalars.count)))
                case .datum(let value) where Binary.isBinary(value):
                    return .datum(.number(Double(Binary.bytes(of: value)?.count ?? 0)))
                case .datum(.object(let object)): return .datum(.number(Double(object.count)))
                default: break
                }
            }
            let rows = try stream(of: source, term: term.args[0])
            guard let predicate = try evalOptional(term.args.dropFirst().first, env) else {
                return .datum(.number(Double(try rows.count())))
            }
            // A function counts the rows it accepts, as `filter`; any other value counts the
            // rows equal to it (RethinkDB's `count(value)`, not `filter`'s object matching).
            guard case .function = predicate else {
                let wanted = try datum(of: predicate, term: term.args[1])
                return .datum(.number(Double(try rows.count { (row: Document) -> Bool in ReqlOrder.compare(row, wanted) == 0 })))
            }
            let count = try rows.count { (row: Document) throws(ReqlError) -> Bool in
                try self.matches(row, predicate, term: term)
            }
            return .datum(.number(Double(count)))
        case .limit, .skip:
            try arity(term, 2...2)
            let source = try eval(term.args[0], env)
            let count = try integer(term.args[1], env)
            if term.type == .limit && count < 0 {
                throw .runtime(.queryLogic, "LIMIT takes a non-negative argument (got \(count))", backtrace: term.path)
            }
            if term.type == .skip && count < 0 {
                // `skip` is `slice(n)`: from the end on an array, refused on a stream.
                guard case .datum(.array(let elements)) = source else {
                    throw .runtime(.queryLogic, "Cannot use a negative left index on a stream.", backtrace: term.path)
                }
                return .datum(.array(Array(elements.suffix(Int(min(-count, Int64(elements.count)))))))
            }
            let rows = try stream(of: source, term: term.args[0])
            let amount = Int(clamping: count)
            return try sameKind(as: source, term.type == .limit ? rows.limit(amount) : rows.skip(amount))
        case .isEmpty:
            try arity(term, 1...1)
            let rows = try stream(of: try eval(term.args[0], env), term: term.args[0])
            if case .none = try rows.next() { return .datum(true) }
            return .datum(false)
        case .range:
            try arity(term, 0...2)
            var bounds: [Int64] = []
            for argument in term.args { bounds.append(try integer(argument, env)) }
            let start = bounds.count == 2 ? bounds[0] : 0
            let end = bounds.count == 2 ? bounds[1] : bounds.first
            return .stream(.range(from: start, to: end, cancellation: context.cancellation))
        default:
            return nil
        }
    }

    /// Whether a row passes a filter: a function's truthy result, or an object whose fields
    /// the row has with equal values, or a constant.
    /// Whether a row passes a filter: a function's truthy result, or an object pattern (a
    /// literal object, or a function whose body is one) whose fields the row has with equal
    /// values, or a constant. A NON_EXISTENCE error (a missing field, a null) makes the row
    /// fail, or pass if `default` says so; `r.error()` as the default keeps the error.
    func matches(_ row: Document, _ predicate: Value, default fallback: Term? = nil, in env: Environment = Environment(),
                 term: Term) throws(ReqlError) -> Bool {
        do throws(ReqlError) {
            switch predicate {
            case .function(let function):
                let result = try callDatum(predicate, [row], term: term)
                if case .object = result, function.body.type == .makeObject || function.body.type == .datum {
                    return try Self.filterMatch(result, row, term: term)
                }
                return truthy(result)
            case .datum(let wanted):
                guard case .object = wanted else { return truthy(wanted) }
                return try Self.filterMatch(wanted, row, term: term)
            default:
                throw valueTypeError("FUNCTION", predicate, term.args[1])
            }
        } catch where error.errorType == .nonExistence {
            let original = error
            guard let fallback else { return false }
            do throws(ReqlError) {
                return truthy(try datum(fallback, env))
            } catch where error.isEmptyError {
                throw original
            }
        }
    }

    /// RethinkDB's `filter_match`: every field of the pattern present in the value and equal
    /// (nested objects matched the same way, a literal compared whole).
    private static func filterMatch(_ pattern: Document, _ value: Document, term: Term) throws(ReqlError) -> Bool {
        let (isLiteral, literalValue) = Literal.unwrap(pattern)
        if isLiteral { return literalValue.map { $0 == value } ?? false }
        guard case .object(let fields) = pattern else { return pattern == value }
        guard case .object(let object) = value else {
            throw .runtime(value.isNull ? .nonExistence : .queryLogic, "Expected type OBJECT but found \(value.typeName).", backtrace: term.path)
        }
        for (key, wanted) in fields {
            guard let actual = object[key] else {
                throw .runtime(.nonExistence, "No attribute `\(key)` in object.", backtrace: term.path)
            }
            if case .object = wanted, case .object = actual {
                if !(try filterMatch(wanted, actual, term: term)) { return false }
            } else if actual != wanted {
                return false
            }
        }
        return true
    }

    private func orderBy(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        try arity(term, 1...Int.max)
        if term.optarg("index") != nil { return try indexedOrderBy(term, env) }
        let source = try eval(term.args[0], env)
        var keys: [(field: Value, descending: Bool)] = []
        for argument in term.args.dropFirst() {
            let value = try eval(argument, env)
            let key: (field: Value, descending: Bool)
            if case .ordering(let field, let descending) = value { key = (field, descending) } else { key = (value, false) }
            // A key is a function or a field name: RethinkDB reads any other datum as a name.
            if case .datum(let datum) = key.field, datum.stringValue == nil {
                throw typeError("STRING", found: datum.typeName, argument)
            }
            keys.append(key)
        }
        var rows = try stream(of: source, term: term.args[0]).collect(limit: context.arrayLimit)
        var sortKeys: [[Document?]] = []
        for row in rows {
            var rowKeys: [Document?] = []
            for key in keys { rowKeys.append(try orderingKey(key.field, of: row, term: term)) }
            sortKeys.append(rowKeys)
        }
        let order = Array(rows.indices).sorted { left, right in
            for (position, key) in keys.enumerated() {
                let comparison = Self.compareOrderingKeys(sortKeys[left][position], sortKeys[right][position])
                if comparison != 0 { return key.descending ? comparison > 0 : comparison < 0 }
            }
            return left < right
        }
        rows = order.map { rows[$0] }
        return .datum(.array(rows))
    }
}
