import DocumentModel

/// RethinkDB's GROUPED_DATA: one value per group, groups in ReQL's order of their keys.
///
/// It is what `group(...)` becomes once reduced (`count()`, `sum()`, `coerce_to('array')`...)
/// or once anything but a per-row transformation is applied to it. Terms applied to grouped
/// data apply to each group's value; `ungroup()` turns it into an array of `{group,
/// reduction}` objects, and a client gets it as the GROUPED_DATA pseudotype, which drivers
/// turn into a dictionary (or keep raw with `group_format: 'raw'`).
///
/// ```swift
/// let counts = GroupedData([(key: 1, value: 2), (key: 0, value: 3)])
/// counts.pseudotype   // {"$reql_type$":"GROUPED_DATA","data":[[0,3],[1,2]]}
/// ```
package struct GroupedData: Sendable {
    /// Sorted by key, keys distinct (by ReQL's equality).
    package let groups: [(key: Document, value: Document)]

    /// Groups in any order; they are sorted by key.
    package init(_ groups: [(key: Document, value: Document)]) {
        self.groups = groups.sorted { ReqlOrder.compare($0.key, $1.key) < 0 }
    }

    /// What the server sends (`to_datum_for_client_serialization`).
    package var pseudotype: Document {
        ["$reql_type$": "GROUPED_DATA", "data": .array(groups.map { .array([$0.key, $0.value]) })]
    }

    /// `ungroup()`: `[{"group": key, "reduction": value}, ...]`.
    package var ungrouped: [Document] {
        groups.map { ["group": $0.key, "reduction": $0.value] }
    }
}

/// Groups being collected, keyed by ReQL's equality, each with its running state.
struct GroupTable<State> {
    private var positions: [Document: Int] = [:]
    private(set) var keys: [Document] = []
    private(set) var states: [State] = []
    /// RethinkDB's bound on the number of groups (the query's array limit).
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    var isEmpty: Bool { keys.isEmpty }

    /// The position of `key`'s group, made with `initial` when new.
    mutating func position(of key: Document, initial: @autoclosure () -> State) throws(ReqlError) -> Int {
        if let position = positions[key] { return position }
        guard keys.count < limit else {
            throw .runtime(.resourceLimit, "Too many groups (> \(limit)).")
        }
        positions[key] = keys.count
        keys.append(key)
        states.append(initial())
        return keys.count - 1
    }

    mutating func update(_ position: Int, _ change: (inout State) throws(ReqlError) -> Void) throws(ReqlError) {
        try change(&states[position])
    }

    /// Each group's final value, sorted by key.
    func finished(_ finish: (State) throws(ReqlError) -> Document?) throws(ReqlError) -> GroupedData {
        var groups: [(key: Document, value: Document)] = []
        for (key, state) in zip(keys, states) {
            if let value = try finish(state) { groups.append((key, value)) }
        }
        return GroupedData(groups)
    }
}
