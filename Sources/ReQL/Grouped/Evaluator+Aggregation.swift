import DocumentModel

extension Evaluator {
    /// `group`, `ungroup`, `sum`, `avg`, `min`, `max`, `reduce` and `distinct(index:)`; nil for
    /// other terms. (`count` of a plain sequence is with the sequence terms; of a grouped stream,
    /// in ``reduceGroups(_:_:_:)``.)
    func aggregationOperation(_ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        switch term.type {
        case .group: return try group(term, env)
        case .ungroup: return try ungroup(term, env)
        case .sum, .avg, .min, .max: return try fieldReduction(term, env)
        case .reduce:
            try arity(term, 2...2)
            let rows = try stream(of: try eval(term.args[0], env), term: term.args[0])
            return .datum(try located(term) { () throws(ReqlError) in try reduceReduction(term, env).reduce(rows) })
        case .distinct: return try indexedDistinct(term, env)
        default: return nil
        }
    }

    /// The reductions of a grouped stream, one pass, one result per group; nil for terms that
    /// are no reduction.
    func reduceGroups(_ term: Term, _ stream: GroupedStream, _ env: Environment) throws(ReqlError) -> Value? {
        let reduction: Reduction
        switch term.type {
        case .count:
            try arity(term, 1...2)
            reduction = try countReduction(term, env)
        case .sum, .avg, .min, .max:
            try arity(term, 1...2)
            if try optarg("index", term, env) != nil {
                throw .runtime(.queryLogic, "Expected type TABLE but found GROUPED_STREAM.", backtrace: term.args[0].path)
            }
            reduction = try valueReduction(term, env)
        case .reduce:
            try arity(term, 2...2)
            reduction = try reduceReduction(term, env)
        case .group:
            throw .runtime(.queryLogic, "Cannot call `group` on the output of `group` (did you mean to `ungroup`?).", backtrace: term.path)
        default:
            return nil
        }
        return .groupedData(try located(term) { () throws(ReqlError) in try reduction.reduce(stream, limit: context.arrayLimit) })
    }

    /// `count(predicate)` on a grouped stream: a function filters as `filter` does, a value
    /// counts the rows equal to it.
    private func countReduction(_ term: Term, _ env: Environment) throws(ReqlError) -> Reduction {
        var reduction = Reduction(kind: .count)
        guard term.args.count == 2 else { return reduction }
        let predicate = try eval(term.args[1], env)
        if case .function = predicate {
            // As `filter` without a default: a row the predicate cannot read does not count.
            reduction.predicate = { (row: Document) throws(ReqlError) -> Bool in
                do throws(ReqlError) {
                    return self.truthy(try self.callDatum(predicate, [row], term: term.args[1]))
                } catch where error.errorType == .nonExistence {
                    return false
                }
            }
        } else {
            let wanted = try datum(of: predicate, term: term.args[1])
            reduction.predicate = { (row: Document) -> Bool in ReqlOrder.compare(row, wanted) == 0 }
        }
        return reduction
    }

    private func valueReduction(_ term: Term, _ env: Environment) throws(ReqlError) -> Reduction {
        let kind = Reduction.Kind(rawValue: term.type == .sum ? "sum" : term.type == .avg ? "avg" : term.type == .min ? "min" : "max")!
        var reduction = Reduction(kind: kind)
        if term.args.count == 2 { reduction.value = try fieldOrFunction(try eval(term.args[1], env), term: term) }
        return reduction
    }

    private func reduceReduction(_ term: Term, _ env: Environment) throws(ReqlError) -> Reduction {
        let function = try self.function(term.args[1], env)
        var reduction = Reduction(kind: .reduce)
        reduction.combine = { (accumulated: Document, row: Document) throws(ReqlError) -> Document in
            try self.callDatum(.function(function), [accumulated, row], term: term.args[1])
        }
        return reduction
    }

    /// `sum`/`avg`/`min`/`max` of a sequence, by a field or function; `min`/`max` of a table
    /// by its primary key give that row as a single selection.
    private func fieldReduction(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        try arity(term, 1...2)
        let source = try eval(term.args[0], env)
        let index = try optarg("index", term, env)
        let reduction = try valueReduction(term, env)
        let name = reduction.kind.rawValue
        let extreme = reduction.kind == .min || reduction.kind == .max
        switch (reduction.value, index) {
        case (.some, .some):
            throw .runtime(.queryLogic, "Cannot provide both a function and an index to \(name).", backtrace: term.path)
        case (nil, .some(let index)):
            guard extreme else { throw .runtime(.queryLogic, "Cannot call \(name) on an index.", backtrace: term.path) }
            guard case .table(let table) = source else { throw typeError("TABLE", found: source.typeName, term.args[0]) }
            let indexName = try datum(of: index, term: term)
            guard case .string(let text) = indexName else { throw typeError("STRING", found: indexName.typeName, term) }
            guard try indexIsPrimaryKey(text, of: table) else {
                return try extremeRow(of: table, index: text, smallest: reduction.kind == .min, term: term)
            }
            return try extremeRow(of: table, smallest: reduction.kind == .min, term: term)
        case (nil, nil) where extreme:
            if case .table(let table) = source { return try extremeRow(of: table, smallest: reduction.kind == .min, term: term) }
        default:
            break
        }
        let rows = try stream(of: source, term: term.args[0])
        return .datum(try located(term) { () throws(ReqlError) in try reduction.reduce(rows) })
    }

    /// The row with the smallest (or largest) primary key, as `min`/`max` read a table's
    /// primary index.
    private func extremeRow(of table: TableRef, smallest: Bool, term: Term) throws(ReqlError) -> Value {
        let key = try context.tables.primaryKey(of: table)
        let rows = context.tables.scan(table)
        var best: (key: Document, row: Document)?
        while let row = try rows.next() {
            let value = row[key] ?? .null
            if let current = best {
                let order = ReqlOrder.compare(value, current.key)
                if smallest ? order >= 0 : order <= 0 { continue }
            }
            best = (value, row)
        }
        guard let best else {
            throw .runtime(.queryLogic, "`\(smallest ? "min" : "max")` found no entries in the specified index.", backtrace: term.path)
        }
        return .singleSelection(table, key: best.key, row: best.row)
    }

    /// The first row of a secondary index read upwards (`min`) or downwards (`max`).
    private func extremeRow(of table: TableRef, index: String, smallest: Bool, term: Term) throws(ReqlError) -> Value {
        let scan = IndexScan(index: index, descending: !smallest)
        guard let row = try context.tables.indexScan(scan, in: table).next() else {
            throw .runtime(.queryLogic, "`\(smallest ? "min" : "max")` found no entries in the specified index.", backtrace: term.path)
        }
        let key = try context.tables.primaryKey(of: table)
        return .singleSelection(table, key: row[key] ?? .null, row: row)
    }

    /// `distinct(index:)` on a table or a table slice: the index's distinct values, as a
    /// stream in index order (RethinkDB's ordered distinct over the slice). Nil for `distinct`
    /// without an index, which is a sequence term.
    private func indexedDistinct(_ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        guard term.optarg("index") != nil || context.globalOptargs["index"] != nil else { return nil }
        try arity(term, 1...1)
        let source = try eval(term.args[0], env)
        guard let (table, slice) = try? tableSlice(source, term.args[0]), let index = try optarg("index", term, env) else {
            throw .runtime(.queryLogic, "Can only perform an indexed distinct on a TABLE.", backtrace: term.path)
        }
        let name = try datum(of: index, term: term)
        guard case .string(let indexName) = name else { throw typeError("STRING", found: name.typeName, term) }
        if try indexIsPrimaryKey(indexName, of: table) {
            // Primary keys are distinct already: each row's key, in the slice's order.
            let rows = self.rows(of: RowSelection(table: table, target: .slice(slice)))
            return .stream(rows.map { (row: Document) -> Document in row[indexName] ?? .null })
        }
        if let current = slice.index, current != indexName {
            throw .runtime(.queryLogic, "Cannot call DISTINCT on index `\(indexName)` after reading index `\(current)`.", backtrace: term.path)
        }
        var ordered = slice
        ordered.index = indexName
        if ordered.descending == nil { ordered.descending = false }
        let rows = self.rows(of: RowSelection(table: table, target: .slice(ordered)))
        let value = try indexEntryKey(indexName, scan: ordered, table: table)
        var last: Document?
        // Index order puts equal values next to each other, so one look back removes repeats.
        return .stream(rows.map(value).filter { (current: Document) -> Bool in
            defer { last = current }
            return last.map { ReqlOrder.compare($0, current) != 0 } ?? true
        })
    }

    /// A field name or a function, as `group`, `sum`, `avg`, `min` and `max` take them
    /// (RethinkDB's GET_FIELD_SHORTCUT): `'a'` stands for `r.row['a']`.
    func fieldOrFunction(_ value: Value, term: Term) throws(ReqlError) -> (Document) throws(ReqlError) -> Document {
        switch value {
        case .function:
            return { (row: Document) throws(ReqlError) -> Document in try self.callDatum(value, [row], term: term) }
        case .datum(let key):
            return { (row: Document) throws(ReqlError) -> Document in try self.bracket(row, key, term: term) }
        default:
            throw typeError("FUNCTION", found: value.typeName, term)
        }
    }

    /// `row[key]`: a field of an object, or an element of an array.
    private func bracket(_ row: Document, _ key: Document, term: Term) throws(ReqlError) -> Document {
        switch (key, row) {
        case (.string(let name), .object(let fields)):
            guard let value = fields[name] else {
                throw .runtime(.nonExistence, "No attribute `\(name)` in object:\n\(row.prettyPrinted)", backtrace: term.path)
            }
            return value
        case (.number(let index), .array):
            guard let whole = Int64(exactly: index) else {
                throw .runtime(.queryLogic, "Expected type INTEGER but found \(JSONNumber.text(index)).", backtrace: term.path)
            }
            return try datum(of: nth(.datum(row), index: whole, term: term), term: term)
        case (.string, _), (.number, _):
            throw .runtime(.queryLogic, "Cannot perform bracket on a non-object non-sequence `\(row.truncatedPrettyPrinted)`.", backtrace: term.path)
        default:
            throw .runtime(key.isNull ? .nonExistence : .queryLogic,
                           "Expected NUMBER or STRING as second argument to `bracket` but found \(key.typeName).", backtrace: term.path)
        }
    }

    /// Whether `index` names the table's primary index, the one index every table has.
    func indexIsPrimaryKey(_ index: String, of table: TableRef) throws(ReqlError) -> Bool {
        try context.tables.primaryKey(of: table) == index
    }

    /// RethinkDB's error for an index the table does not have.
    func missingIndex(_ index: String, _ table: TableRef) -> ReqlError {
        .runtime(.opFailed, "Index `\(index)` was not found on table `\(table.database).\(table.name)`.")
    }
}
