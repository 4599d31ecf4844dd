import DocumentModel
import Foundation
import Synchronization

/// Group commit: the document writes that arrive while the writer is busy (committing, most of
/// the time an fsync) are applied together in one `BEGIN IMMEDIATE` transaction with one commit.
///
/// A durable commit costs an fsync (about 0.2 ms on an SSD, far more than a small insert), so
/// sixteen clients making hard inserts one commit each wait on sixteen fsyncs in a row. Sharing
/// the commit lets all of them wait on one, as PostgreSQL and RethinkDB do.
///
/// Each call still behaves as if it ran alone:
/// - it runs in a `SAVEPOINT` of its own (the first call of a transaction in the transaction
///   itself), so a call that fails (a duplicate key, a conflict function that errors, a document
///   too large) is rolled back to that savepoint and writes nothing, while the other calls of
///   the group go on;
/// - no call is answered before the commit that holds it returned, at the `synchronous` level
///   it asked for or a stronger one: a group with any hard call commits with `synchronous =
///   FULL`, and a hard call never joins a group that began at `NORMAL`;
/// - if the commit fails (the disk full, an I/O error), every call of the group fails with that
///   error, since none of them was written; if a call's failure made SQLite roll the whole
///   transaction back (it does for some I/O errors), the calls before it in the group fail
///   with that error too, and the calls after it start a new transaction.
///
/// A group is bounded: at most ``maxCalls`` calls, and no call joins once the group has run for
/// ``maxDuration`` (10 ms unless the store's configuration says otherwise), so the first call
/// of a group never waits long for the others.
///
/// Only a call of bounded size joins a group: a savepoint's journal holds the old content of
/// every page the call changes, and the writer keeps journals in memory (`temp_store =
/// MEMORY`: SQLite's temporary files cost the server's batches a third of their page writes).
/// A call that may change more than ``maxJoinedRows`` rows, or any number (a whole-table write,
/// an input large enough to be parsed a chunk at a time, an import), is submitted with
/// `joinable: false`: it waits for the group before it to commit and starts the next one, as its
/// first call, with no savepoint.
///
/// Calls run in arrival order on the writer's thread (``SerialConnection``), between that
/// connection's other work: a group is one queued item, and when it ends with calls waiting,
/// the next group is queued behind the items that arrived meanwhile.
final class GroupCommitter: Sendable {
    static let maxCalls = 256
    /// The most rows a call that joins a group may change: as many documents as an input small
    /// enough to be parsed in one piece.
    static let maxJoinedRows = Table.pipelineDocuments
    static let defaultMaxDuration: Duration = .milliseconds(10)
    let maxDuration: Duration

    private let writer: SerialConnection
    private let state = Mutex(QueueState())

    /// The calls waiting, the call running, and whether a group is queued on the writer.
    private struct QueueState {
        /// Taken slots are set to nil at once: a call holds its body, and the body the store,
        /// so a slot kept would keep the store (and its file) open.
        var waiting: [(any GroupMember)?] = []
        var head = 0
        var scheduled = false
        /// The running call, and whether it is the first of its transaction: only then may its
        /// cancellation interrupt SQLite, which rolls the whole transaction back.
        var running: ObjectIdentifier?
        var runningFirst = false

        /// The next call, unless it may not join the open transaction: `level` is that
        /// transaction's, nil when none is open (the call taken will be the first of one).
        mutating func take(joining level: SQLiteConnection.Synchronous?) -> (any GroupMember)? {
            guard head < waiting.count, let next = waiting[head] else { return nil }
            if level == .normal && next.synchronous == .full { return nil }
            if level != nil && !next.joinable { return nil }
            waiting[head] = nil
            head += 1
            if head > 64 && head * 2 > waiting.count {
                waiting.removeFirst(head)
                head = 0
            }
            return next
        }

        var isEmpty: Bool { head >= waiting.count }
    }

    init(writer: SerialConnection, maxDuration: Duration) {
        self.writer = writer
        self.maxDuration = maxDuration
    }

    /// Runs `body` in the next group and returns its value once the group's commit returned.
    ///
    /// `body` runs on the writer's thread inside the group's transaction (in a savepoint); its
    /// error is the call's alone. A task already on the writer's thread runs its call at once,
    /// as a group of one, with no hop.
    func submit<T: Sendable>(synchronous: SQLiteConnection.Synchronous, joinable: Bool = true,
                             _ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        let member = PendingWrite(synchronous: synchronous, joinable: joinable, body: body)
        if writer.isCurrentThread {
            try Task.checkCancellation()
            return try await writer.run { connection in
                self.runGroup(connection, first: member)
                return try member.outcome!.get()
            }
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                member.continuation = continuation
                enqueue(member)
            }
        } onCancel: {
            cancel(member)
        }
    }

    /// How many calls wait for a group: tests use it to know that their calls have queued.
    var waitingCount: Int { state.withLock { $0.waiting.count - $0.head } }

    private func enqueue(_ member: any GroupMember) {
        let schedule = state.withLock { state -> Bool in
            state.waiting.append(member)
            guard !state.scheduled else { return false }
            state.scheduled = true
            return true
        }
        if schedule { writer.schedule { [self] connection in drain(connection) } }
    }

    /// One group, on the writer's thread; queues the next if calls arrived meanwhile.
    private func drain(_ connection: SQLiteConnection) {
        if let first = state.withLock({ $0.take(joining: nil) }) {
            runGroup(connection, first: first)
        }
        let more = state.withLock { state -> Bool in
            if state.isEmpty { state.scheduled = false }
            return state.scheduled
        }
        if more { writer.schedule { [self] connection in drain(connection) } }
    }

    private func cancel(_ member: any GroupMember) {
        state.withLock { state in
            switch member.phase {
            case .waiting: member.phase = .cancelled
            case .running where state.running == ObjectIdentifier(member) && state.runningFirst:
                // Under the lock, so the interrupt cannot reach the next call's statement.
                writer.interrupt()
                member.interrupted = true
            default: break
            }
        }
    }

    /// Applies `first` and the calls that join it, each in its savepoint, commits, and answers
    /// every one of them.
    private func runGroup(_ connection: SQLiteConnection, first: any GroupMember) {
        let started = ContinuousClock.now
        var level: SQLiteConnection.Synchronous?
        /// Calls applied in the open transaction, answered once it commits.
        var applied: [any GroupMember] = []
        var calls = 0
        var next: (any GroupMember)? = first
        while let member = next {
            calls += 1
            if begin(member, connection, level: &level) {
                if let error = apply(member, connection, first: applied.isEmpty) {
                    if !connection.isInTransaction {
                        // SQLite rolled the whole transaction back: the calls before were lost too.
                        fail(applied, with: error)
                        applied = []
                        level = nil
                    }
                } else {
                    applied.append(member)
                }
            }
            guard calls < Self.maxCalls, ContinuousClock.now - started < maxDuration else { break }
            // With no transaction open (the calls so far failed) the next call begins one.
            let open = connection.isInTransaction ? level : nil
            next = state.withLock { $0.take(joining: open) }
        }
        guard !applied.isEmpty else { return }
        do {
            try connection.execute("COMMIT")
            for member in applied { member.finish() }
        } catch {
            connection.rollbackIfNeeded()
            fail(applied, with: error)
        }
    }

    /// Opens the group's transaction for `member` if none is open, at the member's level.
    /// A member the caller cancelled meanwhile, or a failed `BEGIN`, answers the member at once.
    private func begin(_ member: any GroupMember, _ connection: SQLiteConnection,
                       level: inout SQLiteConnection.Synchronous?) -> Bool {
        let cancelled = state.withLock { _ in
            if member.phase == .cancelled { return true }
            member.phase = .running
            return false
        }
        if cancelled {
            member.fail(CancellationError())
            return false
        }
        if connection.isInTransaction { return true }
        do {
            // SQLite refuses to change the level inside a transaction; a group of several
            // calls takes the strongest level among those waiting when it begins.
            let anyHard = state.withLock { state in state.waiting[state.head...].contains { $0?.synchronous == .full } }
            let wanted: SQLiteConnection.Synchronous = anyHard ? .full : member.synchronous
            try connection.setSynchronous(wanted)
            try connection.execute("BEGIN IMMEDIATE")
            level = wanted
            return true
        } catch {
            member.fail(error)
            return false
        }
    }

    /// Runs the member's body in its savepoint; on failure rolls back to it, so the member
    /// writes nothing and the calls before it keep their writes. Returns the member's error.
    ///
    /// The first call of a transaction needs no savepoint: if it fails, the whole transaction
    /// (only its own writes) is rolled back, and the next call begins a new one. A group of
    /// one, the common case with one client, so runs exactly the statements of a lone call.
    private func apply(_ member: any GroupMember, _ connection: SQLiteConnection, first: Bool) -> (any Error)? {
        state.withLock { state in
            state.running = ObjectIdentifier(member)
            state.runningFirst = first
        }
        defer {
            state.withLock { state in
                state.running = nil
                member.phase = .applied
            }
        }
        do {
            if !first { try connection.cachedStatement("SAVEPOINT docstore_call").run() }
            do {
                try member.apply(connection)
                if !first { try connection.cachedStatement("RELEASE docstore_call").run() }
                return nil
            } catch {
                if first {
                    connection.rollbackIfNeeded()
                } else if connection.isInTransaction {
                    _ = try? connection.cachedStatement("ROLLBACK TO docstore_call").run()
                    _ = try? connection.cachedStatement("RELEASE docstore_call").run()
                }
                let failure = member.interrupted ? CancellationError() : error
                member.fail(failure)
                return failure
            }
        } catch {
            member.fail(error)
            return error
        }
    }

    private func fail(_ members: [any GroupMember], with error: any Error) {
        for member in members { member.fail(error) }
    }
}
