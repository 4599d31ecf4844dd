import DocumentModel
import Synchronization

/// The change feeds a stream is made of (one, or several for `r.union` of feeds), read without
/// waiting: the source of a feed's ``RowStream`` and what its cursor waits on.
///
/// A pull that finds no change at hand returns nil, as the end of a stream does; the cursor
/// tells the two apart with ``emptyPolls``: a pull of the whole stream that returned nil and
/// found a feed empty on the way is waiting for changes, one that did not (a `limit` that has
/// all it wants) has ended.
package final class Feed: Sendable {
    package let kind: FeedKind
    package let includesStates: Bool
    private let sources: [any ChangeSource]
    private let state: Mutex<State>

    private struct State {
        /// Where the next poll starts, so that one busy feed of a union cannot starve the others.
        var next = 0
        var emptyPolls = 0
        /// RethinkDB's union gives one `initializing` and one `ready` for all its feeds.
        var sentInitializing = false
        var readyPending: Int
    }

    /// The feed of `sources` (several for a union), `statesExpected` of which give `ready`.
    init(sources: [any ChangeSource], kind: FeedKind, includesStates: Bool, statesExpected: Int) {
        self.kind = kind
        self.includesStates = includesStates
        self.sources = sources
        self.state = Mutex(State(readyPending: statesExpected))
    }

    /// The response notes of every batch of this feed.
    package var notes: [Int] {
        includesStates ? [kind.rawValue, FeedKind.includesStatesNote] : [kind.rawValue]
    }

    /// How many polls found no change at hand so far.
    package var emptyPolls: Int {
        state.withLock { $0.emptyPolls }
    }

    /// The next change at hand from any of the feeds, nil when none has one now.
    package func next() throws(ReqlError) -> Document? {
        let start = state.withLock { $0.next }
        var offset = 0
        while offset < sources.count {
            let index = (start + offset) % sources.count
            guard let change = try sources[index].poll() else {
                offset += 1
                continue
            }
            let keep = state.withLock { state in
                state.next = (index + 1) % sources.count
                return sources.count == 1 || Self.passesUnion(change, &state)
            }
            if keep { return change }
        }
        // A union whose every branch has ended (finite sequences, limited feeds) has ended too.
        if sources.count > 1 && sources.allSatisfy(\.isFinished) { return nil }
        state.withLock { $0.emptyPolls += 1 }
        return nil
    }

    /// In a union, a feed's `initializing` goes out only if it is the first, and its `ready`
    /// only when it is the last feed to get ready.
    private static func passesUnion(_ change: Document, _ state: inout State) -> Bool {
        guard case .object(let object) = change, object.count == 1, let name = object["state"]?.stringValue else {
            return true
        }
        switch name {
        case "initializing":
            defer { state.sentInitializing = true }
            return !state.sentInitializing
        case "ready":
            state.readyPending -= 1
            return state.readyPending == 0
        default:
            return true
        }
    }

    /// Fetches what the feeds have ready, with `waiting` until one of them has something;
    /// true when one has. Suspends; never holds a thread.
    package func fetch(waiting: Bool) async -> Bool {
        if sources.count == 1 { return await sources[0].fetch(waiting: waiting) }
        return await withTaskGroup(of: Bool.self) { group in
            for source in sources {
                group.addTask { await source.fetch(waiting: waiting) }
            }
            // Without waiting, every feed is asked (the first fetch is what starts each one);
            // waiting, the first feed with a change ends the wait, the others go on fetching.
            var ready = false
            for await result in group {
                ready = ready || result
                if ready && waiting { break }
            }
            group.cancelAll()
            return ready
        }
    }

    /// Ends every feed; what they held is freed.
    package func close() {
        for source in sources { source.close() }
    }
}
