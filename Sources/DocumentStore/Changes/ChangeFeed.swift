import DocumentModel

/// A change feed: RethinkDB's `changes()`, as an `AsyncSequence` of ``ChangeEvent``s that
/// never ends by itself.
///
/// A feed follows a table, one document, some keys, an index range, or the first `n`
/// documents of an ordered range, and delivers each change of them as it is committed: by
/// this process (at once) or by any other process writing the same file (within a few
/// milliseconds). It reads the table's change log, so the table's log must be on
/// (``DocumentStore/tableCreate(_:primaryKey:durability:changeLog:)``,
/// ``Table/setChangeLog(_:)``), and it can resume from a sequence after a restart
/// (``ChangeFeedOptions/since``).
///
/// ```swift
/// let task = Task {
///     for try await change in orders.changes() {
///         print(change.document.jsonString)   // {"new_val":{...},"old_val":null}
///     }
/// }
/// // ... later: ends the feed and frees what it holds
/// task.cancel()
/// ```
///
/// Each `for try await` loop (each iterator) is a feed of its own, subscribed when it first
/// asks for an element; ``start()`` subscribes at once, so that no change made between
/// making the feed and reading it is missed. Cancelling the consuming task ends the loop
/// (the iterator returns nil); a table that is dropped, or whose log is switched off, ends it
/// with an error.
///
/// ReQL equivalent: <https://rethinkdb.com/api/javascript/changes>
///
/// ## Topics
/// - ``ChangeFeedOptions``
/// - ``ChangeEvent``
/// - ``Iterator``
public struct ChangeFeed: AsyncSequence, Sendable {
    /// Each element is one change, initial value or note.
    public typealias Element = ChangeEvent

    let table: Table
    let target: FeedTarget
    /// The feed's options, as given.
    public let options: ChangeFeedOptions

    init(table: Table, target: FeedTarget, options: ChangeFeedOptions) {
        self.table = table
        self.target = target
        self.options = options
    }

    /// A feed that subscribes when it is first read.
    public func makeAsyncIterator() -> Iterator {
        Iterator(engine: ChangeFeedEngine(table: table, target: target, options: options))
    }

    /// Subscribes now and returns the iterator: changes committed after this returns are
    /// delivered, with the initial values read at this moment when they are asked for.
    ///
    /// ```swift
    /// var changes = try await orders.changes().start()
    /// try await orders.insert(["id": 1])
    /// let inserted = try await changes.next()   // {"new_val":{"id":1},"old_val":null}
    /// ```
    ///
    /// - Throws: `DocumentStoreError`: the table does not exist or has no change log, the
    ///   options are refused (RethinkDB's texts), ``ChangeFeedOptions/since`` is older than
    ///   the log keeps, or an index the feed reads is missing or not ready.
    public func start() async throws -> Iterator {
        let iterator = makeAsyncIterator()
        try await iterator.engine.start()
        return iterator
    }

    /// Reads a ``ChangeFeed``, one event at a time.
    ///
    /// ```swift
    /// var iterator = orders.changes().makeAsyncIterator()
    /// while let change = try await iterator.next() { handle(change) }
    /// ```
    public struct Iterator: AsyncIteratorProtocol, Sendable {
        let engine: ChangeFeedEngine

        /// The next event, waiting for a commit when none is ready; nil once the consuming
        /// task is cancelled.
        ///
        /// - Throws: `DocumentStoreError`: "Changefeed aborted (unavailable)." when the table
        ///   was dropped; the errors of ``ChangeFeed/start()``.
        public mutating func next() async throws -> ChangeEvent? {
            try await engine.next()
        }

        /// Up to `limit` events: the first as ``next()`` gets it, then whatever else is
        /// ready without waiting; with `waitForFirst` false, only what is ready now (the
        /// change log is read once), possibly nothing. Empty once the consuming task is
        /// cancelled. A server answering a client in batches reads with it (RethinkDB answers
        /// the first request of a feed at once, even when it is empty).
        ///
        /// ```swift
        /// let batch = try await iterator.nextBatch(limit: 100)
        /// ```
        public mutating func nextBatch(limit: Int, waitForFirst: Bool = true) async throws -> [ChangeEvent] {
            try await engine.nextBatch(limit: Swift.max(1, limit), waitForFirst: waitForFirst)
        }
    }
}

extension Table {
    /// Every change of the table's documents, RethinkDB's `table.changes()`.
    ///
    /// ```swift
    /// for try await change in orders.changes() {
    ///     print(change.oldValue ?? .null, "->", change.newValue ?? .null)
    /// }
    /// ```
    ///
    /// With ``ChangeFeedOptions/predicate`` and ``ChangeFeedOptions/transform``, the changes
    /// of `table.filter(f).changes()` and `table.map(f).changes()`.
    public func changes(_ options: ChangeFeedOptions = .init()) -> ChangeFeed {
        ChangeFeed(table: self, target: .table, options: options)
    }

    /// The changes of the documents whose index value (for a multi index, one element)
    /// equals one of `values`, RethinkDB's `get_all(..., index=).changes()`; the primary key
    /// when `index` is nil. A document matched by a value given twice comes twice.
    ///
    /// ```swift
    /// for try await change in users.changes(getAll: ["admin"], index: "role") { ... }
    /// ```
    public func changes(getAll values: [Document], index: String? = nil, _ options: ChangeFeedOptions = .init()) -> ChangeFeed {
        guard let index else { return ChangeFeed(table: self, target: .keys(values), options: options) }
        return ChangeFeed(table: self, target: .indexValues(values, index: index), options: options)
    }
}

extension Selection {
    /// The changes of the selected documents: for ``Table/document(_:)`` RethinkDB's point
    /// feed `get(key).changes()`, for ``Table/getAll(_:)-([Document])`` its
    /// `get_all(...).changes()`, for ``Table/all`` the table's.
    ///
    /// ```swift
    /// var options = ChangeFeedOptions()
    /// options.includeInitial = true          // {"new_val": <the document or null>} first
    /// for try await change in marvel.document("Iron Man").changes(options) { ... }
    /// ```
    public func changes(_ options: ChangeFeedOptions = .init()) -> ChangeFeed {
        switch target {
        case .key(let key): return ChangeFeed(table: table, target: .point(key), options: options)
        case .keys(let keys): return ChangeFeed(table: table, target: .keys(keys), options: options)
        case .all: return ChangeFeed(table: table, target: .table, options: options)
        }
    }
}

extension IndexRange {
    /// The changes of the range's documents, RethinkDB's `between(...).changes()`; after
    /// ``limit(_:)``, `order_by(index=).limit(n).changes()`: the first `n` documents, with
    /// the positions they leave and take (``ChangeFeedOptions/includeOffsets``).
    ///
    /// ```swift
    /// for try await change in users.between(.value(18), .value(30), index: "age").changes() { ... }
    /// for try await change in scores.orderBy(index: "points", .descending).limit(3).changes() { ... }
    /// ```
    public func changes(_ options: ChangeFeedOptions = .init()) -> ChangeFeed {
        if let maximum {
            return ChangeFeed(table: table, target: .limit(self, maximum), options: options)
        }
        return ChangeFeed(table: table, target: .range(self), options: options)
    }
}
