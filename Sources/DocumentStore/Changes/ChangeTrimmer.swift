import DocumentModel
import Synchronization

/// Decides when a table's change log is due for trimming, so that retention costs a small
/// delete every so many writes rather than a check on every one.
///
/// A log kept by count is trimmed once a tenth of its size (at most 1,000 records) has been
/// written since the last trim, so it holds at most 10% more than it keeps; a log kept by age
/// is checked at most once a second. One trim per table runs at a time.
final class ChangeTrimmer: Sendable {
    private struct TableState {
        var written = 0
        var lastAgeCheck: ContinuousClock.Instant?
        var running = false
    }

    private let tables = Mutex<[String: TableState]>([:])

    /// Counts `written` new records of `table`; true when the caller should start a trim
    /// (and then call ``finished(_:)``).
    func note(_ table: String, written: Int, retention: ChangeRetention) -> Bool {
        let now = ContinuousClock.now
        return tables.withLock { tables -> Bool in
            var state = tables[table] ?? TableState()
            defer { tables[table] = state }
            state.written += written
            var due = false
            if let count = retention.maxCount, state.written >= max(1, min(1000, count / 10)) { due = true }
            if let age = retention.maxAge {
                let spacing = Duration.seconds(min(1, age / 10))
                if state.lastAgeCheck.map({ now - $0 >= spacing }) ?? true { due = true }
            }
            guard due, !state.running else { return false }
            state.running = true
            state.written = 0
            state.lastAgeCheck = now
            return true
        }
    }

    /// Ends a trim of `table`; true when the records written while it ran make another one
    /// due at once: the caller then trims again, keeping its turn. Without this, the last
    /// writes of a burst that committed during a trim would stay untrimmed until a later write.
    func finished(_ table: String, retention: ChangeRetention) -> Bool {
        tables.withLock { tables -> Bool in
            guard var state = tables[table] else { return false }
            defer { tables[table] = state }
            if let count = retention.maxCount, state.written >= max(1, min(1000, count / 10)) {
                state.written = 0
                return true
            }
            state.running = false
            return false
        }
    }
}
