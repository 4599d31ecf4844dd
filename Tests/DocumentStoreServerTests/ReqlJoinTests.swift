import DocumentStore
import ReQL
import Testing
@testable import DocumentStoreServer

/// `eq_join`, `inner_join`, `outer_join` and `zip` through the engine, with the tables and
/// answers of RethinkDB's `test/rql_test/src/joins.yaml` and `sindex/api.yaml`.
@Suite("Join terms")
struct ReqlJoinTests {
    static let left = Q.table("l")
    static let right = Q.table("r")
    static let other = Q.table("o")

    /// `l`: 100 rows {id: i, a: i % 4}; `r`: 100 rows {id: i, b: i % 4}; `o` (primary key
    /// `foo`): 100 rows {foo: i, b: i % 4}.
    static func withTables(_ body: (ReqlEngine) async throws -> Void) async throws {
        try await ReqlEngineTests.withEngine { engine in
            _ = try await engine.value(.tableCreate("l"))
            _ = try await engine.value(.tableCreate("r"))
            _ = try await engine.value(.tableCreate("o", primaryKey: "foo"))
            _ = try await engine.value(left.insert(Q.range(100).map(.fn { .object(["id": $0, "a": $0.mod(.expr(4))]) })))
            _ = try await engine.value(right.insert(Q.range(100).map(.fn { .object(["id": $0, "b": $0.mod(.expr(4))]) })))
            _ = try await engine.value(other.insert(Q.range(100).map(.fn { .object(["foo": $0, "b": $0.mod(.expr(4))]) })))
            try await body(engine)
        }
    }

    @Test("eq_join on the primary key pairs each left row with the row its key names", arguments: [
        (Q.expr("a"), 100),
        (Q.expr("fake"), 0),
        (Q.fn { $0["a"] }, 100),
        (Q.fn { $0["fake"] }, 0),
        (Q.fn { _ in Q.expr(.null) }, 0),
    ] as [(Q, Int)])
    func eqJoinPrimaryKey(key: Q, count: Int) async throws {
        try await Self.withTables { engine in
            let value37 = try await engine.value(Self.left.eqJoin(key, Self.right).zip().count())
            #expect(value37 == .number(Double(count)))
            let value38 = try await engine.value(Self.left.eqJoin(key, Self.other).count())
            #expect(value38 == .number(Double(count)))
        }
    }

    @Test("eq_join gives {left, right} pairs and zip merges them, right over left")
    func eqJoinPairs() async throws {
        try await Self.withTables { engine in
            let pair = try await engine.value(Self.left.eqJoin(.expr("a"), Self.right).filter(.fn { $0["left"]["id"].eq(.expr(6)) }).nth(0))
            #expect(pair == ["left": ["id": 6, "a": 2], "right": ["id": 2, "b": 2]])
            let zipped = try await engine.value(Self.left.eqJoin(.expr("a"), Self.right).zip().filter(.fn { $0["a"].eq(.expr(3)) }).nth(0))
            #expect(zipped == ["id": 3, "a": 3, "b": 3])
        }
    }

    @Test("eq_join through a secondary index matches every row with that index value")
    func eqJoinSecondaryIndex() async throws {
        try await Self.withTables { engine in
            _ = try await engine.value(Self.right.indexCreate("b"))
            _ = try await engine.value(Self.right.indexWait("b"))
            let joined = Self.left.getAll(1, 2).eqJoin(.expr("a"), Self.right, index: "b")
            // Each left row (a = 1, a = 2) meets the 25 right rows with that b.
            #expect(try await engine.value(joined.count()) == 50)
            #expect(try await engine.value(joined.filter(.fn { $0["left"]["a"].eq($0["right"]["b"]).not() }).count()) == 0)
            let missing = try #require(await engine.failure(Self.left.eqJoin(.expr("id"), Self.right, index: "fake")))
            #expect(missing.errorType == .opFailed)
            #expect(missing.message == "Index `fake` was not found on table `test.r`.")
        }
    }

    @Test("An ordered eq_join keeps the left side's order")
    func orderedEqJoin() async throws {
        try await Self.withTables { engine in
            let joined = Self.left.orderBy(index: .desc("id")).eqJoin(.fn { $0["id"] }, Self.right, ordered: true).zip()
            let ids = try await engine.value(joined.map(.fn { $0["id"] }))
            #expect(ids == .array((0..<100).reversed().map { .number(Double($0)) }))
        }
    }

    @Test("eq_join's right side must be a table, and its index a string")
    func eqJoinErrors() async throws {
        try await Self.withTables { engine in
            let notTable = try #require(await engine.failure(Self.left.eqJoin(.expr("a"), Self.right.limit(1))))
            #expect(notTable.message == "Expected type TABLE but found SELECTION:\nSELECTION ON table(r)")
            let badIndex = try #require(await engine.failure(Q.term(50, [Self.left, .expr("a"), Self.right], ["index": .expr(false)])))
            #expect(badIndex.message == "Expected type STRING but found BOOL.")
            let arity = try #require(await engine.failure(Q.term(50, [Self.left])))
            #expect(arity.responseType == .compileError)
            #expect(arity.message == "Expected 3 arguments but found 1.")
        }
    }

    @Test("inner_join keeps the pairs the predicate accepts; outer_join keeps unmatched left rows alone")
    func nestedLoopJoins() async throws {
        try await ReqlEngineTests.withEngine { engine in
            let left = Q.expr([["a": 1], ["a": 2], ["a": 3]])
            let right = Q.expr([["b": 2], ["b": 3]])
            let predicate = Q.fn2 { l, r in l["a"].eq(r["b"]) }
            let value95 = try await engine.value(left.innerJoin(right, predicate).zip())
            #expect(value95 == [["a": 2, "b": 2], ["a": 3, "b": 3]])
            let value96 = try await engine.value(left.outerJoin(right, predicate).zip())
            #expect(value96 == [["a": 1], ["a": 2, "b": 2], ["a": 3, "b": 3]])
            let value97 = try await engine.value(left.innerJoin(right, predicate).nth(0))
            #expect(value97 == ["left": ["a": 2], "right": ["b": 2]])
        }
    }

    @Test("inner_join and outer_join over tables test every pair")
    func tableJoins() async throws {
        try await Self.withTables { engine in
            let predicate = Q.fn2 { l, r in l["a"].eq(r["b"]) }
            let inner = Self.left.innerJoin(Self.right, predicate).zip()
            let value106 = try await engine.value(inner.count())
            #expect(value106 == 2500)
            let value107 = try await engine.value(inner.filter(.fn { $0["a"].eq($0["b"]).not() }).count())
            #expect(value107 == 0)
            let value108 = try await engine.value(Self.left.outerJoin(Self.right, predicate).zip().count())
            #expect(value108 == 2500)
        }
    }

    @Test("zip needs the pairs of a join")
    func zipErrors() async throws {
        try await ReqlEngineTests.withEngine { engine in
            let error = try #require(await engine.failure(Q.expr([["a": 1]]).zip()))
            #expect(error.errorType == .queryLogic)
            #expect(error.message == "ZIP can only be called on the result of a join.")
            let arity = try #require(await engine.failure(Q.term(72, [Q.expr([]), .expr(1)])))
            #expect(arity.message == "Expected 1 argument but found 2.")
        }
    }
}
