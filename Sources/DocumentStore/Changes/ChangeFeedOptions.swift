import DocumentModel

/// RethinkDB's `squash` option of `changes()`: whether a feed coalesces several changes of
/// one document into one.
///
/// ```swift
/// options.squash = .on             // squash=True: what piled up between two reads
/// options.squash = .seconds(0.5)   // squash=0.5: gather for half a second, then deliver
/// ```
public enum Squash: Sendable, Equatable {
    /// Every change is delivered (`squash=False`, RethinkDB's default).
    case off
    /// Changes of one document that pile up before the consumer reads are delivered as one,
    /// from the first old value to the last new value (`squash=True`).
    case on
    /// Like ``on``, and each batch waits this many seconds after the last one so that more
    /// changes can coalesce (`squash=N`); a batch goes early when half the queue is full.
    case seconds(Double)
}

/// The options of a change feed: RethinkDB's optargs of `changes()`, and the feed's start.
///
/// ```swift
/// var options = ChangeFeedOptions()
/// options.includeInitial = true            // the current documents first
/// options.includeTypes = true              // "add", "remove", "change", "initial"
/// options.predicate = { $0["status"] == "open" }
/// for try await change in orders.changes(options) { print(change.document.jsonString) }
/// ```
///
/// ReQL equivalent: <https://rethinkdb.com/api/javascript/changes>
public struct ChangeFeedOptions: Sendable {
    /// Deliver the current documents first (as `{"new_val": ...}`), then the changes
    /// (RethinkDB's `include_initial`). The documents and the position the changes start from
    /// are read in one transaction: no change is lost or doubled in between.
    public var includeInitial = false
    /// Deliver `{"state": "initializing"}` before the initial documents and
    /// `{"state": "ready"}` once they are done (`include_states`).
    public var includeStates = false
    /// Give each event a `type`: `add`, `remove`, `change`, `initial`, `state` (`include_types`).
    public var includeTypes = false
    /// Give each event of an ``IndexRange/limit(_:)`` feed the positions in the ordered set
    /// it left and entered (`include_offsets`); other feeds refuse it, as in RethinkDB.
    public var includeOffsets = false
    /// Coalesce changes of one document (`squash`).
    public var squash: Squash = .off
    /// How many changes a feed may hold for a consumer that does not keep up
    /// (`changefeed_queue_size`, 100,000 by default). Past it the feed skips what it held and
    /// delivers an event whose ``ChangeEvent/error`` is RethinkDB's
    /// "Changefeed cache over array size limit, skipped N elements.", then goes on. A feed
    /// with ``since`` never skips: its backlog stays in the change log.
    public var queueSize = 100_000
    /// Resume after this sequence: every change committed after it, exactly once, in commit
    /// order (a sequence from ``ChangeEvent/sequence`` or ``Table/latestSequence()``, from
    /// this process or an earlier one). A sequence the log's retention has removed is
    /// refused with an error naming the oldest one kept.
    public var since: Int64?
    /// Only documents for which this returns true, as RethinkDB's `.filter(f).changes()`:
    /// applied to the old and the new document of each change; a side that fails (or throws)
    /// becomes null, and a change whose both sides fail is not delivered.
    public var predicate: (@Sendable (Document) throws -> Bool)?
    /// A projection of each document, as `.map(f).changes()`: applied to the old and the new
    /// document (after ``predicate``); one that throws makes that side null, and a change
    /// that leaves both sides equal is not delivered.
    public var transform: (@Sendable (Document) throws -> Document)?

    /// The defaults: RethinkDB's, and the feed starts now.
    ///
    /// ```swift
    /// let feed = orders.changes(ChangeFeedOptions())
    /// ```
    public init() {}

    /// RethinkDB's checks of the optargs, with its texts.
    func validate() throws {
        if queueSize < 1 {
            throw DocumentStoreError(.queryLogic, "Illegal changefeed queue size `\(queueSize)`.  (Must be >= 1.)")
        }
        if case .seconds(let seconds) = squash, !(seconds >= 0) {
            throw DocumentStoreError(.queryLogic, "Expected BOOL or a positive NUMBER but found a negative NUMBER.")
        }
        if since != nil && includeInitial {
            throw DocumentStoreError(.queryLogic, "A change feed cannot both resume from a sequence (`since`) and include the initial values: resume to get every change after the sequence, or include the initial values to start from the current documents.")
        }
    }

    var isSquashing: Bool { squash != .off }

    var squashInterval: Double {
        if case .seconds(let seconds) = squash { return seconds }
        return 0
    }

    /// A document as the feed shows it: nil when it fails the predicate, or when the
    /// predicate or the transform throws (RethinkDB drops such rows from the selection).
    func project(_ document: Document?) -> Document? {
        guard let document else { return nil }
        do {
            if let predicate, try !predicate(document) { return nil }
            return try transform?(document) ?? document
        } catch {
            return nil
        }
    }

    var hasProjection: Bool { predicate != nil || transform != nil }
}
