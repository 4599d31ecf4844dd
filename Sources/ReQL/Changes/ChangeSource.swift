import DocumentModel

/// One change feed's live end as the evaluator reads it: changes already fetched, taken
/// without waiting.
///
/// The evaluator is synchronous, while a feed waits for commits that may never come. So a
/// stream made of a feed never waits: ``poll()`` gives what is at hand, and whoever serves the
/// stream (the server's feed cursor) awaits ``fetch(waiting:)`` between pulls, off every thread
/// that must not block. The server implements this protocol on the library's `ChangeFeed`.
package protocol ChangeSource: Sendable {
    /// The next change at hand (RethinkDB's `{old_val, new_val}` object, a `{state}` object,
    /// or the `{error}` object of a queue overflow), nil when none is at hand now. Throws the
    /// feed's error (its table dropped, ...) once the changes before it have been taken.
    func poll() throws(ReqlError) -> Document?
    /// Asks the feed for the changes it has ready (which starts it, the first time) and, with
    /// `waiting`, waits for at least one. Returns true when ``poll()`` has something to give
    /// (a change or an error), false when there is none ready (without `waiting`) or the
    /// calling task was cancelled; cancelling the wait leaves the feed as it was.
    func fetch(waiting: Bool) async -> Bool
    /// Ends the feed and frees what it holds; later polls give nothing.
    func close()
    /// Whether the source has given all it ever will (a finite branch of a union).
    var isFinished: Bool { get }
}

extension ChangeSource {
    /// A feed never ends by itself.
    package var isFinished: Bool { false }
}

/// What a `changes` term asks storage for: which rows to watch, RethinkDB's options, and the
/// transformations written before `changes` (`filter`, `map`, `pluck`, ...).
package struct ChangeRequest: Sendable {
    package enum Target: Sendable, Equatable {
        /// `table.changes()`.
        case table
        /// `table.get(key).changes()`: a point feed.
        case document(Document)
        /// `get_all(keys..., index:)`; nil is the primary key.
        case keys([Document], index: String?)
        /// `between(...)` and `order_by(index:)`, unlimited.
        case range(IndexScan)
        /// `order_by(index:).limit(n)`: the first `count` rows of the range, kept up to date.
        case top(IndexScan, count: Int)
    }

    /// `squash`: `false`, `true` (or 0), or a number of seconds to gather changes for.
    package enum Squash: Sendable, Equatable {
        case off
        case on
        case seconds(Double)
    }

    package var target: Target
    package var squash: Squash = .off
    /// `changefeed_queue_size`: changes held for a client that does not read, RethinkDB's
    /// default 100,000.
    package var queueSize = 100_000
    package var includeInitial = false
    package var includeStates = false
    package var includeTypes = false
    package var includeOffsets = false
    /// The transformations before `changes`, applied to a row (an old or a new value): the row
    /// as the feed reports it, or nil when it is not in the selection (filtered out, or a
    /// transformation failed on it, which RethinkDB reports the same way). nil: none.
    package var project: (@Sendable (Document) -> Document?)?

    package init(target: Target) {
        self.target = target
    }

    /// The response note of the feed this request opens (`ql2.proto` `ResponseNote`).
    package var kind: FeedKind {
        switch target {
        case .document: return .atom
        case .top: return .orderByLimit
        case .table, .keys, .range: return .sequence
        }
    }
}

/// The kinds of change feed RethinkDB names in a response's notes (`ql2.proto`
/// `ResponseNote`), which drivers read to tell a feed from a finite cursor.
package enum FeedKind: Int, Sendable {
    case sequence = 1
    case atom = 2
    case orderByLimit = 3
    case unioned = 4

    /// RethinkDB's `union_of`: feeds of one kind stay that kind, mixed kinds are a union.
    package func union(_ other: FeedKind) -> FeedKind {
        self == other ? self : .unioned
    }

    /// `INCLUDES_STATES`, the note a feed with `include_states` adds.
    package static let includesStatesNote = 5
}
