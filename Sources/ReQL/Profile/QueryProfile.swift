import DocumentModel
import Synchronization

/// The `profile: true` run option: what a query spent its time on, as RethinkDB reports it.
///
/// Every term evaluated is a task (`"Evaluating map."`) with its duration in milliseconds and
/// the tasks it ran inside it, the shape of RethinkDB's profile (`profile.cc`):
///
/// ```json
/// [{"description": "Evaluating count.", "duration(ms)": 0.41,
///   "sub_tasks": [{"description": "Evaluating table.", "duration(ms)": 0.2, "sub_tasks": []}]}]
/// ```
///
/// The server sends it in the response's `p` field, which drivers return beside the value
/// (the Python driver as `{"value": ..., "profile": ...}`). A lazily read stream keeps
/// recording as it is read, so a stream's first response includes the work of its first
/// batch.
package final class QueryProfile: Sendable {
    private struct Task {
        var description: String
        var start: ContinuousClock.Instant
        var milliseconds = 0.0
        var subTasks: [Document] = []
    }

    private struct State {
        var open: [Task] = []
        var finished: [Document] = []
    }

    // A query's evaluation and its cursor's reads run one at a time, but on different threads.
    private let state = Mutex(State())
    private let clock = ContinuousClock()

    package init() {}

    /// Opens a task; every ``start(_:)`` is closed by one ``stop()``.
    package func start(_ description: String) {
        let now = clock.now
        state.withLock { $0.open.append(Task(description: description, start: now)) }
    }

    package func stop() {
        let now = clock.now
        state.withLock { state in
            guard var task = state.open.popLast() else { return }
            let elapsed = task.start.duration(to: now)
            task.milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            let document: Document = [
                "description": .string(task.description), "duration(ms)": .number(task.milliseconds),
                "sub_tasks": .array(task.subTasks),
            ]
            if state.open.isEmpty {
                state.finished.append(document)
            } else {
                state.open[state.open.count - 1].subTasks.append(document)
            }
        }
    }

    /// The tasks finished so far, as the profile datum; later tasks start a new profile.
    package func take() -> Document {
        state.withLock { state in
            defer { state.finished = [] }
            return .array(state.finished)
        }
    }
}
