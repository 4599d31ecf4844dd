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
            let defaultValue = try datumOptional(term.optarg("default"), env)
            let filtered = try stream(of: source, term: term.args[0]).filter { (row: Document) throws(ReqlError) -> Bool in
                try self.matches(row, predicate, defaultValue: defaultValue, term: term)
            }
            return keepSelection(source, filtered)
        case .map:
            try arity(term, 2...2)
            let source = try eval(term.args[0], env)
            let function = try eval(term.args[1], env)
            let mapped = try stream(of: source, term: term.args[0]).map { (row: Document) throws(ReqlError) -> Document in
                try self.callDatum(function, [row], term: term)
            }
            return try arrayIfDatum(source, mapped)
        case .concatMap:
            try arity(term, 2...2)
            let source = try eval(term.args[0], env)
            let function = try eval(term.args[1], env)
            let mapped = try stream(of: source, term: term.args[0]).concatMap { (row: Document) throws(ReqlError) -> RowStream in
                try self.stream(of: try self.call(function, [.datum(row)]), term: term.args[1])
            }
            return .stream(mapped)
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
                case .datum(.string(let text)): return .datum(.number(Double(text.count)))
                case .datum(.object(let object)): return .datum(.number(Double(object.count)))
                default: break
                }
            }
            let rows = try stream(of: source, term: term.args[0])
            guard let predicate = try evalOptional(term.args.dropFirst().first, env) else {
                return .datum(.number(Double(try rows.count())))
            }
            let count = try rows.count { (row: Document) throws(ReqlError) -> Bool in
                try self.matches(row, predicate, defaultValue: nil, term: term)
            }
            return .datum(.number(Double(count)))
        case .limit, .skip:
            try arity(term, 2...2)
            let source = try eval(term.args[0], env)
            let count = Int(max(0, try number(term.args[1], env)))
            let rows = try stream(of: source, term: term.args[0])
            return try arrayIfDatum(source, term.type == .limit ? rows.limit(count) : rows.skip(count))
        case .nth:
            try arity(term, 2...2)
            let array = try stream(of: eval(term.args[0], env), term: term.args[0]).collect(limit: context.arrayLimit)
            return .datum(try element(array, try number(term.args[1], env), term: term))
        case .isEmpty:
            try arity(term, 1...1)
            let rows = try stream(of: try eval(term.args[0], env), term: term.args[0])
            if case .none = try rows.next() { return .datum(true) }
            return .datum(false)
        case .contains:
            try arity(term, 2...Int.max)
            let array = try stream(of: eval(term.args[0], env), term: term.args[0]).collect(limit: context.arrayLimit)
            for argument in term.args.dropFirst() {
                let wanted = try eval(argument, env)
                var found = false
                for element in array where try matches(element, wanted, defaultValue: nil, term: term, equality: true) {
                    found = true
                    break
                }
                if !found { return .datum(false) }
            }
            return .datum(true)
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
    func matches(_ row: Document, _ predicate: Value, defaultValue: Document?, term: Term, equality: Bool = false) throws(ReqlError) -> Bool {
        switch predicate {
        case .function:
            do throws(ReqlError) {
                return truthy(try callDatum(predicate, [row], term: term))
            } catch where error.errorType == .nonExistence && defaultValue != nil {
                return truthy(defaultValue!)
            }
        case .datum(let wanted):
            if equality { return ReqlOrder.compare(row, wanted) == 0 }
            guard case .object(let fields) = wanted else { return truthy(wanted) }
            guard case .object(let object) = row else { return false }
            for (key, value) in fields {
                guard let actual = object[key], ReqlOrder.compare(actual, value) == 0 else { return false }
            }
            return true
        default:
            throw typeError("FUNCTION", found: predicate.typeName, term)
        }
    }

    /// A filter on a table's rows stays a selection, so it can be updated or deleted.
    private func keepSelection(_ source: Value, _ rows: RowStream) -> Value {
        switch source {
        case .table(let table): return .selection(RowSelection(table: table, target: .rows(rows)))
        case .selection(let selection): return .selection(RowSelection(table: selection.table, target: .rows(rows)))
        default: return .stream(rows)
        }
    }

    /// Operations on a literal array give an array (a datum), on a stream a stream.
    private func arrayIfDatum(_ source: Value, _ rows: RowStream) throws(ReqlError) -> Value {
        if case .datum = source { return .datum(.array(try rows.collect(limit: context.arrayLimit))) }
        return keepSelection(source, rows)
    }

    private func orderBy(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        try arity(term, 1...Int.max)
        if term.optarg("index") != nil { return try indexedOrderBy(term, env) }
        let source = try eval(term.args[0], env)
        var keys: [(field: Value, descending: Bool)] = []
        for argument in term.args.dropFirst() {
            let value = try eval(argument, env)
            if case .ordering(let field, let descending) = value {
                keys.append((field, descending))
            } else {
                keys.append((value, false))
            }
        }
        if let index = term.optarg("index") {
            let value = try eval(index, env)
            if case .ordering(let field, let descending) = value { keys.insert((field, descending), at: 0) } else { keys.insert((value, false), at: 0) }
        }
        var rows = try stream(of: source, term: term.args[0]).collect(limit: context.arrayLimit)
        var sortKeys: [[Document]] = []
        for row in rows {
            var rowKeys: [Document] = []
            for key in keys {
                switch key.field {
                case .datum(.string(let name)): rowKeys.append(row[name] ?? .null)
                default: rowKeys.append(try callDatum(key.field, [row], term: term))
                }
            }
            sortKeys.append(rowKeys)
        }
        let order = Array(rows.indices).sorted { left, right in
            for (position, key) in keys.enumerated() {
                let comparison = ReqlOrder.compare(sortKeys[left][position], sortKeys[right][position])
                if comparison != 0 { return key.descending ? comparison > 0 : comparison < 0 }
            }
            return left < right
        }
        rows = order.map { rows[$0] }
        return .datum(.array(rows))
    }
}
