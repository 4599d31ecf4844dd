import DocumentModel

extension Evaluator {
    /// `union` and `distinct` (without an index); nil for other terms.
    func unionOperation(_ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        switch term.type {
        case .union:
            return try union(term, env)
        case .distinct:
            return try distinct(term, env)
        default:
            return nil
        }
    }

    /// `union`: the sequences one after another, or with `interleave` set to fields,
    /// functions or orderings, merged in that order (each input must already be sorted so).
    private func union(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        var sources: [Value] = []
        var streams: [RowStream] = []
        for argument in term.args {
            let source = try eval(argument, env)
            sources.append(source)
            streams.append(try stream(of: source, term: argument))
        }
        if let feed = try feedUnion(of: streams, term, env) { return .stream(feed) }
        let keys = try interleaveKeys(term, env)
        let rows: RowStream
        if keys.isEmpty {
            var current = 0
            rows = RowStream(cancellation: context.cancellation, isInfinite: streams.contains(where: \.isInfinite)) { () throws(ReqlError) -> Document? in
                while current < streams.count {
                    if let row = try streams[current].next() { return row }
                    current += 1
                }
                return nil
            }
        } else {
            rows = try merged(streams, by: keys, term: term)
        }
        if sources.allSatisfy({ if case .datum = $0 { return true } else { return false } }) {
            return .datum(.array(try rows.collect(limit: context.arrayLimit)))
        }
        return .stream(rows)
    }

    /// The sort keys `interleave` names; none for `true`/`false` (or no `interleave`).
    private func interleaveKeys(_ term: Term, _ env: Environment) throws(ReqlError) -> [(field: Value, descending: Bool)] {
        guard let option = term.optarg("interleave") else { return [] }
        // An array may hold functions and orderings, so its elements are evaluated one by one.
        var values: [Value] = []
        if option.type == .makeArray {
            for element in option.args { values.append(try eval(element, env)) }
        } else {
            let value = try eval(option, env)
            if case .datum(.bool) = value { return [] }
            values = [value]
        }
        return values.map { value in
            if case .ordering(let field, let descending) = value { return (field, descending) }
            return (value, false)
        }
    }

    /// A merge of sorted streams: always the smallest head next (the first stream's on a tie),
    /// with RethinkDB's error when a stream turns out not to be sorted.
    private func merged(_ streams: [RowStream], by keys: [(field: Value, descending: Bool)], term: Term) throws(ReqlError) -> RowStream {
        func sortKey(_ row: Document) throws(ReqlError) -> [Document?] {
            var values: [Document?] = []
            for key in keys { values.append(try orderingKey(key.field, of: row, term: term)) }
            return values
        }
        func order(_ left: [Document?], _ right: [Document?]) -> Int {
            for (index, key) in keys.enumerated() {
                let comparison = Self.compareOrderingKeys(left[index], right[index])
                if comparison != 0 { return key.descending ? -comparison : comparison }
            }
            return 0
        }
        var heads: [(row: Document, key: [Document?])?] = []
        var started = false
        return RowStream(cancellation: context.cancellation, isInfinite: streams.contains(where: \.isInfinite)) { () throws(ReqlError) -> Document? in
            func pull(_ index: Int, after previous: [Document?]?) throws(ReqlError) -> (row: Document, key: [Document?])? {
                guard let row = try streams[index].next() else { return nil }
                let key = try sortKey(row)
                if let previous, order(key, previous) < 0 {
                    throw .runtime(.queryLogic, "The streams given as arguments are not ordered by given ordering.", backtrace: term.path)
                }
                return (row, key)
            }
            if !started {
                started = true
                for index in streams.indices { heads.append(try pull(index, after: nil)) }
            }
            var best: Int?
            for (index, head) in heads.enumerated() {
                guard let head else { continue }
                if let current = best, let bestHead = heads[current], order(head.key, bestHead.key) >= 0 { continue }
                best = index
            }
            guard let best, let chosen = heads[best] else { return nil }
            heads[best] = try pull(best, after: chosen.key)
            return chosen.row
        }
    }

    /// `distinct` without an index: the distinct elements in ReQL's order, as an array; a
    /// table's rows are distinct already and come back as a stream in key order.
    private func distinct(_ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        // An indexed distinct reads an index of a table or a slice: the aggregation terms' work.
        if term.optarg("index") != nil { return nil }
        let source = try eval(term.args[0], env)
        if case .table(let table) = source {
            let primaryKey = try context.tables.primaryKey(of: table)
            var rows = try context.tables.scan(table).collect(limit: Int.max)
            rows.sort { ReqlOrder.compare($0[primaryKey] ?? .null, $1[primaryKey] ?? .null) < 0 }
            return .stream(.array(rows, cancellation: context.cancellation))
        }
        let rows = try stream(of: source, term: term.args[0])
        if rows.feed != nil { throw .terminalOnFeed }
        if rows.isInfinite { throw .infiniteStream }
        var seen = Set<Document>()
        var distinct: [Document] = []
        while let row = try rows.next() {
            if seen.insert(row).inserted {
                distinct.append(row)
                if distinct.count > context.arrayLimit { throw .arrayLimit(context.arrayLimit) }
            }
        }
        distinct.sort { ReqlOrder.compare($0, $1) < 0 }
        return .datum(.array(distinct))
    }

    /// A row's sort key for `order_by` and ordered `union` (a field name or a function);
    /// nil when the row lacks it (a NON_EXISTENCE error), which sorts before any value.
    func orderingKey(_ field: Value, of row: Document, term: Term) throws(ReqlError) -> Document? {
        do throws(ReqlError) {
            if case .datum(.string(let name)) = field {
                return try Self.field(name, of: row, operation: "get_field", term: term)
            }
            return try callDatum(field, [row], term: term)
        } catch where error.errorType == .nonExistence {
            return nil
        }
    }

    static func compareOrderingKeys(_ left: Document?, _ right: Document?) -> Int {
        switch (left, right) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case (let left?, let right?): return ReqlOrder.compare(left, right)
        }
    }
}
