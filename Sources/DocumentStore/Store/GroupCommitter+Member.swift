import DocumentModel

/// Where a call stands in ``GroupCommitter``: changed only under the committer's lock, so a
/// cancellation sees either a call still waiting (skipped) or one running (maybe interrupted).
enum GroupMemberPhase: Sendable {
    case waiting, cancelled, running, applied
}

/// One call of a group, its result type erased so calls of any type share a group.
protocol GroupMember: AnyObject, Sendable {
    var synchronous: SQLiteConnection.Synchronous { get }
    /// Whether the call may run in a savepoint after other calls: false for a call that may
    /// change any number of rows (see ``GroupCommitter``).
    var joinable: Bool { get }
    var phase: GroupMemberPhase { get set }
    var interrupted: Bool { get set }
    /// Runs the call's body in the open transaction and keeps its value until the commit.
    func apply(_ connection: SQLiteConnection) throws
    /// The commit holding the call returned: answers the caller with the value kept.
    func finish()
    /// Answers the caller with `error`: its body failed, or the transaction holding it did.
    func fail(_ error: any Error)
}

/// A call awaiting its group: its body, its value once applied, and the caller's continuation.
///
/// `@unchecked Sendable`: the body runs and the value is kept on the writer's thread only;
/// `phase` and `interrupted` change under the committer's lock.
final class PendingWrite<T: Sendable>: GroupMember, @unchecked Sendable {
    let synchronous: SQLiteConnection.Synchronous
    let joinable: Bool
    private let body: @Sendable (SQLiteConnection) throws -> T
    var phase = GroupMemberPhase.waiting
    var interrupted = false
    /// Set before the call is queued; nil for a call run inline on the writer's thread.
    var continuation: CheckedContinuation<T, any Error>?
    private(set) var outcome: Result<T, any Error>?

    init(synchronous: SQLiteConnection.Synchronous, joinable: Bool,
         body: @escaping @Sendable (SQLiteConnection) throws -> T) {
        self.synchronous = synchronous
        self.joinable = joinable
        self.body = body
    }

    func apply(_ connection: SQLiteConnection) throws {
        outcome = .success(try body(connection))
    }

    func finish() {
        guard let outcome else { return }
        continuation?.resume(with: outcome)
        continuation = nil
    }

    func fail(_ error: any Error) {
        outcome = .failure(error)
        continuation?.resume(throwing: error)
        continuation = nil
    }
}
