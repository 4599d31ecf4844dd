import DocumentStore
import Foundation
import ReQL
import Synchronization
import Testing

@testable import DocumentStoreServer

/// RethinkDB's limits on unbounded sequences, cancellation of running queries, and the places
/// where the server now defers to the library (its error texts, its selections).
@Suite("ReQL limits and cancellation")
struct ReqlLimitsTests {
    static let infinite = "Cannot use an infinite stream with an aggregation function (`reduce`, `count`, etc.) or coerce it to an array."

    @Test("An infinite r.range() cannot be counted or collected, but can be limited and streamed")
    func infiniteRange() async throws {
        try await ReqlEngineTests.withEngine { engine in
            for json in ["[43,[[173,[]]]]", #"[51,[[173,[]],"ARRAY"]]"#, #"[51,[[173,[]],"OBJECT"]]"#, "[43,[[38,[[173,[]],[69,[[2,[1]],1]]]]]]"] {
                let error = try #require(try await ReqlEngineTests.error(engine, json), "\(json)")
                #expect(error.responseType == .runtimeError)
                #expect(error.errorType == .queryLogic)
                #expect(error.message == Self.infinite, "\(json)")
            }
            #expect(try await ReqlEngineTests.atom(engine, "[43,[[173,[4]]]]") == 4)
            #expect(try await ReqlEngineTests.atom(engine, "[52,[[173,[]]]]") == "STREAM")
            guard case .stream(let stream) = try await ReqlEngineTests.run(engine, "[71,[[173,[]],4]]") else {
                Issue.record("expected a stream")
                return
            }
            #expect(try await stream.nextBatch(limit: 10).get().items == [0, 1, 2, 3])
            guard case .stream(let endless) = try await ReqlEngineTests.run(engine, "[173,[]]") else {
                Issue.record("expected a stream")
                return
            }
            let batch = try await endless.nextBatch(limit: 3).get()
            #expect(batch.items == [0, 1, 2] && !batch.finished)
            await endless.stop()
        }
    }

    @Test("r.range takes integers only, with RethinkDB's messages")
    func rangeArguments() async throws {
        try await ReqlEngineTests.withEngine { engine in
            let cases = [
                "[173,[9007199254740994]]": "Number not an integer (>2^53): 9007199254740994",
                "[173,[-9007199254740994]]": "Number not an integer (<-2^53): -9007199254740994",
                "[173,[0.5]]": "Number not an integer: 0.5",
                #"[173,["foo"]]"#: "Expected type NUMBER but found STRING.",
            ]
            for (json, message) in cases {
                let error = try #require(try await ReqlEngineTests.error(engine, json), "\(json)")
                #expect(error.message == message)
            }
            #expect(try await ReqlEngineTests.error(engine, "[173,[2,5,8]]")?.message == "Expected between 0 and 2 arguments but found 3.")
            guard case .stream(let stream) = try await ReqlEngineTests.run(engine, "[173,[-5,-2]]") else {
                Issue.record("expected a stream")
                return
            }
            #expect(try await stream.nextBatch(limit: 10).get().items == [-5, -4, -3])
        }
    }

    @Test("A cancelled query stops within 100 ms, even in the middle of counting 10^13 numbers")
    func cancellationStopsEvaluation() async throws {
        try await ReqlEngineTests.withEngine { engine in
            let token = CancellationToken()
            let term = try Document(parsing: "[43,[[173,[10000000000000]]]]")
            // The instant the evaluator gave up, taken on its own thread: how soon the answer then
            // reaches this task depends on the load of the whole suite, not on the evaluator.
            let stopped = Mutex<ContinuousClock.Instant?>(nil)
            let tables = LibraryTables(registry: engine.registry, cancellation: token)
            let running = Task {
                await engine.evaluate(token) { () throws(ReqlError) -> Bool in
                    do throws(ReqlError) {
                        _ = try Query.run(term, globalOptargs: [:], tables: tables, cancellation: token)
                        return true
                    } catch {
                        stopped.withLock { $0 = .now }
                        throw error
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            let cancelled = ContinuousClock.now
            token.cancel()
            let outcome = await running.value
            #expect(outcome == .failure(.interrupted))
            let end = try #require(stopped.withLock { $0 })
            #expect(end - cancelled < .seconds(1))  // both instants are taken off the task pool; 1 s allows a loaded machine
            // And through the engine, as the protocol layer calls it.
            let again = CancellationToken()
            let query = Task { await engine.start(term: term, globalOptargs: [:], cancellation: again) }
            try await Task.sleep(for: .milliseconds(100))
            again.cancel()
            guard case .error(let error) = await query.value else {
                Issue.record("expected the interruption error")
                return
            }
            #expect(error == .interrupted)
        }
    }

    @Test("upsert together with conflict is the library's error, not a silently dropped option")
    func upsertWithConflict() async throws {
        try await ReqlEngineTests.withEngine { engine in
            _ = try await ReqlEngineTests.atom(engine, #"[60,["t"]]"#)
            let error = try #require(try await ReqlEngineTests.error(engine, #"[56,[[15,["t"]],{"id":1}],{"upsert":true,"conflict":"update"}]"#))
            #expect(error.responseType == .compileError)
            #expect(error.message.hasPrefix("Cannot use both `upsert` (RethinkDB 1.x) and `conflict`"))
            #expect(try await ReqlEngineTests.atom(engine, #"[43,[[15,["t"]]]]"#) == 0)
        }
    }

    @Test("get_all reads, and writes, its keys through the library's selection")
    func getAllSelection() async throws {
        try await ReqlEngineTests.withEngine { engine in
            _ = try await ReqlEngineTests.atom(engine, #"[60,["t"]]"#)
            _ = try await ReqlEngineTests.atom(engine, #"[56,[[15,["t"]],[2,[{"id":1},{"id":2},{"id":3}]]]]"#)
            #expect(try await ReqlEngineTests.atom(engine, #"[43,[[78,[[15,["t"]],1,3,4]]]]"#) == 2)
            let updated = try await ReqlEngineTests.atom(engine, #"[53,[[78,[[15,["t"]],1,3,4]],{"seen":true}]]"#)
            #expect(updated["replaced"] == 2)
            #expect(updated["skipped"] == 0)
            let filtered = try await ReqlEngineTests.atom(engine, #"[54,[[39,[[15,["t"]],{"seen":true}]]]]"#)
            #expect(filtered["deleted"] == 2)
            #expect(try await ReqlEngineTests.atom(engine, #"[43,[[15,["t"]]]]"#) == 1)
        }
    }

    @Test("r.literal still replaces inside merge and update, and plain patches merge as the library does")
    func literalMerge() async throws {
        try await ReqlEngineTests.withEngine { engine in
            let replaced = try await ReqlEngineTests.atom(engine, #"[35,[{"a":{"b":1,"c":2}},{"a":[137,[{"d":3}]]}]]"#)
            #expect(replaced == ["a": ["d": 3]])
            let merged = try await ReqlEngineTests.atom(engine, #"[35,[{"a":{"b":1,"c":2}},{"a":{"d":3},"e":null}]]"#)
            #expect(merged == ["a": ["b": 1, "c": 2, "d": 3], "e": .null])
            let removed = try await ReqlEngineTests.atom(engine, #"[35,[{"a":1,"b":2},{"a":[137,[]]}]]"#)
            #expect(removed == ["b": 2])
        }
    }
}
