import DocumentStore
import ReQL
import Synchronization

/// Change feeds for the evaluator, on the library's: the request's target and RethinkDB's
/// options become a ``ChangeFeed``, started here so that the feed's position in the change log
/// is taken before the query answers.
extension LibraryTables {
    func changes(_ request: ChangeRequest, in reference: TableRef) throws(ReqlError) -> any ChangeSource {
        try changes(request, in: reference, onClose: nil)
    }

    /// As ``changes(_:in:)``; `onClose` runs once when the feed closes.
    func changes(_ request: ChangeRequest, in reference: TableRef, onClose: (@Sendable () -> Void)?) throws(ReqlError) -> any ChangeSource {
        let table = self.table(reference)
        let feed = Self.feed(of: table, request, options: Self.options(request))
        let iterator = try call { try await feed.start() }
        let source = LibraryChangeSource(LibraryFeedReader(iterator), onClose: onClose)
        feeds.add(source)
        return source
    }

    private static func feed(of table: Table, _ request: ChangeRequest, options: ChangeFeedOptions) -> ChangeFeed {
        switch request.target {
        case .table: return table.changes(options)
        case .document(let key): return table.document(key).changes(options)
        case .keys(let keys, let index): return table.changes(getAll: keys, index: index, options)
        case .range(let scan): return range(of: table, scan).changes(options)
        case .top(let scan, let count): return range(of: table, scan).limit(count).changes(options)
        }
    }

    /// RethinkDB's optargs as the library's options; the transformations before `changes`
    /// become its predicate (is the row in the selection?) and transform (what does it show?).
    private static func options(_ request: ChangeRequest) -> ChangeFeedOptions {
        var options = ChangeFeedOptions()
        options.includeInitial = request.includeInitial
        options.includeStates = request.includeStates
        options.includeTypes = request.includeTypes
        options.includeOffsets = request.includeOffsets
        options.queueSize = request.queueSize
        switch request.squash {
        case .off: options.squash = .off
        case .on: options.squash = .on
        case .seconds(let seconds): options.squash = .seconds(seconds)
        }
        if let project = request.project {
            options.predicate = { project($0) != nil }
            options.transform = { project($0) ?? $0 }
        }
        return options
    }

    /// Switches the table's change log on the first time this server uses the table, so that a
    /// client may open a feed on any table at any time (tables the server creates have it on
    /// from the start).
    func ensureChangeLog(_ table: Table, database: String) throws(ReqlError) {
        guard registry.needsChangeLog(database, table.name) else { return }
        try call {
            if try await !table.changeLog().isOn { try await table.setChangeLog(.on()) }
        }
        registry.markChangeLog(database, table.name)
    }
}

/// A started library feed, read a batch at a time by ``LibraryChangeSource``; released (its
/// engine, registration and snapshot) when the source is closed.
///
/// The iterator is a handle on the library's feed engine (an actor): copies share its state,
/// so a read works on a copy taken under the lock, and releasing drops the reader's own.
final class LibraryFeedReader: Sendable {
    private let iterator: Mutex<ChangeFeed.Iterator?>

    init(_ iterator: ChangeFeed.Iterator) {
        self.iterator = Mutex(iterator)
    }

    func read(limit: Int, waitForFirst: Bool) async throws -> [Document] {
        guard var iterator = iterator.withLock({ $0 }) else { return [] }
        return try await iterator.nextBatch(limit: limit, waitForFirst: waitForFirst).map(\.document)
    }

    func release() {
        iterator.withLock { $0 = nil }
    }
}
