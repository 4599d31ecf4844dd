import DocumentModel

extension Evaluator {
    /// The value as a table slice (`as_table_slice`): a table is its primary key's universe.
    func tableSlice(_ value: Value, _ term: Term) throws(ReqlError) -> (table: TableRef, scan: IndexScan) {
        switch value {
        case .table(let table):
            return (table, .universe)
        case .selection(let selection):
            if case .slice(let scan) = selection.target { return (selection.table, scan) }
        default:
            break
        }
        throw valueTypeError("TABLE_SLICE", value, term)
    }

    /// `between(lower, upper, index:, left_bound:, right_bound:)`: a TABLE_SLICE, still a
    /// description, so that `order_by(index:)` may follow it and the library reads only the
    /// range (`between_term_t`, `table_slice_t::with_bounds`).
    func between(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        try arity(term, 3...3)
        let (table, scan) = try tableSlice(try eval(term.args[0], env), term.args[0])
        let leftOpen = try betweenBoundIsOpen("left_bound", term, env, default: false)
        let rightOpen = try betweenBoundIsOpen("right_bound", term, env, default: true)
        let lower = try betweenBound(term.args[1], env)
        let upper = try betweenBound(term.args[2], env)
        let index: String
        if let named = try optargString("index", term, env, local: true) {
            index = named
        } else if let current = scan.index {
            index = current
        } else {
            index = try context.tables.primaryKey(of: table)
        }
        guard scan.isUniverse else {
            throw .runtime(.queryLogic, "Cannot perform multiple BETWEENs on the same table.")
        }
        if let current = scan.index, current != index {
            throw .runtime(.queryLogic, "Cannot call BETWEEN on index `\(index)` after ordering on index `\(current)`.")
        }
        let narrowed = IndexScan(index: index, lower: lower, upper: upper,
                                 leftOpen: leftOpen, rightOpen: rightOpen, descending: scan.descending)
        return .selection(RowSelection(table: table, target: .slice(narrowed)))
    }

    /// `left_bound`/`right_bound`: `"open"` or `"closed"` (`bounded_op_term_t::open_bool`).
    private func betweenBoundIsOpen(_ name: String, _ term: Term, _ env: Environment, default open: Bool) throws(ReqlError) -> Bool {
        guard let text = try optargString(name, term, env, local: true) else { return open }
        switch text {
        case "open": return true
        case "closed": return false
        default:
            throw .runtime(.queryLogic, "Expected `open` or `closed` for optarg `\(name)` (got `\(Document.string(text).jsonString)`).")
        }
    }

    /// 2.x `between` refuses `null` as a bound, which 1.x took for "unbounded".
    private func betweenBound(_ term: Term, _ env: Environment) throws(ReqlError) -> Document {
        let bound = try datum(term, env)
        guard !bound.isNull else {
            throw .runtime(.queryLogic, "Cannot use `null` in BETWEEN, use `r.minval` or `r.maxval` to denote unboundedness.", backtrace: term.path)
        }
        return bound
    }

    /// `order_by(..., index: name or r.asc/r.desc(name))` (`orderby_term_t`): the table slice read
    /// in the index's order, lazily. Further keys sort each run of equal index values.
    func indexedOrderBy(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        // RethinkDB evaluates the other keys first, then the sequence, then the index.
        var keys: [(field: Value, descending: Bool)] = []
        for argument in term.args.dropFirst() {
            switch try eval(argument, env) {
            case .ordering(let field, let descending): keys.append((field, descending))
            case let field: keys.append((field, false))
            }
        }
        let source = try eval(term.args[0], env)
        guard let indexTerm = term.optarg("index") else { return source }
        var descending = false
        var nameValue = try eval(indexTerm, env)
        if case .ordering(let field, let isDescending) = nameValue {
            nameValue = field
            descending = isDescending
        }
        guard case (let table, var scan)? = try? tableSlice(source, term.args[0]) else {
            // Only a table or a slice has an index to read; an empty sequence is given back,
            // as RethinkDB does before it looks at the index.
            let rows = try stream(of: source, term: term.args[0])
            guard try rows.next() != nil else { return .datum(.array([])) }
            throw .runtime(.queryLogic, "Indexed order_by can only be performed on a TABLE or TABLE_SLICE. Make sure order_by comes before any transformations (such as map) or filters.")
        }
        let name = try datum(of: nameValue, term: indexTerm)
        guard case .string(let index) = name else { throw typeError("STRING", found: name.typeName, indexTerm) }
        guard scan.descending == nil else {
            throw .runtime(.queryLogic, "Cannot perform multiple indexed ORDER_BYs on the same table.")
        }
        if let current = scan.index, current != index {
            throw .runtime(.queryLogic, "Cannot order by index `\(index)` after calling BETWEEN on index `\(current)`.")
        }
        scan.index = index
        scan.descending = descending
        let ordered = RowSelection(table: table, target: .slice(scan))
        guard !keys.isEmpty else { return .selection(ordered) }
        return .selection(RowSelection(table: table, target: .rows(try sortedWithinRuns(ordered, keys: keys, term: term))))
    }
}

extension Evaluator {
    /// `order_by(key..., index:)`: RethinkDB reads the index a run of equal index values at a
    /// time and sorts each run by the other keys (`indexed_sort_datum_stream_t`), so the result
    /// streams. A primary key's runs are single rows, so its order is already final.
    func sortedWithinRuns(_ ordered: RowSelection, keys: [(field: Value, descending: Bool)], term: Term) throws(ReqlError) -> RowStream {
        let source = rows(of: ordered)
        guard case .slice(let scan) = ordered.target, let index = scan.index,
              index != (try context.tables.primaryKey(of: ordered.table)) else { return source }
        let emissionKey = try indexEntryKey(index, scan: scan, table: ordered.table)
        var pending: (row: Document, key: Document)?
        var run: [Document] = []
        var position = 0
        return RowStream(cancellation: context.cancellation) { () throws(ReqlError) -> Document? in
            if position == run.count {
                run = []
                position = 0
                var runKey = pending?.key
                if let row = pending?.row { run.append(row) }
                pending = nil
                while let row = try source.next() {
                    let key = try emissionKey(row)
                    if let runKey, key != runKey {
                        pending = (row, key)
                        break
                    }
                    runKey = key
                    run.append(row)
                }
                run = try self.sortedRun(run, by: keys, term: term)
            }
            guard position < run.count else { return nil }
            defer { position += 1 }
            return run[position]
        }
    }
}

extension Evaluator {
    /// A stable sort of one run of equal index values by `order_by`'s other keys (a missing
    /// field sorts as null).
    private func sortedRun(_ rows: [Document], by keys: [(field: Value, descending: Bool)], term: Term) throws(ReqlError) -> [Document] {
        guard rows.count > 1 else { return rows }
        var sortKeys: [[Document]] = []
        for row in rows {
            var rowKeys: [Document] = []
            for key in keys {
                if case .datum(.string(let name)) = key.field {
                    rowKeys.append(row[name] ?? .null)
                } else {
                    rowKeys.append(try callDatum(key.field, [row], term: term))
                }
            }
            sortKeys.append(rowKeys)
        }
        let order = rows.indices.sorted { left, right in
            for (position, key) in keys.enumerated() {
                let comparison = ReqlOrder.compare(sortKeys[left][position], sortKeys[right][position])
                if comparison != 0 { return key.descending ? comparison > 0 : comparison < 0 }
            }
            return left < right
        }
        return order.map { rows[$0] }
    }

    /// The index value under which a slice's stream gives each row, computed from the
    /// index's stored function. A multi index gives a row once per value in range, in the
    /// scan's order, so the n-th time a row comes its n-th such value is the one.
    func indexEntryKey(_ index: String, scan: IndexScan, table: TableRef) throws(ReqlError) -> (Document) throws(ReqlError) -> Document {
        let definition = try context.tables.indexDefinition(index, in: table)
        guard case .function(let function) = try eval(try Term.compile(definition.function), Environment()) else {
            throw .runtime(.internal, "The definition of index `\(index)` is not a function.")
        }
        let term = function.body
        guard definition.multi else {
            return { (row: Document) throws(ReqlError) -> Document in try self.callDatum(.function(function), [row], term: term) }
        }
        let primaryKey = try context.tables.primaryKey(of: table)
        var seen: [Document: Int] = [:]
        return { (row: Document) throws(ReqlError) -> Document in
            let value = try self.callDatum(.function(function), [row], term: term)
            var values = (value.arrayValue ?? [value]).filter { scan.contains($0) }
            values.sort { scan.descending == true ? ReqlOrder.compare($0, $1) > 0 : ReqlOrder.compare($0, $1) < 0 }
            let id = row[primaryKey] ?? .null
            let occurrence = seen[id, default: 0]
            seen[id] = occurrence + 1
            return occurrence < values.count ? values[occurrence] : values.last ?? .null
        }
    }
}
