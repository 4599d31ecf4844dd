import DocumentModel
import Synchronization

extension RowStream {
    /// `r.union` of sequences some of which are change feeds (`union_datum_stream_t` on
    /// feeds): one feed giving each sequence's elements as they come, a finite sequence's at
    /// once; nil when none is a feed, for the ordinary union to take.
    ///
    /// Its kind follows RethinkDB's `union_of` (feeds of one kind keep it, mixed kinds are
    /// UNIONED_FEED), and with `include_states` it gives one `initializing` and one `ready` for
    /// all of its feeds.
    package static func feedUnion(_ streams: [RowStream]) -> RowStream? {
        let feeds = streams.compactMap(\.feed)
        guard let first = feeds.first else { return nil }
        let kind = feeds.dropFirst().reduce(first.kind) { $0.union($1.kind) }
        let withStates = feeds.filter(\.includesStates).count
        let feed = Feed(sources: streams.map(UnionBranch.init), kind: kind, includesStates: withStates > 0,
                        statesExpected: withStates)
        return RowStream(cancellation: streams[0].cancellation, isInfinite: streams.contains(where: \.isInfinite), feed: feed) {
            () throws(ReqlError) -> Document? in
            try feed.next()
        }
    }
}

/// One sequence of a union of feeds, read as a ``ChangeSource``: a feed stream (with what was
/// written after its `changes`) or a finite sequence, whose elements are all at hand.
private final class UnionBranch: ChangeSource {
    private let rows: RowStream
    private let finished = Atomic<Bool>(false)

    init(_ rows: RowStream) {
        self.rows = rows
    }

    var isFinished: Bool { finished.load(ordering: .relaxed) }

    func poll() throws(ReqlError) -> Document? {
        guard !isFinished else { return nil }
        let emptyPolls = rows.feed?.emptyPolls
        if let row = try rows.next() { return row }
        // Ended, unless a feed of it was found waiting for changes.
        if rows.feed?.emptyPolls == emptyPolls { finished.store(true, ordering: .relaxed) }
        return nil
    }

    func fetch(waiting: Bool) async -> Bool {
        guard !isFinished else { return false }
        guard let feed = rows.feed else { return true }
        return await feed.fetch(waiting: waiting)
    }

    func close() {
        rows.feed?.close()
    }
}
