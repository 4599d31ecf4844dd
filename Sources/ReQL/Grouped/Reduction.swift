import DocumentModel

/// One of RethinkDB's reductions of a sequence to a datum (`shards.cc` terminals): `count`,
/// `sum`, `avg`, `min`, `max` and `reduce`, the same for a whole sequence and for each group
/// of a grouped stream.
///
/// `sum`, `avg`, `min` and `max` skip a row whose value does not exist (a missing field, a
/// `null`), as RethinkDB does; a group all of whose rows were skipped is left out. On an empty
/// sequence `count` and `sum` give 0, and the others RethinkDB's non-existence errors.
///
/// ```swift
/// // r.expr([{a: 1}, {b: 2}, {a: 3}]).sum('a')  -> 4 (the row without `a` is skipped)
/// // r.expr([]).avg()                          -> "Cannot take the average of an empty stream. ..."
/// ```
struct Reduction {
    enum Kind: String { case count, sum, avg, min, max, reduce }

    /// A running result.
    enum State {
        case empty
        case count(Int)
        case sum(Double)
        case average(Double, Int)
        /// The best row so far and the value it was judged by.
        case best(row: Document, value: Document)
        case reduced(Document)
    }

    let kind: Kind
    /// What a row contributes: the field or function given to `sum`/`avg`/`min`/`max`.
    var value: ((Document) throws(ReqlError) -> Document)?
    /// `count(predicate)`: whether a row counts.
    var predicate: ((Document) throws(ReqlError) -> Bool)?
    /// `reduce`'s function of the accumulated value and the next row.
    var combine: ((Document, Document) throws(ReqlError) -> Document)?

    var initial: State {
        switch kind {
        case .count: return .count(0)
        case .sum: return .sum(0)
        case .avg: return .average(0, 0)
        case .min, .max, .reduce: return .empty
        }
    }

    /// Adds a row; false when the row was skipped.
    func accumulate(_ state: inout State, _ row: Document) throws(ReqlError) -> Bool {
        switch (kind, state) {
        case (.count, .count(let count)):
            if let predicate, !(try predicate(row)) { return false }
            state = .count(count + 1)
        case (.reduce, .empty):
            state = .reduced(row)
        case (.reduce, .reduced(let accumulated)):
            state = .reduced(try combine?(accumulated, row) ?? row)
        default:
            let contributed: Document
            do throws(ReqlError) {
                contributed = try value?(row) ?? row
                if kind == .sum || kind == .avg { try Self.requireNumber(contributed) }
            } catch where error.errorType == .nonExistence {
                return false
            }
            state = fold(state, row: row, value: contributed)
        }
        return true
    }

    /// `as_num()`: a `null` is a non-existence error (so the row is skipped), anything else
    /// that is not a number a type error.
    private static func requireNumber(_ value: Document) throws(ReqlError) {
        guard case .number = value else {
            throw .runtime(value.isNull ? .nonExistence : .queryLogic, "Expected type NUMBER but found \(value.typeName).")
        }
    }

    private func fold(_ state: State, row: Document, value: Document) -> State {
        switch (state, value) {
        case (.sum(let total), .number(let number)): return .sum(total + number)
        case (.average(let total, let count), .number(let number)): return .average(total + number, count + 1)
        case (.best(_, let best), _):
            let order = ReqlOrder.compare(value, best)
            // Ties keep the first row, as RethinkDB's strict comparison does.
            let better = kind == .min ? order < 0 : order > 0
            return better ? .best(row: row, value: value) : state
        default: return .best(row: row, value: value)
        }
    }

    /// The result; nil never (a state that accumulated nothing is an error or a zero).
    func finish(_ state: State) throws(ReqlError) -> Document {
        switch state {
        case .count(let count): return .number(Double(count))
        case .sum(let total): return .number(total)
        case .average(let total, let count) where count > 0: return .number(total / Double(count))
        case .best(let row, _): return row
        case .reduced(let value): return value
        case .average, .empty:
            if kind == .reduce { throw .runtime(.nonExistence, "Cannot reduce over an empty stream.") }
            let name = kind == .avg ? "average" : kind.rawValue
            throw .runtime(.nonExistence, "Cannot take the \(name) of an empty stream.  (If you passed `\(kind.rawValue)` a field name, it may be that no elements of the stream had that field.)")
        }
    }

    /// Reduces a whole sequence.
    func reduce(_ rows: RowStream) throws(ReqlError) -> Document {
        guard rows.feed == nil else { throw .terminalOnFeed }
        guard !rows.isInfinite else { throw .infiniteStream }
        var state = initial
        while let row = try rows.next() { _ = try accumulate(&state, row) }
        return try finish(state)
    }

    /// Reduces each group of a grouped stream; groups with no row accumulated are left out.
    func reduce(_ groups: GroupedStream, limit: Int) throws(ReqlError) -> GroupedData {
        var table = GroupTable<(state: State, used: Bool)>(limit: limit)
        while let (key, row) = try groups.next() {
            let position = try table.position(of: key, initial: (initial, false))
            try table.update(position) { (entry: inout (state: State, used: Bool)) throws(ReqlError) in
                if try accumulate(&entry.state, row) { entry.used = true }
            }
        }
        return try table.finished { (entry: (state: State, used: Bool)) throws(ReqlError) -> Document? in
            entry.used ? try finish(entry.state) : nil
        }
    }
}
