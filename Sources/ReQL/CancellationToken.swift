import Synchronization

/// One query's "stop now" flag, shared by the protocol layer (which cancels it when the client
/// disconnects, sends STOP, or the server shuts down) and the evaluator (which checks it in
/// every loop and in every term, and stops with ``ReqlError/interrupted``).
///
/// The check is one relaxed atomic load, cheap enough for every element of a stream. Work that
/// cannot poll (a library call waiting on SQLite) registers a handler with ``onCancel(_:)``,
/// which cancels the Swift task it waits for.
package final class CancellationToken: Sendable {
    private let flag = Atomic<Bool>(false)
    private let handlers = Mutex<(next: Int, registered: [Int: @Sendable () -> Void])>((0, [:]))

    package init() {}

    package var isCancelled: Bool { flag.load(ordering: .relaxed) }

    /// Sets the flag and runs the registered handlers, once; later calls do nothing.
    package func cancel() {
        guard !flag.exchange(true, ordering: .relaxed) else { return }
        let running = handlers.withLock { state in
            defer { state.registered = [:] }
            return Array(state.registered.values)
        }
        for handler in running { handler() }
    }

    /// Throws ``ReqlError/interrupted`` once the token is cancelled.
    @inline(__always)
    package func check() throws(ReqlError) {
        if flag.load(ordering: .relaxed) { throw .interrupted }
    }

    /// Runs `handler` when the token is cancelled (at once if it already is). Returns an id for
    /// ``removeHandler(_:)``, or nil when the handler already ran.
    package func onCancel(_ handler: @escaping @Sendable () -> Void) -> Int? {
        let id: Int? = handlers.withLock { state in
            guard !flag.load(ordering: .relaxed) else { return nil }
            defer { state.next += 1 }
            state.registered[state.next] = handler
            return state.next
        }
        if id == nil { handler() }
        return id
    }

    package func removeHandler(_ id: Int?) {
        guard let id else { return }
        _ = handlers.withLock { $0.registered.removeValue(forKey: id) }
    }
}
