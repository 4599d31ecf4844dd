import DocumentStore
import ReQL
import Testing
@testable import DocumentStoreServer

/// `set_write_hook`, `get_write_hook` and `ignore_write_hook` through the engine, as a driver
/// sends them; the expected answers are those of RethinkDB's `mutation/write_hook.yaml` and
/// `write_hook.cc`.
@Suite("Write hook terms")
struct ReqlWriteHookTests {
    static let tbl = Q.table("t")

    static func setWriteHook(_ table: Q, _ hook: Q) -> Q { Q.term(189, [table, hook]) }
    static func getWriteHook(_ table: Q) -> Q { Q.term(190, [table]) }

    /// `lambda ctx, old, new: new.merge({"num": 1, "e": new["id"] == ctx["primary_key"]})`.
    static let numbering = Q.fn3 { ctx, _, new in new.merge(Q.object(["num": Q.expr(1), "e": new["id"].eq(ctx["primary_key"])])) }

    static func withTable(_ body: (ReqlEngine) async throws -> Void) async throws {
        try await ReqlEngineTests.withEngine { engine in
            _ = try await engine.value(.tableCreate("t"))
            try await body(engine)
        }
    }

    @Test("set_write_hook answers created, replaced and deleted; the server's inserts apply the hook")
    func setAndApply() async throws {
        try await Self.withTable { engine in
            #expect(try await engine.value(Self.getWriteHook(Self.tbl)) == .null)
            #expect(try await engine.value(Self.setWriteHook(Self.tbl, Self.numbering)) == ["created": 1])
            #expect(try await engine.value(Self.setWriteHook(Self.tbl, Self.numbering)) == ["replaced": 1])
            _ = try await engine.value(Self.tbl.insert(["id": 1]))
            #expect(try await engine.value(Self.tbl) == [["id": 1, "num": 1, "e": true]])
            #expect(try await engine.value(Self.setWriteHook(Self.tbl, Q.expr(.null))) == ["deleted": 1])
            _ = try await engine.value(Self.tbl.insert(["id": 2]))
            #expect(try await engine.value(Self.tbl.count()) == 2)
            #expect(try await engine.value(Self.tbl.filter(Q.fn { $0["id"].eq(Q.expr(2)) })) == [["id": 2]])
        }
    }

    @Test("ignore_write_hook: true stores what the write computed")
    func ignoring() async throws {
        try await Self.withTable { engine in
            _ = try await engine.value(Self.setWriteHook(Self.tbl, Self.numbering))
            _ = try await engine.value(Q.term(56, [Self.tbl, Q.expr(["id": 1])], ["ignore_write_hook": Q.expr(true)]))
            _ = try await engine.value(Q.term(53, [Self.tbl, Q.expr(["a": 1])], ["ignore_write_hook": Q.expr(true)]))
            #expect(try await engine.value(Self.tbl) == [["id": 1, "a": 1]])
            _ = try await engine.value(Self.tbl.update(Q.expr(["b": 1])))
            #expect(try await engine.value(Self.tbl) == [["id": 1, "a": 1, "b": 1, "num": 1, "e": true]])
        }
    }

    @Test("A hook's ctx.timestamp is its query's r.now(), however long the query ran before writing")
    func timestampIsTheQuerysNow() async throws {
        try await Self.withTable { engine in
            let stamp = Q.fn3 { ctx, _, new in new.merge(Q.object(["stamp": ctx["timestamp"]])) }
            _ = try await engine.value(Self.setWriteHook(Self.tbl, stamp))
            // The document comes out of 50 ms of busy JavaScript, so the write starts well after
            // the query did; RethinkDB's hook still gets the query's one r.now() (TERM 103).
            let late = Q.term(11, [Q.expr("(function () { var t = Date.now(); while (Date.now() - t < 50) {} return {id: 1}; })()")])
            _ = try await engine.value(Self.tbl.insert(late.merge(Q.object(["at": Q.term(103, [])]))))
            let row = try await engine.value(Self.tbl.get(1))
            #expect(row["stamp"]?["$reql_type$"] == "TIME")
            #expect(row["stamp"] == row["at"])
        }
    }

    @Test("get_write_hook's function sets the same hook on another table; other binaries are refused")
    func binaryRoundTrip() async throws {
        try await Self.withTable { engine in
            _ = try await engine.value(.tableCreate("u"))
            _ = try await engine.value(Self.setWriteHook(Self.tbl, Self.numbering))
            let hook = try await engine.value(Self.getWriteHook(Self.tbl))
            #expect(hook["query"]?.stringValue?.hasPrefix("setWriteHook(function(var4, var5, var6) {") == true)
            let function = try #require(hook["function"])
            #expect(try await engine.value(Self.setWriteHook(Q.table("u"), Q(function))) == ["created": 1])
            _ = try await engine.value(Q.table("u").insert(["id": 7]))
            #expect(try await engine.value(Q.table("u")) == [["id": 7, "num": 1, "e": true]])
            let foreign = Q(["$reql_type$": "BINARY", "data": "eHl6"])
            let error = try await Wire.error(Self.setWriteHook(Self.tbl, foreign).wire, engine)
            #expect(error?.message == "Cannot create a write hook except from a reql_write_hook_function returned from `get_write_hook`.")
        }
    }

    @Test("A hook must be a deterministic function of three arguments",
          arguments: [(Q.expr(1), "Expected type FUNCTION but found DATUM:\n1"),
                      (Q.fn { _ in Q.expr(1) }, "Write hook functions must expect 3 arguments."),
                      (Q.fn3 { _, _, _ in Q.random }, "Could not prove function deterministic.  Write hook functions must be deterministic.")])
    func refused(hook: Q, message: String) async throws {
        try await Self.withTable { engine in
            let error = try await Wire.error(Self.setWriteHook(Self.tbl, hook).wire, engine)
            #expect(error?.message.hasPrefix(message) == true, "\(String(describing: error))")
            #expect(error?.errorType == .queryLogic)
            #expect(try await engine.value(Self.getWriteHook(Self.tbl)) == .null)
        }
    }
}
