import DocumentModel

/// Documents read through an index, a page at a time in index order: RethinkDB's `between`
/// and `order_by(index=...)`, composable as they are in ReQL.
///
/// Each page is one short read (on a reader connection when the store is a file) that starts
/// after the last entry seen, so a page deep into a large index costs what the first one does,
/// no transaction stays open between pages, and nothing outside the range is read.
///
/// ```swift
/// // The ten youngest adults, oldest first among them:
/// var adults: [Document] = []
/// for try await user in users.between(.value(18), .maxval, index: "age").ordered(.ascending) {
///     adults.append(user)
///     if adults.count == 10 { break }
/// }
/// ```
///
/// A document appears once per entry in the range: for a multi index, once per matching
/// element (as in RethinkDB). Entries with equal values come in primary-key order (in
/// RethinkDB's order of key types).
public struct IndexRange: AsyncSequence, Sendable {
    /// Each element is one stored document.
    public typealias Element = Document

    let table: Table
    /// nil: the primary key.
    public let index: String?
    let lower: IndexBound
    let upper: IndexBound
    let leftBound: BoundKind
    let rightBound: BoundKind
    let order: IndexOrder?
    let size: Int
    let hasBetween: Bool
    /// A composition RethinkDB refuses, reported when the range is read.
    let problem: DocumentStoreError?
    /// The most documents the range gives (``limit(_:)``), nil for all of them.
    let maximum: Int?

    init(table: Table, index: String?, lower: IndexBound = .minval, upper: IndexBound = .maxval,
         leftBound: BoundKind = .closed, rightBound: BoundKind = .open, order: IndexOrder? = nil,
         size: Int = 1000, hasBetween: Bool = false, problem: DocumentStoreError? = nil, maximum: Int? = nil) {
        self.table = table
        self.index = index
        self.lower = lower
        self.upper = upper
        self.leftBound = leftBound
        self.rightBound = rightBound
        self.order = order
        self.size = size
        self.hasBetween = hasBetween
        self.problem = problem
        self.maximum = maximum
    }

    /// Whether an order was asked for (``ordered(_:)`` or ``Table/orderBy(index:_:)``); a
    /// range without one still comes in ascending index order, but promises none.
    public var isOrdered: Bool { order != nil }

    /// The part of the range between two bounds, RethinkDB's `between` after `order_by`.
    ///
    /// ```swift
    /// users.orderBy(index: "age", .descending).between(.value(18), .value(30))
    /// ```
    ///
    /// A range that already has bounds cannot take more: reading it throws RethinkDB's
    /// "Cannot perform multiple BETWEENs on the same table.".
    public func between(_ lower: IndexBound, _ upper: IndexBound, leftBound: BoundKind = .closed,
                        rightBound: BoundKind = .open) -> IndexRange {
        IndexRange(table: table, index: index, lower: lower, upper: upper, leftBound: leftBound, rightBound: rightBound,
                   order: order, size: size, hasBetween: true,
                   problem: problem ?? (hasBetween ? DocumentStoreError(.queryLogic, "Cannot perform multiple BETWEENs on the same table.") : nil),
                   maximum: maximum)
    }

    /// The same range in this order, RethinkDB's `order_by(index=...)` after `between`.
    ///
    /// ```swift
    /// users.between(.value(18), .maxval, index: "age").ordered(.descending)
    /// ```
    public func ordered(_ order: IndexOrder) -> IndexRange {
        IndexRange(table: table, index: index, lower: lower, upper: upper, leftBound: leftBound, rightBound: rightBound,
                   order: order, size: size, hasBetween: hasBetween, problem: problem, maximum: maximum)
    }

    /// The same range read `size` entries per page (1000 by default).
    ///
    /// ```swift
    /// for try await user in users.orderBy(index: "age").pageSize(100) { print(user) }
    /// ```
    public func pageSize(_ size: Int) -> IndexRange {
        IndexRange(table: table, index: index, lower: lower, upper: upper, leftBound: leftBound, rightBound: rightBound,
                   order: order, size: Swift.max(1, size), hasBetween: hasBetween, problem: problem, maximum: maximum)
    }

    /// The first `n` documents of the range, RethinkDB's `limit` after `order_by(index=)` or
    /// `between`; with ``changes(_:)``, a feed of the first `n` documents as they change.
    ///
    /// ```swift
    /// let topTen = users.orderBy(index: "score", .descending).limit(10)
    /// for try await user in topTen { print(user) }
    /// for try await change in topTen.changes() { print(change.document.jsonString) }
    /// ```
    public func limit(_ n: Int) -> IndexRange {
        IndexRange(table: table, index: index, lower: lower, upper: upper, leftBound: leftBound, rightBound: rightBound,
                   order: order, size: size, hasBetween: hasBetween, problem: problem,
                   maximum: Swift.max(0, Swift.min(n, maximum ?? n)))
    }

    /// A new read from the start of the range; each `for try await` loop makes its own.
    public func makeAsyncIterator() -> Iterator {
        Iterator(range: self)
    }

    /// Reads the range a page at a time, keeping only the current page in memory.
    ///
    /// ```swift
    /// var iterator = users.orderBy(index: "age").makeAsyncIterator()
    /// let youngest = try await iterator.next()
    /// ```
    public struct Iterator: AsyncIteratorProtocol {
        private let range: IndexRange
        private var scan: IndexScan?
        private var page: [Document] = []
        private var position = 0
        private var finished = false
        private var delivered = 0

        init(range: IndexRange) {
            self.range = range
        }

        /// The next document in index order, or nil after the last one.
        ///
        /// - Throws: `DocumentStoreError`: "Index \`x\` was not found on table \`test.t\`.",
        ///   "Index \`x\` on table \`test.t\` was accessed before its construction was
        ///   finished." (`.opFailed`), RethinkDB's errors for a bound no index holds (null, an
        ///   object), or `.storage` when SQLite fails.
        public mutating func next() async throws -> Document? {
            if let maximum = range.maximum, delivered >= maximum { return nil }
            while position == page.count {
                guard !finished else { return nil }
                if scan == nil {
                    if let problem = range.problem { throw problem }
                    scan = try await IndexScan(range)
                }
                guard var current = scan else { return nil }
                let result = try await current.nextPage()
                scan = current
                page = result.documents
                position = 0
                finished = result.finished
            }
            defer {
                position += 1
                delivered += 1
            }
            return page[position]
        }
    }
}
