import DocumentModel

/// A read of one index between two bounds, as RethinkDB's `table_slice_t` describes it: what
/// `between` and `order_by(index:)` build, and what ``TableAccess/indexScan(_:in:)`` reads.
///
/// The bounds are index values, or ``Bound/minval`` and ``Bound/maxval`` for an end that is
/// not bounded. A table read whole is the universe: both ends unbounded and open.
package struct IndexScan: Sendable, Equatable {
    /// The index read, nil until `between` or `order_by` names one (then the primary key's
    /// name, when that is the index they use).
    package var index: String?
    package var lower: Document
    package var upper: Document
    package var leftOpen: Bool
    package var rightOpen: Bool
    /// nil: unordered (the index's storage order will do); else `order_by(index:)`'s direction.
    package var descending: Bool?

    package init(index: String? = nil, lower: Document = Bound.minval, upper: Document = Bound.maxval,
                 leftOpen: Bool = true, rightOpen: Bool = true, descending: Bool? = nil) {
        self.index = index
        self.lower = lower
        self.upper = upper
        self.leftOpen = leftOpen
        self.rightOpen = rightOpen
        self.descending = descending
    }

    /// The whole table in no particular order.
    package static let universe = IndexScan()

    /// RethinkDB's `datum_range_t::is_universe`: only a range no `between` narrowed.
    /// `between(r.minval, r.maxval)` is not one: its left end is closed.
    package var isUniverse: Bool {
        lower == Bound.minval && leftOpen && upper == Bound.maxval && rightOpen
    }

    /// Whether an index value lies between the bounds.
    package func contains(_ value: Document) -> Bool {
        let low = ReqlOrder.compare(lower, value)
        let high = ReqlOrder.compare(value, upper)
        return (leftOpen ? low < 0 : low <= 0) && (rightOpen ? high < 0 : high <= 0)
    }
}

extension RowSelection {
    /// Whether this is a TABLE_SLICE (`between`, `order_by(index:)`), which more of them can
    /// still narrow, rather than rows already chosen.
    package var isSlice: Bool {
        if case .slice = target { return true }
        return false
    }
}
