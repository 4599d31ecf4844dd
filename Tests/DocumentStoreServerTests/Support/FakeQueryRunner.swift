import DocumentStore
import ReQL
import Synchronization

@testable import DocumentStoreServer

/// A query layer stand-in whose "terms" are instructions, so protocol tests can ask for exactly
/// the outcome they need:
///
/// - `["atom", X]` answers SUCCESS_ATOM with X;
/// - `["error", "msg"]` fails with RUNTIME_ERROR OP_FAILED and backtrace `[0]`;
/// - `["stream", N]` streams the numbers 0..<N;
/// - `["gated", "name", X]` answers X once the gate `name` opens;
/// - `["gated-stream", "name", N]` streams 0..<N, every batch after the first waiting for the gate.
final class FakeQueryRunner: QueryRunning {
    let gates = Gates()
    private let log = Mutex<[String]>([])
    private let streams = Mutex<[FakeStream]>([])

    /// What happened, in order: `start:<term>`, `finish:<term>`.
    var events: [String] { self.log.withLock { $0 } }
    var createdStreams: [FakeStream] { self.streams.withLock { $0 } }

    func start(term: Document, globalOptargs: DocumentObject, cancellation: CancellationToken) async -> QueryOutcome {
        self.log.withLock { $0.append("start:\(term.jsonString)") }
        defer { self.log.withLock { $0.append("finish:\(term.jsonString)") } }
        guard case .array(let instruction) = term, let kind = instruction.first?.stringValue else {
            return .error(.compile("fake runner: unknown instruction \(term.jsonString)"))
        }
        switch kind {
        case "atom":
            return .atom(instruction.count > 1 ? instruction[1] : .null)
        case "error":
            return .error(.runtime(.opFailed, instruction[1].stringValue ?? "", backtrace: [0]))
        case "stream":
            return .stream(self.makeStream(count: instruction[1].intValue ?? 0, gate: nil))
        case "gated":
            await self.gates.wait(instruction[1].stringValue ?? "")
            return .atom(instruction.count > 2 ? instruction[2] : .null)
        case "gated-stream":
            return .stream(self.makeStream(count: instruction[2].intValue ?? 0, gate: instruction[1].stringValue))
        default:
            return .error(.compile("fake runner: unknown instruction \(kind)"))
        }
    }

    private func makeStream(count: Int, gate: String?) -> FakeStream {
        let stream = FakeStream(items: (0..<count).map { .number(Double($0)) }, gate: gate, gates: self.gates)
        self.streams.withLock { $0.append(stream) }
        return stream
    }
}

/// A stream over fixed items that records how it was used.
final class FakeStream: QueryStream {
    private struct State {
        var position = 0
        var batches = 0
        var stopCount = 0
    }

    private let items: [Document]
    private let gate: String?
    private let gates: Gates
    private let state = Mutex(State())

    init(items: [Document], gate: String?, gates: Gates) {
        self.items = items
        self.gate = gate
        self.gates = gates
    }

    var stopCount: Int { self.state.withLock { $0.stopCount } }

    func nextBatch(limit: Int) async -> Result<(items: [Document], finished: Bool), ReqlError> {
        let isFirst = self.state.withLock { state in
            state.batches += 1
            return state.batches == 1
        }
        if let gate, !isFirst {
            await self.gates.wait(gate)
        }
        return self.state.withLock { state in
            let end = min(state.position + limit, self.items.count)
            let batch = Array(self.items[state.position..<end])
            state.position = end
            return .success((items: batch, finished: end == self.items.count))
        }
    }

    func stop() async {
        self.state.withLock { $0.stopCount += 1 }
    }
}

/// Named one-shot gates: `wait` suspends until `open` is called for that name (or returns at
/// once if it already was).
actor Gates {
    private var opened: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    func wait(_ name: String) async {
        if self.opened.contains(name) { return }
        await withCheckedContinuation { self.waiters[name, default: []].append($0) }
    }

    func open(_ name: String) {
        self.opened.insert(name)
        for waiter in self.waiters.removeValue(forKey: name) ?? [] {
            waiter.resume()
        }
    }
}

/// Collects responses in memory instead of writing them to a socket.
final class CollectingSink: ResponseSink {
    private let responses = Mutex<[QueryResponse]>([])

    var all: [QueryResponse] { self.responses.withLock { $0 } }

    func send(_ response: QueryResponse) {
        self.responses.withLock { $0.append(response) }
    }

    func flushed() async {}

    /// Waits (up to five seconds) until at least `count` responses have arrived.
    func waitFor(_ count: Int) async -> [QueryResponse] {
        for _ in 0..<500 {
            let current = self.all
            if current.count >= count { return current }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return self.all
    }
}
