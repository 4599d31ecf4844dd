import DocumentModel

/// What a feed watches, as the public API names it.
enum FeedTarget: Sendable {
    /// Every document (`table.changes()`).
    case table
    /// One key (`table.get(key).changes()`).
    case point(Document)
    /// Primary keys (`table.get_all(k1, k2).changes()`); a key given twice counts twice.
    case keys([Document])
    /// Values of a secondary index (`table.get_all(v1, v2, index=).changes()`).
    case indexValues([Document], index: String)
    /// A range of an index (`between(...).changes()`, `order_by(index=).changes()`).
    case range(IndexRange)
    /// The first `n` documents of an ordered range (`order_by(index=).limit(n).changes()`).
    case limit(IndexRange, Int)
}

/// A range of values, closed or open at each end, in ReQL's order (`r.minval`/`r.maxval`
/// included).
struct ValueBounds: Sendable {
    let lower: Document
    let lowerOpen: Bool
    let upper: Document
    let upperOpen: Bool

    init(_ range: IndexRange) {
        lower = range.lower.datum
        lowerOpen = range.leftBound == .open
        upper = range.upper.datum
        upperOpen = range.rightBound == .open
    }

    func contains(_ value: Document) -> Bool {
        let low = ReqlOrder.compare(value, lower)
        guard low > 0 || (low == 0 && !lowerOpen) else { return false }
        let high = ReqlOrder.compare(value, upper)
        return high < 0 || (high == 0 && !upperOpen)
    }
}

/// One change as a flat feed queues it: a document's old and new value as the feed shows
/// them (after the predicate and the transform), keyed by its primary key for squashing.
struct FlatChange: Sendable {
    let key: Document
    var old: Document?
    var new: Document?
    var sequence: Int64?
}

/// Which changes of a table a flat feed (every kind but `limit`) delivers, and how many
/// times: RethinkDB's rules for its range, point and `get_all` subscriptions.
///
/// For a secondary index, the old document's entries in the selection are paired with the
/// new document's: a pair is one change, an unpaired old entry a removal, an unpaired new
/// entry an addition (so a document moving out of a `between` is removed from it). A
/// document matched by a value asked for twice (`get_all(1, 1)`) comes twice.
struct FeedSelector: Sendable {
    enum Match: Sendable {
        case all
        /// Primary keys, each with how many times it was asked for.
        case keys([Document: Int])
        case primaryRange(ValueBounds)
        /// Secondary index values, each with how many times it was asked for.
        case indexValues([(value: Document, copies: Int)])
        case indexRange(ValueBounds)
    }

    let match: Match
    let primaryKey: String
    /// The secondary index's name, for the kinds that read one.
    let index: String?
    let options: ChangeFeedOptions

    init(target: FeedTarget, primaryKey: String, options: ChangeFeedOptions) {
        self.primaryKey = primaryKey
        self.options = options
        switch target {
        case .table:
            match = .all
            index = nil
        case .point(let key):
            match = .keys([key: 1])
            index = nil
        case .keys(let keys):
            match = .keys(keys.reduce(into: [:]) { $0[$1, default: 0] += 1 })
            index = nil
        case .indexValues(let values, let name) where name == primaryKey:
            match = .keys(values.reduce(into: [:]) { $0[$1, default: 0] += 1 })
            index = nil
        case .indexValues(let values, let name):
            var counted: [(value: Document, copies: Int)] = []
            for value in values {
                if let position = counted.firstIndex(where: { ReqlOrder.compare($0.value, value) == 0 }) {
                    counted[position].copies += 1
                } else {
                    counted.append((value, 1))
                }
            }
            match = .indexValues(counted)
            index = name
        case .range(let range), .limit(let range, _):
            if range.index == nil || range.index == primaryKey {
                match = .primaryRange(ValueBounds(range))
                index = nil
            } else {
                match = .indexRange(ValueBounds(range))
                index = range.index
            }
        }
    }

    /// How many times the selection holds an index value (a primary key for the primary kinds).
    private func copies(of value: Document) -> Int {
        switch match {
        case .all: return 1
        case .keys(let keys): return keys[value] ?? 0
        case .primaryRange(let bounds), .indexRange(let bounds): return bounds.contains(value) ? 1 : 0
        case .indexValues(let values): return values.first { ReqlOrder.compare($0.value, value) == 0 }?.copies ?? 0
        }
    }

    /// Whether a document is in the selection at all (before the predicate).
    func selects(_ document: Document, definition: IndexDefinition?) -> Bool {
        guard let definition else { return copies(of: document[primaryKey] ?? .null) > 0 }
        return definition.entries(of: document).contains { copies(of: $0.value) > 0 }
    }

    /// The changes a record makes to the feed, in RethinkDB's order.
    func changes(of record: ChangeLogStorage.Record, definition: IndexDefinition?) -> [FlatChange] {
        guard let key = (record.new ?? record.old)?[primaryKey] else { return [] }
        let old = options.project(record.old)
        let new = options.project(record.new)
        let trivial = options.hasProjection && old == new
        let change = FlatChange(key: key, old: old, new: new, sequence: record.sequence)
        guard let definition else {
            guard !trivial, old != nil || new != nil else { return [] }
            return Array(repeating: change, count: copies(of: key))
        }
        let olds = record.old.map { definition.entries(of: $0).reduce(0) { $0 + copies(of: $1.value) } } ?? 0
        let news = record.new.map { definition.entries(of: $0).reduce(0) { $0 + copies(of: $1.value) } } ?? 0
        var changes: [FlatChange] = []
        let pairs = min(olds, news)
        if !trivial && (old != nil || new != nil) {
            changes += Array(repeating: change, count: pairs)
        }
        if olds > pairs, old != nil {
            changes += Array(repeating: FlatChange(key: key, old: old, new: nil, sequence: record.sequence), count: olds - pairs)
        }
        if news > pairs, new != nil {
            changes += Array(repeating: FlatChange(key: key, old: nil, new: new, sequence: record.sequence), count: news - pairs)
        }
        return changes
    }
}
