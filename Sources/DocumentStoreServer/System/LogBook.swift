import DocumentStore
import Foundation
import Synchronization

/// What `rethinkdb.logs` shows: the server's notable events (start, databases and tables
/// created and dropped), kept in memory, the newest `capacity` of them. RethinkDB reads its
/// log file for this table; DocStore logs through swift-log, whose output it cannot read
/// back, so it keeps the events the table shows here as well.
///
/// ```swift
/// logs.record("info", "created database `heroes`")
/// ```
final class LogBook: Sendable {
    struct Entry: Sendable {
        let sequence: Int
        let time: Date
        let level: String
        let message: String
    }

    static let capacity = 1000
    private let entries = Mutex<(next: Int, list: [Entry])>((0, []))

    init() {}

    func record(_ level: String, _ message: String) {
        entries.withLock { state in
            state.list.append(Entry(sequence: state.next, time: Date(), level: level, message: message))
            state.next += 1
            if state.list.count > Self.capacity { state.list.removeFirst(state.list.count - Self.capacity) }
        }
    }

    var all: [Entry] { entries.withLock { $0.list } }
}
