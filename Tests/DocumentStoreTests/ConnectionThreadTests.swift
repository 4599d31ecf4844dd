import Foundation
import Synchronization
import Testing

@testable import DocumentStore

#if canImport(Glibc)
import Glibc
#endif

/// Each connection's own thread: no SQLite call on the cooperative pool, no hop for a task that
/// runs on the writer's executor, and cancellation that reaches a running statement.
@Suite("Connection threads and cancellation")
struct ConnectionThreadTests {
    /// A statement that never ends by itself: counting an unbounded recursive sequence.
    static let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"

    @Test("A write runs on the writer's thread, not on the caller's")
    func writesHopToTheWritersThread() async throws {
        try await withMarvel { _, store in
            let caller = UInt(pthread_self())
            let writer = try await store.writer.run { _ in UInt(pthread_self()) }
            #expect(writer != caller)
            #expect(try await store.writer.run { _ in UInt(pthread_self()) } == writer)
        }
    }

    @Test("A task that prefers the write executor runs its writes on its own thread, with no hop", arguments: [Durability.soft, .hard])
    func writeExecutorRunsInline(durability: Durability) async throws {
        try await withMarvel(durability: durability) { marvel, store in
            let writer = try await store.writer.run { _ in UInt(pthread_self()) }
            let seen = try await withTaskExecutorPreference(store.writeExecutor) {
                var threads: Set<UInt> = [UInt(pthread_self())]
                for id in 0..<20 {
                    try await marvel.insert(["id": .number(Double(id))])
                    threads.insert(UInt(pthread_self()))
                    threads.insert(try await store.writer.run { _ in UInt(pthread_self()) })
                }
                return threads
            }
            #expect(seen == [writer])
            #expect(try await marvel.count() == 20)
        }
    }

    @Test("Cancelling a task interrupts its running statement within a second")
    func cancellationInterruptsARunningStatement() async throws {
        try await withMarvel { _, store in
            // Timed on the connection's thread: when the statement gave up, not when the test's
            // task was scheduled again (the pool is shared with every other suite).
            let ended = Mutex<ContinuousClock.Instant?>(nil)
            let task = Task {
                try await store.read { connection in
                    defer { ended.withLock { $0 = .now } }
                    try connection.execute(Self.endless)
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            let cancelled = ContinuousClock.now
            task.cancel()
            let outcome = await task.result
            #expect(throws: CancellationError.self) { try outcome.get() }
            if let ended = ended.withLock({ $0 }) {
                #expect(ended - cancelled < .seconds(1))
            }
            // The connection is fine afterwards: the interrupt ended that statement only.
            #expect(try await store.read { connection in
                let statement = try connection.prepare("SELECT 41 + 1")
                _ = try statement.step()
                return statement.int64(at: 0)
            } == 42)
        }
    }

    @Test("A call cancelled while it waits for the connection never runs")
    func cancelledWaitingCallIsSkipped() async throws {
        try await withMarvel { marvel, store in
            // Each step waits for the one before to have happened, not for a time: under
            // AddressSanitizer and the parallel suites a task can wait seconds for a thread.
            let blocking = BusyWriter.Flag()
            let blocker = Task {
                try await store.writer.run { connection in
                    blocking.set()
                    try connection.execute(Self.endless)
                }
            }
            while !blocking.isSet { try await Task.sleep(for: .milliseconds(5)) }
            let waiting = Task { try await marvel.insert(["id": "never"]) }
            try await BusyWriter.waitForQueued(1, in: store)
            waiting.cancel()
            blocker.cancel()
            await #expect(throws: CancellationError.self) { try await waiting.value }
            await #expect(throws: CancellationError.self) { try await blocker.value }
            #expect(try await marvel.get("never") == nil)
            #expect(try await marvel.insert(["id": "after"]).inserted == 1)
        }
    }
}
