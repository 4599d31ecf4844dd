import DocumentStore
import Foundation
import Synchronization

/// The counters behind `rethinkdb.stats`: queries run, documents read and written, for the
/// server and per table, each as a total and as a rate over the last whole second.
///
/// ```swift
/// stats.countQuery()
/// stats.countReads(12, table: "test.heroes")
/// stats.server.readDocs.perSecond(now: Date())
/// ```
final class ServerStatistics: Sendable {
    /// A total and the count of the current and the previous second: the rate shown is the
    /// previous whole second's, as RethinkDB shows a rate rather than a running average.
    struct Counter: Sendable {
        private(set) var total = 0
        private var second = 0
        private var inSecond = 0
        private var inPreviousSecond = 0

        mutating func add(_ count: Int, at now: Date) {
            roll(to: Self.second(of: now))
            total += count
            inSecond += count
        }

        func perSecond(now: Date) -> Double {
            let current = Self.second(of: now)
            if current == second { return Double(inPreviousSecond) }
            if current == second + 1 { return Double(inSecond) }
            return 0
        }

        private mutating func roll(to current: Int) {
            guard current != second else { return }
            inPreviousSecond = current == second + 1 ? inSecond : 0
            inSecond = 0
            second = current
        }

        private static func second(of date: Date) -> Int { Int(date.timeIntervalSince1970) }
    }

    struct Counts: Sendable {
        var queries = Counter()
        var readDocs = Counter()
        var writtenDocs = Counter()
    }

    private let state = Mutex<(server: Counts, tables: [String: Counts])>((Counts(), [:]))

    init() {}

    func countQuery() {
        let now = Date()
        state.withLock { $0.server.queries.add(1, at: now) }
    }

    /// Documents read from a table (`db.table`).
    func countReads(_ count: Int, table: String) {
        guard count > 0 else { return }
        let now = Date()
        state.withLock { state in
            state.server.readDocs.add(count, at: now)
            state.tables[table, default: Counts()].readDocs.add(count, at: now)
        }
    }

    /// Documents a write changed in a table (`db.table`).
    func countWrites(_ count: Int, table: String) {
        guard count > 0 else { return }
        let now = Date()
        state.withLock { state in
            state.server.writtenDocs.add(count, at: now)
            state.tables[table, default: Counts()].writtenDocs.add(count, at: now)
        }
    }

    var server: Counts { state.withLock { $0.server } }

    func table(_ name: String) -> Counts {
        state.withLock { $0.tables[name] ?? Counts() }
    }

    /// A table dropped: one created again under its name starts from zero.
    func forget(table name: String) {
        _ = state.withLock { $0.tables.removeValue(forKey: name) }
    }
}
