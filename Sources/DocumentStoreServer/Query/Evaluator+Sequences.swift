import DocumentStore

extension Evaluator {
    /// Sequence terms (`filter`, `map`, `concat_map`, `order_by`, `count`, `limit`, ...); nil when
    /// the term is not one of them.
    func sequenceOperation(_ term: Term, _ env: Environment) async throws(ReqlError) -> Value? {
        switch term.type {
        case .filter:
            try arity(term, 2...2)
            let source = try await eval(term.args[0], env)
            let predicate = try await eval(term.args[1], env)
            let defaultValue = try await datumOptional(term.optarg("default"), env)
            let filtered = try stream(of: source, term: term.args[0]).filter { (row: Document) async throws(ReqlError) -> Bool in
                try await self.matches(row, predicate, defaultValue: defaultValue, term: term)
            }
            return keepSelection(source, filtered)
        case .map:
            try arity(term, 2...2)
            let source = try await eval(term.args[0], env)
            let function = try await eval(term.args[1], env)
            let mapped = try stream(of: source, term: term.args[0]).map { (row: Document) async throws(ReqlError) -> Document in
                try await self.callDatum(function, [row], term: term)
            }
            return try await arrayIfDatum(source, mapped)
        case .concatMap:
            try arity(term, 2...2)
            let source = try await eval(term.args[0], env)
            let function = try await eval(term.args[1], env)
            let mapped = try stream(of: source, term: term.args[0]).concatMap { (row: Document) async throws(ReqlError) -> RowStream in
                try self.stream(of: try await self.call(function, [.datum(row)]), term: term.args[1])
            }
            return .stream(mapped)
        case .orderBy:
            return try await orderBy(term, env)
        case .asc, .desc:
            try arity(term, 1...1)
            return .ordering(field: try await eval(term.args[0], env), descending: term.type == .desc)
        case .count:
            try arity(term, 1...2)
            let source = try await eval(term.args[0], env)
            if term.args.count == 1 {
                switch source {
                case .table(let table): return .datum(.number(Double(try await library { try await table.table.count() })))
                case .datum(.string(let text)): return .datum(.number(Double(text.count)))
                case .datum(.object(let object)): return .datum(.number(Double(object.count)))
                default: break
                }
            }
            let predicate = try await evalOptional(term.args.dropFirst().first, env)
            var count = 0
            let rows = try stream(of: source, term: term.args[0])
            while let row = try await rows.next() {
                if let predicate {
                    if try await matches(row, predicate, defaultValue: nil, term: term) { count += 1 }
                } else {
                    count += 1
                }
            }
            return .datum(.number(Double(count)))
        case .limit, .skip:
            try arity(term, 2...2)
            let source = try await eval(term.args[0], env)
            let count = Int(max(0, try await number(term.args[1], env)))
            let rows = try stream(of: source, term: term.args[0])
            return try await arrayIfDatum(source, term.type == .limit ? rows.limit(count) : rows.skip(count))
        case .nth:
            try arity(term, 2...2)
            let array = try await stream(of: eval(term.args[0], env), term: term.args[0]).collect(limit: context.arrayLimit)
            return .datum(try element(array, try await number(term.args[1], env), term: term))
        case .isEmpty:
            try arity(term, 1...1)
            let rows = try stream(of: try await eval(term.args[0], env), term: term.args[0])
            if case .none = try await rows.next() { return .datum(true) }
            return .datum(false)
        case .contains:
            try arity(term, 2...Int.max)
            let array = try await stream(of: eval(term.args[0], env), term: term.args[0]).collect(limit: context.arrayLimit)
            for argument in term.args.dropFirst() {
                let wanted = try await eval(argument, env)
                var found = false
                for element in array where try await matches(element, wanted, defaultValue: nil, term: term, equality: true) {
                    found = true
                    break
                }
                if !found { return .datum(false) }
            }
            return .datum(true)
        case .range:
            try arity(term, 0...2)
            var bounds: [Double] = []
            for argument in term.args { bounds.append(try await number(argument, env)) }
            let start = bounds.count == 2 ? Int(bounds[0]) : 0
            let end = bounds.count == 2 ? Int(bounds[1]) : bounds.count == 1 ? Int(bounds[0]) : Int.max
            var next = start
            return .stream(RowStream { () throws(ReqlError) -> Document? in
                guard next < end else { return nil }
                defer { next += 1 }
                return .number(Double(next))
            })
        default:
            return nil
        }
    }

    /// Whether a row passes a filter: a function's truthy result, or an object whose fields
    /// the row has with equal values, or a constant.
    func matches(_ row: Document, _ predicate: Value, defaultValue: Document?, term: Term, equality: Bool = false) async throws(ReqlError) -> Bool {
        switch predicate {
        case .function:
            do throws(ReqlError) {
                return truthy(try await callDatum(predicate, [row], term: term))
            } catch where error.errorType == ReqlError.ErrorType.nonExistence.rawValue && defaultValue != nil {
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
            throw .runtime(.queryLogic, "Expected type FUNCTION but found \(predicate.typeName).", backtrace: term.path)
        }
    }

    /// A filter on a table's rows stays a selection, so it can be updated or deleted.
    private func keepSelection(_ source: Value, _ rows: RowStream) -> Value {
        switch source {
        case .table(let table), .selection(let table, _): return .selection(table, rows)
        case .datum(.array): return .stream(rows)
        default: return .stream(rows)
        }
    }

    /// Operations on a literal array give an array (a datum), on a stream a stream.
    private func arrayIfDatum(_ source: Value, _ rows: RowStream) async throws(ReqlError) -> Value {
        if case .datum = source { return .datum(.array(try await rows.collect(limit: context.arrayLimit))) }
        if case .selection(let table, _) = source { return .selection(table, rows) }
        if case .table(let table) = source { return .selection(table, rows) }
        return .stream(rows)
    }

    private func orderBy(_ term: Term, _ env: Environment) async throws(ReqlError) -> Value {
        try arity(term, 1...Int.max)
        let source = try await eval(term.args[0], env)
        var keys: [(field: Value, descending: Bool)] = []
        for argument in term.args.dropFirst() {
            let value = try await eval(argument, env)
            if case .ordering(let field, let descending) = value {
                keys.append((field, descending))
            } else {
                keys.append((value, false))
            }
        }
        if let index = term.optarg("index") {
            let value = try await eval(index, env)
            if case .ordering(let field, let descending) = value { keys.insert((field, descending), at: 0) } else { keys.insert((value, false), at: 0) }
        }
        var rows = try await stream(of: source, term: term.args[0]).collect(limit: context.arrayLimit)
        var sortKeys: [[Document]] = []
        for row in rows {
            var rowKeys: [Document] = []
            for key in keys {
                switch key.field {
                case .datum(.string(let name)): rowKeys.append(row[name] ?? .null)
                default: rowKeys.append(try await callDatum(key.field, [row], term: term))
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
