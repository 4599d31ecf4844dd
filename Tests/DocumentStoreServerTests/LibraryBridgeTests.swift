import Dispatch
import DocumentStore
import Foundation
import ReQL
import Testing
@testable import DocumentStoreServer

/// The synchronous evaluator's way into the async library: the waiting thread runs the call's
/// task itself (``CallingThreadExecutor``), so a call resumed by another thread finishes
/// where it started instead of on the cooperative pool.
@Suite("Library calls from the evaluator's threads")
struct LibraryBridgeTests {
    /// The calling thread, as a number that can cross into the task.
    static func threadID() -> UInt { UInt(bitPattern: Int(bitPattern: pthread_self())) }

    /// Runs `body` on a thread of its own (as a query thread is) and returns its result.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }

    /// A continuation resumed later by a thread of its own, as the writer resumes a write.
    static func resumedElsewhere(after delay: Duration = .milliseconds(5)) async -> UInt {
        await withCheckedContinuation { continuation in
            Thread {
                Thread.sleep(forTimeInterval: TimeInterval(delay.components.attoseconds) / 1e18)
                continuation.resume(returning: threadID())
            }.start()
        }
    }

    @Test("A call that suspends and is resumed by another thread finishes on the thread that waits for it")
    func resumesOnTheCallingThread() async throws {
        let (caller, resumer, finisher) = await Self.onThread { () -> (UInt, UInt, UInt) in
            let caller = Self.threadID()
            let (resumer, finisher) = try! LibraryBridge.run(CancellationToken()) {
                let resumer = await Self.resumedElsewhere()
                return (resumer, Self.threadID())
            }
            return (caller, resumer, finisher)
        }
        #expect(resumer != caller)
        #expect(finisher == caller)
    }

    @Test("A call that never suspends returns its value, and its error as a ReqlError", arguments: [false, true])
    func synchronousCalls(_ failing: Bool) async throws {
        struct Failure: Error {}
        let result = await Self.onThread { () -> Result<Int, ReqlError> in
            Result { () throws(ReqlError) -> Int in
                try LibraryBridge.run(CancellationToken()) {
                    if failing { throw Failure() }
                    return 42
                }
            }
        }
        if failing {
            #expect(throws: ReqlError.self) { try result.get() }
        } else {
            #expect(try result.get() == 42)
        }
    }

    @Test("Cancelling the query's token ends a call waiting in the library")
    func cancellation() async throws {
        let token = CancellationToken()
        let started = DispatchSemaphore(value: 0)
        let outcome = Task {
            await Self.onThread { () -> ReqlError? in
                do throws(ReqlError) {
                    try LibraryBridge.run(token) {
                        started.signal()
                        try await Task.sleep(for: .seconds(30))
                    }
                    return nil
                } catch {
                    return error
                }
            }
        }
        await Self.onThread { started.wait() }
        token.cancel()
        let error = await outcome.value
        #expect(error != nil)
    }

    @Test("Structured child tasks of a call run on the waiting thread too")
    func childTasks() async throws {
        let (caller, children) = await Self.onThread { () -> (UInt, [UInt]) in
            let caller = Self.threadID()
            let children = try! LibraryBridge.run(CancellationToken()) { () async -> [UInt] in
                async let a: UInt = { _ = await Self.resumedElsewhere(after: .milliseconds(2)); return Self.threadID() }()
                async let b: UInt = { _ = await Self.resumedElsewhere(after: .milliseconds(4)); return Self.threadID() }()
                return await [a, b]
            }
            return (caller, children)
        }
        #expect(children == [caller, caller])
    }

    @Test("A job that arrives after the waiting thread has left still runs, on a thread of its own",
          .timeLimit(.minutes(1)))
    func lateJobs() async throws {
        let executor = CallingThreadExecutor()
        await Self.onThread { executor.run(until: { true }) }
        let value = await Task(executorPreference: executor) { () async -> Int in
            _ = await Self.resumedElsewhere(after: .milliseconds(1))
            return 7
        }.value
        #expect(value == 7)
    }
}
