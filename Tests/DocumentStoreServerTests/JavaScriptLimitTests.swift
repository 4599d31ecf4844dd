import DocumentStore
import Foundation
import ReQL
import Testing
@testable import DocumentStoreServer

/// What stops a script: `r.js`'s timeout, the query's cancellation, the engine's memory budget;
/// and RethinkDB's rule that `r.js` is never deterministic.
@Suite("r.js limits and determinism")
struct JavaScriptLimitTests {
    static func js(_ source: String, timeout: Double? = nil) -> String {
        let options = timeout.map { ",{\"timeout\":\(Document.number($0).jsonString)}" } ?? ""
        return "[11,[\(Document.string(source).jsonString)]\(options)]"
    }

    static func limits(timeout: UInt64 = 60_000, _ token: CancellationToken = CancellationToken()) -> JavaScriptLimits {
        JavaScriptLimits(timeoutMilliseconds: timeout, arrayLimit: ArrayLimit.default, cancellation: token)
    }

    @Test("The timeout in seconds becomes whole milliseconds, as RethinkDB stores it", arguments: [
        (5.0, 5000 as UInt64), (1.3, 1300), (8, 8000), (0.0005, 0), (0, 0), (-1, 0), (1e300, UInt64.max),
    ] as [(Double, UInt64)])
    func timeoutMilliseconds(seconds: Double, milliseconds: UInt64) {
        #expect(JavaScriptLimits.milliseconds(fromSeconds: seconds) == milliseconds)
    }

    // The time limit, not a clock in the test, catches a loop that is never stopped: the time the
    // test sees includes its task waiting to be scheduled again, which on a 2-core CI machine whose
    // cooperative threads are busy with the CLI suite's processes has been over 30 s. The message
    // shows that the timeout, and not something else, ended the script.
    @Test("A script that runs past its timeout stops with RethinkDB's message", .timeLimit(.minutes(1)))
    func evaluationTimeout() async throws {
        try await ReqlEngineTests.withEngine { engine in
            let error = try #require(try await ReqlEngineTests.error(engine, Self.js("while(true) {}", timeout: 0.3)))
            #expect(error.errorType == .queryLogic)
            #expect(error.message == "JavaScript query `while(true) {}` timed out after 0.300 seconds.")
            #expect(error.backtrace == [])
            // A `catch` in the script does not keep it going.
            let caught = try #require(try await ReqlEngineTests.error(engine, Self.js("try { while(true) {} } catch (e) {} 1", timeout: 0.2)))
            #expect(caught.message == "JavaScript query `try { while(true) {} } catch (e) {} 1` timed out after 0.200 seconds.")
        }
    }

    @Test("Each call of a JavaScript function gets the timeout of its r.js")
    func callTimeout() async throws {
        try await ReqlEngineTests.withEngine { engine in
            let source = "(function(x) { while(true) {} })"
            let query = "[64,[\(Self.js(source, timeout: 0.25)),\"foo\"]]"
            let error = try #require(try await ReqlEngineTests.error(engine, query))
            #expect(error.message == "JavaScript query `\(source)` timed out after 0.250 seconds.")
            #expect(error.backtrace == [0])
            // The query's own `timeout` is the default for its r.js terms.
            let global = try #require(try await ReqlEngineTests.error(engine, Self.js("while(true) {}"), optargs: #"{"timeout":0.2}"#))
            #expect(global.message == "JavaScript query `while(true) {}` timed out after 0.200 seconds.")
        }
    }

    @Test("After a timeout the next r.js runs in a fresh engine")
    func freshAfterTimeout() throws {
        let engine = JavaScriptEngine()
        _ = try engine.evaluate("var kept = 1; 0", limits: Self.limits())
        #expect(try engine.evaluate("kept", limits: Self.limits()) == .datum(1))
        #expect(throws: ReqlError.self) { try engine.evaluate("while(true) {}", limits: Self.limits(timeout: 50)) }
        let error = #expect(throws: ReqlError.self) { try engine.evaluate("kept", limits: Self.limits()) }
        #expect(error?.message.hasPrefix("ReferenceError: ") == true)
    }

    @Test("Cancelling the query stops its script at once")
    func cancellation() throws {
        let engine = JavaScriptEngine()
        let token = CancellationToken()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { token.cancel() }
        let started = ContinuousClock.now
        #expect(throws: ReqlError.interrupted) {
            try engine.evaluate("while(true) {}", limits: Self.limits(token))
        }
        #expect(ContinuousClock.now - started < .seconds(30))  // well under the 60 s timeout: the cancellation stopped it
    }

    @Test("A script cannot take more memory than its engine's budget")
    func memoryBudget() throws {
        let budget = 4 << 20
        let engine = JavaScriptEngine(memoryLimit: budget)
        let error = #expect(throws: ReqlError.self) {
            try engine.evaluate("var a = []; while (true) a.push('item ' + a.length);", limits: Self.limits())
        }
        #expect(error?.errorType == .resourceLimit)
        #expect(error?.message.hasSuffix("ran out of memory: `r.js` may use 4 MiB per query.") == true)
        // The heap that filled up is gone; the next script has the whole budget again.
        #expect(try engine.evaluate("var kept = new Array(10000).join('x'); kept.length", limits: Self.limits()) == .datum(9999))
        #expect(engine.memoryUsed > 0 && engine.memoryUsed <= budget)
    }

    @Test("update and replace refuse r.js without non_atomic", arguments: [
        // update({'d': r.js('5')})
        #"[53,[[16,[[15,["t"]],1]],{"d":[11,["5"]]}]"#,
        // replace(r.row.merge({'c': r.js('5')}))
        #"[55,[[16,[[15,["t"]],1]],[69,[[2,[1]],[35,[[10,[1]],{"c":[11,["5"]]}]]]]]"#,
        // update(r.js('(function(row) { return {d: row.id + 1}; })'))
        #"[53,[[16,[[15,["t"]],1]],[11,["(function(row) { return {d: row.id + 1}; })"]]]"#,
    ])
    func determinism(write: String) async throws {
        try await ReqlEngineTests.withEngine { engine in
            _ = try await ReqlEngineTests.atom(engine, #"[60,["t"]]"#)
            _ = try await ReqlEngineTests.atom(engine, #"[56,[[15,["t"]],{"id":1}]]"#)
            let error = try #require(try await ReqlEngineTests.error(engine, write + "]"))
            #expect(error.errorType == .queryLogic)
            #expect(error.message == "Could not prove argument deterministic.  Maybe you want to use the non_atomic flag?")
            #expect(error.backtrace == [1])
            let result = try await ReqlEngineTests.atom(engine, write + #",{"non_atomic":true}]"#)
            #expect(result["replaced"] == 1)
            #expect(try await ReqlEngineTests.atom(engine, #"[16,[[15,["t"]],1]]"#) != ["id": 1])
        }
    }
}
