import DocumentModel

/// A lazy sequence of documents: a table read a page at a time, a literal array, a range, or
/// any of them transformed by `filter`, `map`, `limit`... Nothing is read until someone pulls.
///
/// Every pull checks the query's ``CancellationToken``, so a loop over a stream (`count`, a
/// `filter` that matches nothing, a cursor's batch) stops soon after the query is cancelled.
///
/// `@unchecked Sendable`: a stream is pulled by one thread at a time (the query evaluating it,
/// then the cursor serving it), never concurrently; `next()` is the only mutation.
package final class RowStream: @unchecked Sendable {
    private var pull: () throws(ReqlError) -> Document?
    package let cancellation: CancellationToken
    /// A stream that never ends (`r.range()` with no bound, and what is made of it without a
    /// `limit`): it can be served in batches, but not counted or collected.
    package let isInfinite: Bool
    /// The change feed this stream is made of, if any: its pull returns nil when no change is
    /// at hand *yet*, and the cursor serving it waits for the feed instead of ending.
    package let feed: Feed?

    package init(cancellation: CancellationToken, isInfinite: Bool = false, feed: Feed? = nil,
                 _ pull: @escaping () throws(ReqlError) -> Document?) {
        self.pull = pull
        self.cancellation = cancellation
        self.isInfinite = isInfinite
        self.feed = feed
    }

    package func next() throws(ReqlError) -> Document? {
        try cancellation.check()
        return try pull()
    }

    package static func array(_ elements: [Document], cancellation: CancellationToken) -> RowStream {
        var index = 0
        return RowStream(cancellation: cancellation) { () throws(ReqlError) -> Document? in
            guard index < elements.count else { return nil }
            defer { index += 1 }
            return elements[index]
        }
    }

    /// `r.range`: integers from `start` while below `end` (nil: for ever, up to 2^53, where
    /// RethinkDB stops with its "out of safe double bounds" error).
    package static func range(from start: Int64, to end: Int64?, cancellation: CancellationToken) -> RowStream {
        var next = start
        return RowStream(cancellation: cancellation, isInfinite: end == nil) { () throws(ReqlError) -> Document? in
            if let end, next >= end { return nil }
            guard next <= 1 << 53 else { throw .runtime(.queryLogic, "`range` out of safe double bounds.") }
            defer { next += 1 }
            return .number(Double(next))
        }
    }

    package func filter(_ keep: @escaping (Document) throws(ReqlError) -> Bool) -> RowStream {
        RowStream(cancellation: cancellation, isInfinite: isInfinite, feed: feed) { () throws(ReqlError) -> Document? in
            while let row = try self.next() {
                if try keep(row) { return row }
            }
            return nil
        }
    }

    package func map(_ transform: @escaping (Document) throws(ReqlError) -> Document) -> RowStream {
        RowStream(cancellation: cancellation, isInfinite: isInfinite, feed: feed) { () throws(ReqlError) -> Document? in
            guard let row = try self.next() else { return nil }
            return try transform(row)
        }
    }

    package func concatMap(_ transform: @escaping (Document) throws(ReqlError) -> RowStream) -> RowStream {
        var current: RowStream?
        return RowStream(cancellation: cancellation, isInfinite: isInfinite, feed: feed) { () throws(ReqlError) -> Document? in
            while true {
                if let current, let value = try current.next() { return value }
                guard let row = try self.next() else { return nil }
                current = try transform(row)
            }
        }
    }

    /// Counts only what was given: a feed's nil (nothing yet) uses up none of the limit.
    package func limit(_ count: Int) -> RowStream {
        var taken = 0
        return RowStream(cancellation: cancellation, feed: feed) { () throws(ReqlError) -> Document? in
            guard taken < count, let row = try self.next() else { return nil }
            taken += 1
            return row
        }
    }

    package func skip(_ count: Int) -> RowStream {
        var skipped = 0
        return RowStream(cancellation: cancellation, isInfinite: isInfinite, feed: feed) { () throws(ReqlError) -> Document? in
            while skipped < count {
                guard try self.next() != nil else { return nil }
                skipped += 1
            }
            return try self.next()
        }
    }

    /// Everything left, as an array; more than `limit` elements is RethinkDB's array-limit
    /// error, and an infinite stream its "infinite stream" error.
    package func collect(limit: Int) throws(ReqlError) -> [Document] {
        guard feed == nil else { throw .terminalOnFeed }
        guard !isInfinite else { throw .infiniteStream }
        var elements: [Document] = []
        while let row = try next() {
            elements.append(row)
            if elements.count > limit { throw .arrayLimit(limit) }
        }
        return elements
    }

    /// How many elements are left, pulling them all.
    package func count(where predicate: ((Document) throws(ReqlError) -> Bool)? = nil) throws(ReqlError) -> Int {
        guard feed == nil else { throw .terminalOnFeed }
        guard !isInfinite else { throw .infiniteStream }
        var count = 0
        while let row = try next() {
            if let predicate, !(try predicate(row)) { continue }
            count += 1
        }
        return count
    }
}
