import Foundation
import Synchronization
import Testing

@testable import DocumentStore

/// Group commit: calls queued while the writer is busy share one transaction, yet each gives
/// exactly what it gives alone, and a failing call writes nothing of its own and takes nothing
/// from the others.
@Suite("Group commit")
struct GroupCommitTests {
    /// One call of the mix below, run either alone or queued with the others.
    typealias Call = @Sendable (Table) async throws -> WriteResult

    /// Every call touches keys no other call touches, so their order within the group cannot
    /// change what any of them gives.
    static func calls(_ durability: Durability) -> [(String, Call)] {
        let large = "[" + (0..<3000).map { #"{"id": "big-\#($0)", "v": 7, "pad": "\#(String(repeating: "x", count: 400))"}"# }
            .joined(separator: ",") + ", {\"id\": oops}]"
        return [
            ("insert", { try await $0.insert(["id": "new-1", "v": 1], durability: durability) }),
            ("insert batch", { try await $0.insert([["id": "new-2", "v": 2], ["id": "new-3", "v": 2]], durability: durability) }),
            // RethinkDB: the duplicate is an error in the result, and nothing of it is written.
            ("duplicate key", { try await $0.insert(["id": "old-1", "v": 99], durability: durability) }),
            ("duplicate among new", { try await $0.insert([["id": "new-4", "v": 4], ["id": "old-2", "v": 99]], durability: durability) }),
            ("conflict function that errors", {
                try await $0.insert(["id": "old-3", "v": 99], conflict: .resolve { _, _, _ in throw Refusal() }, durability: durability)
            }),
            ("conflict function that updates", {
                try await $0.insert(["id": "old-4", "v": 5], conflict: .resolve { _, old, new in old.merging(["w": new["v"] ?? .null]) },
                                    durability: durability)
            }),
            ("too large a document", {
                try await $0.insert(["id": "huge", "v": 6, "list": .array(Array(repeating: 1, count: 100_001))], durability: durability)
            }),
            ("update", { try await $0.document("old-5").update(["v": 50], durability: durability) }),
            ("delete", { try await $0.document("old-6").delete(durability: durability) }),
            // Over 1 MiB, so parsed and written a chunk at a time: it joins no group but begins
            // a transaction of its own after the others' commit, and the syntax error at its end
            // comes after its first chunks were written: that transaction's rollback undoes them.
            ("large input with a syntax error at its end", { try await $0.insert(json: large) }),
        ]
    }

    struct Refusal: Error, CustomStringConvertible {
        var description: String { "refused" }
    }

    /// A store with documents `old-0` ... `old-9`, an index on `v` and the change log on.
    static func makeStore(_ path: String, trace: (@Sendable (String) -> Void)? = nil) async throws -> DocumentStore {
        var configuration = DocumentStore.Configuration()
        configuration.trace = trace
        // The calls are checked for sharing transactions, not for how fast this machine runs them.
        configuration.groupCommitWindow = .seconds(30)
        let store = try DocumentStore(path: path, configuration: configuration)
        try await store.tableCreate("t", changeLog: .on(.count(10_000)))
        try await store.table("t").indexCreate("v", .field("v"))
        _ = try await store.table("t").indexWait()
        try await store.table("t").insert((0..<10).map { ["id": .string("old-\($0)"), "v": .number(Double($0))] })
        return store
    }

    /// What a test compares between the two stores: every document, what the index finds, and
    /// the change records (as a multiset: their order follows the calls' order in the group).
    static func state(_ store: DocumentStore) async throws -> [String] {
        let table = store.table("t")
        var lines: [String] = []
        for try await document in table.documents() { lines.append(document.jsonString) }
        lines.sort()
        for v in [1, 2, 4, 5, 6, 7, 50, 99] {
            lines.append("v=\(v): " + (try await table.getAll([.number(Double(v))], index: "v")).map(\.jsonString).sorted().joined(separator: " "))
        }
        let records = try await store.read { connection in
            // With every new document in place, wherever the record keeps it (in the row or in itself).
            let statement = try connection.prepare(ChangeLogStorage.shellQuery(table: "t"))
            var rows: [String] = []
            while try statement.step() {
                rows.append("change \(statement.value(at: 1)) \(statement.value(at: 2)) \(statement.value(at: 3))")
            }
            return rows
        }
        return lines + records.sorted()
    }

    static func outcome(_ result: Result<WriteResult, any Error>) -> String {
        switch result {
        case .success(let value): return value.jsonString
        case .failure(let error): return "error: \(error)"
        }
    }

    @Test("Calls queued behind a busy writer share transactions, and each gives what it gives alone",
          arguments: Durability.allCases)
    func groupedCallsMatchLoneCalls(durability: Durability) async throws {
        let scratch = try TemporaryDirectory()
        let calls = Self.calls(durability)

        let alone = try await Self.makeStore(scratch.path("alone.sqlite"))
        var expected: [String] = []
        for (_, call) in calls {
            do {
                expected.append(Self.outcome(.success(try await call(alone.table("t")))))
            } catch {
                expected.append(Self.outcome(.failure(error)))
            }
        }

        let statements = Mutex<[String]>([])
        let grouped = try await Self.makeStore(scratch.path("grouped.sqlite")) { sql in statements.withLock { $0.append(sql) } }
        let results = try await Self.queuedBehindBusyWriter(grouped, calls.map(\.1))
        let after = Self.afterBusyWriter(statements.withLock { $0 })
        // The first nine calls in one transaction, each after the first in a savepoint; the
        // large input (the last) in a second one, alone, rolled back.
        #expect(after.filter { $0 == "BEGIN IMMEDIATE" }.count == 2)
        #expect(after.filter { $0 == "COMMIT" }.count == 1)
        #expect(after.filter { $0 == "SAVEPOINT docstore_call" }.count == calls.count - 2)

        for (index, (name, _)) in calls.enumerated() {
            #expect(Self.outcome(results[index]) == expected[index], "\(name)")
        }
        // The calls that fail give RethinkDB's errors, as they do alone.
        #expect(expected[2].contains("Duplicate primary key `id`"))
        #expect(expected[4].contains("refused"))
        #expect(expected[6].contains("Array too large for disk writes (limit 100,000 elements)."))
        #expect(expected[9].hasPrefix("error: "))
        #expect(try await Self.state(grouped) == Self.state(alone))
        #expect(try await grouped.table("t").get("big-0") == nil)
        #expect(try await grouped.table("t").get("huge") == nil)
        #expect(try await grouped.table("t").get("new-4")?["v"] == 4)
    }

    @Test("A hard call in a group makes the whole group commit with synchronous = FULL; soft calls alone stay at NORMAL")
    func hardCallMakesTheGroupFull() async throws {
        let scratch = try TemporaryDirectory()
        let store = try await Self.makeStore(scratch.path("levels.sqlite"))
        let calls: [Call] = (0..<6).map { index in
            { try await $0.insert(["id": .string("l-\(index)")], durability: index == 5 ? .hard : .soft) }
        }
        _ = try await Self.queuedBehindBusyWriter(store, calls)
        #expect(try await store.writerSynchronousLevel() == "FULL")
        _ = try await Self.queuedBehindBusyWriter(store, Array(calls.prefix(5)).map { call in
            { try await $0.insert(["id": .string(UUID().uuidString)], durability: .soft) }
        })
        #expect(try await store.writerSynchronousLevel() == "NORMAL")
        #expect(try await store.table("t").count() == 10 + 6 + 5)
    }

    @Test("A call cancelled while it waits in the queue is skipped, and the rest of its group commits")
    func cancelledWaitingCallIsSkipped() async throws {
        let scratch = try TemporaryDirectory()
        let store = try await Self.makeStore(scratch.path("cancel.sqlite"))
        let table = store.table("t")
        let writer = try await BusyWriter(store)
        let kept = Task { try await table.insert(["id": "kept"]) }
        let cancelled = Task { try await table.insert(["id": "cancelled"]) }
        try await writer.waitForQueued(2)
        cancelled.cancel()
        try await writer.release()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(try await kept.value.inserted == 1)
        #expect(try await table.get("cancelled") == nil)
        #expect(try await table.get("kept") != nil)
    }

    /// The statements traced since the writer was last held (``BusyWriter``).
    static func afterBusyWriter(_ statements: [String]) -> ArraySlice<String> {
        statements[(statements.lastIndex { $0.hasPrefix("SELECT 'busy'") } ?? 0)...]
    }

    /// Holds the writer, queues every call behind it in the order given (each once the one
    /// before has queued), then lets them run: they all arrive while the writer is busy, so
    /// they form one group, or more where a call may not join.
    static func queuedBehindBusyWriter(_ store: DocumentStore, _ calls: [Call]) async throws -> [Result<WriteResult, any Error>] {
        let table = store.table("t")
        let writer = try await BusyWriter(store)
        var tasks: [Task<WriteResult, any Error>] = []
        for call in calls {
            tasks.append(Task { try await call(table) })
            try await writer.waitForQueued(tasks.count)
        }
        try await writer.release()
        var results: [Result<WriteResult, any Error>] = []
        for task in tasks { results.append(await task.result) }
        return results
    }
}

/// The writer's thread held by a call that runs until released, so that calls queue behind it
/// however slowly the machine schedules the test's tasks.
struct BusyWriter {
    final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        func set() { value.store(true, ordering: .releasing) }
        var isSet: Bool { value.load(ordering: .acquiring) }
    }

    let store: DocumentStore
    let held: Task<Void, any Error>
    let released = Flag()

    init(_ store: DocumentStore) async throws {
        self.store = store
        let running = Flag(), released = self.released
        held = Task {
            try await store.writer.run { connection in
                try connection.execute("SELECT 'busy'")
                running.set()
                while !released.isSet { usleep(1000) }
            }
        }
        while !running.isSet { try await Task.sleep(for: .milliseconds(5)) }
    }

    func waitForQueued(_ count: Int) async throws {
        try await Self.waitForQueued(count, in: store)
    }

    /// Waits until `count` write calls wait for a group, for tests that hold the writer some
    /// other way (a cancellable statement).
    static func waitForQueued(_ count: Int, in store: DocumentStore) async throws {
        while store.queuedWriteCount < count { try await Task.sleep(for: .milliseconds(5)) }
    }

    func release() async throws {
        released.set()
        try await held.value
    }
}
