import DocumentModel

/// The changes a flat feed holds for its consumer: RethinkDB's subscription queue.
///
/// Without squash it is first in, first out. With squash it keeps one entry per document, in
/// the order documents first changed: a later change keeps the entry's old value and takes the
/// new one, and an entry whose old and new value end up equal (or both absent) goes away,
/// which is RethinkDB's `squashing_queue_t`.
///
/// Past `capacity` entries the queue drops everything it holds and counts it as skipped (the
/// consumer is told with RethinkDB's "Changefeed cache over array size limit, skipped N
/// elements."); a queue that does not overflow (a feed resuming from a sequence, whose
/// backlog stays in the log) is filled only as far as the consumer reads.
struct FeedQueue {
    let squash: Bool
    let capacity: Int
    let overflows: Bool
    private(set) var skipped = 0
    private var entries: [FlatChange?] = []
    private var head = 0
    private var positions: [Document: Int] = [:]
    private(set) var count = 0

    init(squash: Bool, capacity: Int, overflows: Bool) {
        self.squash = squash
        self.capacity = capacity
        self.overflows = overflows
    }

    var isEmpty: Bool { count == 0 }

    mutating func add(_ change: FlatChange) {
        if squash, let position = positions[change.key], var entry = entries[position] {
            entry.new = change.new
            // One entry now stands for several records: no single sequence resumes it.
            entry.sequence = nil
            if entry.old == entry.new {
                entries[position] = nil
                positions[change.key] = nil
                count -= 1
            } else {
                entries[position] = entry
            }
        } else {
            if squash { positions[change.key] = entries.count }
            entries.append(change)
            count += 1
        }
        if overflows && count > capacity {
            skip()
        }
    }

    /// Drops everything held, counting it as skipped.
    mutating func skip(atLeast minimum: Int = 0) {
        skipped += max(count, minimum)
        entries.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        head = 0
        count = 0
    }

    /// Everything held, in order, and the count of skipped changes since the last take.
    mutating func take() -> (changes: [FlatChange], skipped: Int) {
        let changes = entries[head...].compactMap { $0 }
        let skipped = self.skipped
        entries.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        head = 0
        count = 0
        self.skipped = 0
        return (changes, skipped)
    }
}
