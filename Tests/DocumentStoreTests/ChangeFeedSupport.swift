import Foundation
import Testing
@testable import DocumentStore

/// A feed did not deliver what a test waited for in time.
struct FeedTimeout: Error, CustomStringConvertible {
    let wanted: Int
    let got: [ChangeEvent]
    var description: String { "wanted \(wanted) events, got \(got.count): \(got.map(\.document.jsonString))" }
}

/// Reads `count` events from a started feed, failing after `timeout`; the iterator goes on
/// from where this left it.
func take(_ count: Int, from iterator: ChangeFeed.Iterator, timeout: Duration = .seconds(10)) async throws -> [ChangeEvent] {
    let collected = Collected()
    let finished = try await withThrowingTaskGroup(of: Bool.self) { group in
        group.addTask {
            var iterator = iterator
            while await collected.count < count, let event = try await iterator.next() { await collected.append(event) }
            return true
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return false
        }
        let first = try await group.next() ?? false
        group.cancelAll()
        return first
    }
    let events = await collected.events
    guard finished, events.count == count else { throw FeedTimeout(wanted: count, got: events) }
    return events
}

/// Whether a feed stays quiet for `duration` (nothing to deliver).
func isQuiet(_ iterator: ChangeFeed.Iterator, for duration: Duration = .milliseconds(300)) async throws -> Bool {
    do {
        let extra = try await take(1, from: iterator, timeout: duration)
        Issue.record("unexpected event \(extra[0].document.jsonString)")
        return false
    } catch is FeedTimeout {
        return true
    }
}

actor Collected {
    var events: [ChangeEvent] = []
    var count: Int { events.count }
    func append(_ event: ChangeEvent) { events.append(event) }
}

/// A store on a new file with a table `t` whose change log is on.
func withLoggedTable<T>(
    _ name: String = "t", primaryKey: String = "id", retention: ChangeRetention = .default,
    _ body: (Table, DocumentStore, String) async throws -> T
) async throws -> T {
    try await withFileStore { store, path in
        try await store.tableCreate(name, primaryKey: primaryKey, changeLog: .on(retention))
        return try await body(store.table(name), store, path)
    }
}

extension ChangeFeedOptions {
    /// Options built in one expression, for parameterised tests.
    static func with(_ change: (inout ChangeFeedOptions) -> Void) -> ChangeFeedOptions {
        var options = ChangeFeedOptions()
        change(&options)
        return options
    }
}

extension Array where Element == ChangeEvent {
    /// The events as RethinkDB's objects, for comparing with its expected output.
    var documents: [Document] { map(\.document) }
}

/// Compares as RethinkDB's `bag()`: the same elements in any order.
func sameBag(_ a: [Document], _ b: [Document]) -> Bool {
    a.count == b.count && a.allSatisfy { element in a.filter { $0 == element }.count == b.filter { $0 == element }.count }
}
