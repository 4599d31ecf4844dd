import DocumentStore
import ReQL
import Testing
@testable import DocumentStoreServer

/// `count`, `sum`, `avg`, `min`, `max`, `reduce` and indexed `distinct`, with the results
/// and messages of RethinkDB's `aggregation.yaml`.
@Suite("ReQL aggregation")
struct ReqlAggregationTests {
    static let rows = Wire.array(["a": 1], ["b": 2], ["a": 3], ["a": .null])
    static let oneTwo = Wire.array(1, 2)

    static let cases: [WireCase] = [
        WireCase(name: "count", term: Wire.term(43, oneTwo), expected: 2),
        WireCase(name: "count with a predicate", term: Wire.term(43, oneTwo, Wire.function(Wire.term(21, Wire.variable(), 1))), expected: 1),
        WireCase(name: "sum", term: Wire.term(145, oneTwo), expected: 3),
        WireCase(name: "sum of a field skips rows without it and nulls", term: Wire.term(145, rows, "a"), expected: 4),
        WireCase(name: "sum of nothing is 0", term: Wire.term(145, Wire.array()), expected: 0),
        WireCase(name: "avg", term: Wire.term(146, oneTwo), expected: 1.5),
        WireCase(name: "avg of a function", term: Wire.term(146, oneTwo, Wire.function(Wire.term(26, Wire.variable(), 2))), expected: 3),
        WireCase(name: "min", term: Wire.term(147, oneTwo), expected: 1),
        WireCase(name: "max", term: Wire.term(148, oneTwo), expected: 2),
        WireCase(name: "min by a field gives the row; a null field is a value, below numbers", term: Wire.term(147, rows, "a"), expected: ["a": .null]),
        WireCase(name: "min by a field skips rows without it", term: Wire.term(147, Wire.array(["b": 0], ["a": 2], ["a": 1]), "a"), expected: ["a": 1]),
        WireCase(name: "max by a function gives the row",
             term: Wire.term(148, Wire.array(["a": 3, "id": 1], ["a": 3, "id": 2], ["a": 1, "id": 3]), Wire.function(Wire.term(170, Wire.variable(), "a"))),
             expected: ["a": 3, "id": 1]),
        WireCase(name: "min orders across types", term: Wire.term(147, Wire.array("a", 2, .null, Wire.array())), expected: []),
        WireCase(name: "reduce", term: Wire.term(37, Wire.array(1, 2, 3), Wire.function(parameters: 2, Wire.term(24, Wire.variable(1), Wire.variable(2)))),
             expected: 6),
        WireCase(name: "reduce of one element is that element",
             term: Wire.term(37, Wire.array("x"), Wire.function(parameters: 2, Wire.variable(1))), expected: "x"),
    ]

    @Test("Reductions of sequences", arguments: cases)
    func reduction(_ test: WireCase) async throws {
        try await ReqlEngineTests.withEngine { engine in
            try await Wire.check(test.term, engine, test.expected)
        }
    }

    static let failures: [WireFailure] = [
        WireFailure(term: Wire.term(146, Wire.array()),
                message: "Cannot take the average of an empty stream.  (If you passed `avg` a field name, it may be that no elements of the stream had that field.)",
                type: .nonExistence),
        WireFailure(term: Wire.term(147, Wire.array(["b": 1]), "a"),
                message: "Cannot take the min of an empty stream.  (If you passed `min` a field name, it may be that no elements of the stream had that field.)",
                type: .nonExistence),
        WireFailure(term: Wire.term(148, Wire.array()),
                message: "Cannot take the max of an empty stream.  (If you passed `max` a field name, it may be that no elements of the stream had that field.)",
                type: .nonExistence),
        WireFailure(term: Wire.term(37, Wire.array(), Wire.function(parameters: 2, Wire.variable(1))),
                message: "Cannot reduce over an empty stream.", type: .nonExistence),
        WireFailure(term: Wire.term(145, Wire.array("a")), message: "Expected type NUMBER but found STRING.", type: .queryLogic),
        WireFailure(term: Wire.term(145, Wire.array(1), options: ["index": "id"]), message: "Cannot call sum on an index.", type: .queryLogic),
        WireFailure(term: Wire.term(147, Wire.array(1), Wire.function(Wire.variable()), options: ["index": "id"]),
                message: "Cannot provide both a function and an index to min.", type: .queryLogic),
        WireFailure(term: Wire.term(43, Wire.term(173)),
                message: "Cannot use an infinite stream with an aggregation function (`reduce`, `count`, etc.) or coerce it to an array.",
                type: .queryLogic),
    ]

    @Test("Reductions fail with RethinkDB's messages", arguments: failures)
    func failure(_ test: WireFailure) async throws {
        try await ReqlEngineTests.withEngine { engine in try await test.check(engine) }
    }

    /// `{id: i, a: i % 4}` for i in 0..<100, as `aggregation.yaml` fills its table.
    static let hundredRows: [Document] = (0..<100).map { ["id": .number(Double($0)), "a": .number(Double($0 % 4))] }

    @Test("Tables: min and max read the primary key, distinct by it streams the keys in order")
    func tables() async throws {
        try await ReqlEngineTests.withEngine { engine in
            try await Wire.makeTable("t", Self.hundredRows.reversed(), in: engine)
            let table = Wire.table("t")
            try await Wire.check(Wire.term(147, table), engine, ["a": 0, "id": 0])
            try await Wire.check(Wire.term(148, table, options: ["index": "id"]), engine, ["a": 3, "id": 99])
            try await Wire.check(Wire.term(145, table, "a"), engine, 150)
            try await Wire.check(Wire.term(146, table, "a"), engine, 1.5)
            try await Wire.check(Wire.term(52, Wire.term(42, table, options: ["index": "id"])), engine, "STREAM")
            let keys = try await Wire.value(Wire.term(42, table, options: ["index": "id"]), engine)
            #expect(keys == .array((0..<100).map { .number(Double($0)) }))
            let error = try #require(try await Wire.error(Wire.term(147, table, options: ["index": "a"]), engine))
            #expect(error.message == "Index `a` was not found on table `test.t`.")
            let notTable = try #require(try await Wire.error(Wire.term(42, Wire.array(1), options: ["index": "id"]), engine))
            #expect(notTable.message == "Can only perform an indexed distinct on a TABLE.")
        }
    }
}
