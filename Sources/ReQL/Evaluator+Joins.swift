import DocumentModel

extension Evaluator {
    /// How many left rows `eq_join` reads before it looks their keys up: one library read per
    /// batch on the primary key, one per distinct key on a secondary index.
    static let eqJoinBatchSize = 100

    /// `eq_join`, `inner_join`, `outer_join` and `zip`.
    func join(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        switch term.type {
        case .eqJoin: return try eqJoin(term, env)
        case .zip: return try zipJoined(term, env)
        default: return try nestedLoopJoin(term, env, outer: term.type == .outerJoin)
        }
    }

    /// `left.eq_join(field or function, table, index:, ordered:)` (`eq_join_datum_stream_t`):
    /// each left row's key is looked up in the table's index; a row whose key is null or missing
    /// joins nothing. Rows come out in the left side's order, which is what `ordered=True` asks
    /// for and a valid order without it.
    private func eqJoin(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        try arity(term, 3...3)
        let source = try eval(term.args[0], env)
        let left = try stream(of: source, term: term.args[0])
        let table = try tableOnly(term.args[2], env)
        let keyOf = try joinKey(try eval(term.args[1], env), term: term)
        // Rows keep the left order whether or not `ordered` asks; it is still evaluated.
        _ = try flag("ordered", term, env)
        let primaryKey = try context.tables.primaryKey(of: table)
        let index = try optargString("index", term, env, local: true) ?? primaryKey
        let tables = context.tables
        var output: [Document] = []
        var position = 0
        var exhausted = false
        let joined = RowStream(cancellation: context.cancellation) { () throws(ReqlError) -> Document? in
            while position == output.count {
                guard !exhausted else { return nil }
                output = []
                position = 0
                var batch: [(row: Document, key: Document)] = []
                while batch.count < Self.eqJoinBatchSize {
                    guard let row = try left.next() else {
                        exhausted = true
                        break
                    }
                    let key: Document
                    do throws(ReqlError) {
                        key = try keyOf(row)
                    } catch where error.errorType == .nonExistence {
                        continue
                    }
                    if !key.isNull { batch.append((row, key)) }
                }
                let matches = try Self.lookUp(batch.map(\.key), index: index, primaryKey: primaryKey, table: table, tables: tables)
                for (row, key) in batch {
                    for right in matches[key] ?? [] { output.append(["left": row, "right": right]) }
                }
            }
            defer { position += 1 }
            return output[position]
        }
        if case .datum = source { return .datum(.array(try joined.collect(limit: context.arrayLimit))) }
        return .stream(joined)
    }

    /// `eq_join`'s second argument: a function of the row, or a field name
    /// (`GET_FIELD_SHORTCUT`), whose absence is a non-existence error like `r.row[name]`'s.
    private func joinKey(_ value: Value, term: Term) throws(ReqlError) -> (Document) throws(ReqlError) -> Document {
        switch value {
        case .function:
            return { (row: Document) throws(ReqlError) -> Document in try self.callDatum(value, [row], term: term) }
        case .datum(.string(let name)):
            return { (row: Document) throws(ReqlError) -> Document in
                guard case .object(let fields) = row else {
                    throw .runtime(.queryLogic, "Cannot perform get_field on a non-object non-sequence `\(row.jsonString)`.")
                }
                guard let key = fields[name] else {
                    throw .runtime(.nonExistence, "No attribute `\(name)` in object:\n\(row.prettyPrinted)")
                }
                return key
            }
        case .datum(let other):
            throw typeError("STRING", found: other.typeName, term.args[1])
        default:
            throw valueTypeError("FUNCTION", value, term.args[1])
        }
    }

    /// The right-side rows for each key: the primary key in one read, a secondary index one
    /// read per distinct key (the index's entries say which key a row matched).
    private static func lookUp(_ keys: [Document], index: String, primaryKey: String, table: TableRef,
                               tables: any TableAccess) throws(ReqlError) -> [Document: [Document]] {
        var distinct: [Document] = []
        var seen: Set<Document> = []
        for key in keys where seen.insert(key).inserted { distinct.append(key) }
        var matches: [Document: [Document]] = [:]
        guard !distinct.isEmpty else { return matches }
        if index == primaryKey {
            for row in try tables.getAll(distinct, in: table) {
                if let key = row[primaryKey] { matches[key, default: []].append(row) }
            }
            return matches
        }
        for key in distinct {
            let rows = tables.getAll([key], index: index, in: table)
            var found: [Document] = []
            while let row = try rows.next() { found.append(row) }
            matches[key] = found
        }
        return matches
    }

    /// `inner_join`/`outer_join`: RethinkDB rewrites them as nested `concat_map`s that test every
    /// pair, reading the right side again for each left row; `outer_join` keeps a left row that
    /// matched nothing as `{left: row}`.
    private func nestedLoopJoin(_ term: Term, _ env: Environment, outer: Bool) throws(ReqlError) -> Value {
        try arity(term, 3...3)
        let left = try stream(of: try eval(term.args[0], env), term: term.args[0])
        let predicate = try eval(term.args[2], env)
        guard case .function = predicate else { throw valueTypeError("FUNCTION", predicate, term.args[2]) }
        let cancellation = context.cancellation
        let arrayLimit = context.arrayLimit
        let joined = left.concatMap { (row: Document) throws(ReqlError) -> RowStream in
            let right = try self.stream(of: try self.eval(term.args[1], env), term: term.args[1])
            let pairs = right
                .filter { (candidate: Document) throws(ReqlError) -> Bool in
                    self.truthy(try self.callDatum(predicate, [row, candidate], term: term))
                }
                .map { (candidate: Document) throws(ReqlError) -> Document in ["left": row, "right": candidate] }
            guard outer else { return pairs }
            let matched = try pairs.collect(limit: arrayLimit)
            return .array(matched.isEmpty ? [["left": row]] : matched, cancellation: cancellation)
        }
        return .stream(joined)
    }

    /// `zip`: each `{left, right}` pair of a join merged into one object.
    private func zipJoined(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        try arity(term, 1...1)
        let source = try eval(term.args[0], env)
        let zipped = try stream(of: source, term: term.args[0]).map { (pair: Document) throws(ReqlError) -> Document in
            guard case .object(let fields) = pair else { throw self.typeError("OBJECT", found: pair.typeName, term) }
            guard let left = fields["left"] else {
                throw .runtime(.queryLogic, "ZIP can only be called on the result of a join.")
            }
            return fields["right"].map { left.merging($0) } ?? left
        }
        if case .datum = source { return .datum(.array(try zipped.collect(limit: context.arrayLimit))) }
        return .stream(zipped)
    }
}
