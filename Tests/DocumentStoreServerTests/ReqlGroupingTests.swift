import DocumentStore
import ReQL
import Testing
@testable import DocumentStoreServer

/// `group`, grouped streams and grouped data, with the results of RethinkDB's
/// `aggregation.yaml` on its table of `{id: i, a: i % 4}` for i in 0..<100.
@Suite("ReQL grouping")
struct ReqlGroupingTests {
    static let table = Wire.table("t")
    static let byA = Wire.term(144, table, "a")
    static let id = Wire.function(Wire.term(170, Wire.variable(), "id"))

    /// GROUPED_DATA as the server sends it.
    static func grouped(_ pairs: [(Document, Document)]) -> Document {
        ["$reql_type$": "GROUPED_DATA", "data": .array(pairs.map { .array([$0.0, $0.1]) })]
    }

    static let cases: [WireCase] = [
        WireCase(name: "group then count", term: Wire.term(43, byA), expected: grouped([(0, 25), (1, 25), (2, 25), (3, 25)])),
        WireCase(name: "group then sum a field", term: Wire.term(145, byA, "id"), expected: grouped([(0, 1200), (1, 1225), (2, 1250), (3, 1275)])),
        WireCase(name: "group then avg", term: Wire.term(146, byA, "id"), expected: grouped([(0, 48), (1, 49), (2, 50), (3, 51)])),
        WireCase(name: "group then max gives rows", term: Wire.term(148, byA, "id"),
             expected: grouped([(0, ["a": 0, "id": 96]), (1, ["a": 1, "id": 97]), (2, ["a": 2, "id": 98]), (3, ["a": 3, "id": 99])])),
        WireCase(name: "group, map and reduce",
             term: Wire.term(37, Wire.term(38, byA, id), Wire.function(parameters: 2, Wire.term(24, Wire.variable(1), Wire.variable(2)))),
             expected: grouped([(0, 1200), (1, 1225), (2, 1250), (3, 1275)])),
        WireCase(name: "a filtered group as arrays",
             term: Wire.term(51, Wire.term(38, Wire.term(144, Wire.term(39, table, Wire.function(Wire.term(19, Wire.term(170, Wire.variable(), "id"), 10))), "a"), id), "ARRAY"),
             expected: grouped([(0, [0, 4, 8]), (1, [1, 5, 9]), (2, [2, 6]), (3, [3, 7])])),
        WireCase(name: "grouped data through r.do",
             term: Wire.term(64, Wire.function(Wire.term(26, Wire.variable(), Wire.variable())),
                             Wire.term(43, Wire.term(144, Wire.term(39, table, Wire.function(Wire.term(19, Wire.term(170, Wire.variable(), "id"), 10))), "a"))),
             expected: grouped([(0, 9), (1, 9), (2, 4), (3, 4)])),
        WireCase(name: "two keys", term: Wire.term(43, Wire.term(144, table, "a", Wire.function(Wire.term(28, Wire.term(170, Wire.variable(), "id"), 3)))),
             expected: grouped([([0, 0], 9), ([0, 1], 8), ([0, 2], 8), ([1, 0], 8), ([1, 1], 9), ([1, 2], 8),
                                ([2, 0], 8), ([2, 1], 8), ([2, 2], 9), ([3, 0], 9), ([3, 1], 8), ([3, 2], 8)])),
        WireCase(name: "a missing field groups under null", term: Wire.term(150, Wire.term(43, Wire.term(144, table, "a", .null))),
             expected: [["group": [0, .null], "reduction": 25], ["group": [1, .null], "reduction": 25],
                        ["group": [2, .null], "reduction": 25], ["group": [3, .null], "reduction": 25]]),
        WireCase(name: "multi puts a row in one group per element",
             term: Wire.term(150, Wire.term(43, Wire.term(144, table, "a", Wire.function(Wire.array(1, "two")), options: ["multi": true]))),
             expected: .array([0, 1, 2, 3].flatMap { a -> [Document] in
                 [["group": [.number(Double(a)), 1], "reduction": 25], ["group": [.number(Double(a)), "two"], "reduction": 25]]
             })),
        WireCase(name: "multi: an empty array is null",
             term: Wire.term(150, Wire.term(43, Wire.term(144, Wire.term(71, table, 1), Wire.function(Wire.array()), options: ["multi": true]))),
             expected: [["group": .null, "reduction": 1]]),
        WireCase(name: "ungroup", term: Wire.term(150, Wire.term(43, byA)),
             expected: [["group": 0, "reduction": 25], ["group": 1, "reduction": 25], ["group": 2, "reduction": 25], ["group": 3, "reduction": 25]]),
        WireCase(name: "ungroup of a grouped stream gives the rows", term: Wire.term(170, Wire.term(150, byA), "group"), expected: [0, 1, 2, 3]),
        WireCase(name: "a grouped stream's type", term: Wire.term(52, byA), expected: "GROUPED_STREAM"),
        WireCase(name: "a reduced group's type", term: Wire.term(52, Wire.term(43, byA)), expected: "GROUPED_DATA"),
        WireCase(name: "coerced groups are grouped data", term: Wire.term(52, Wire.term(51, byA, "ARRAY")), expected: "GROUPED_DATA"),
        WireCase(name: "group by the primary index", term: Wire.term(43, Wire.term(144, table, options: ["index": "id"])),
             expected: grouped((0..<100).map { (.number(Double($0)), 1) })),
        WireCase(name: "a field and the primary index", term: Wire.term(43, Wire.term(144, table, "a", options: ["index": "id"])),
             expected: grouped((0..<4).flatMap { a in stride(from: a, to: 100, by: 4).map { (.array([.number(Double(a)), .number(Double($0))]), 1) } })),
        WireCase(name: "count per group skips rows the predicate cannot read",
             term: Wire.term(43, Wire.term(144, Wire.array(["g": 1, "a": 1], ["g": 1], ["g": 2, "a": 5]), "g"),
                             Wire.function(Wire.term(21, Wire.term(170, Wire.variable(), "a"), 0))),
             expected: grouped([(1, 1), (2, 1)])),
        WireCase(name: "count per group of a value compares for equality; a group with none is left out, as filtered",
             term: Wire.term(43, Wire.term(144, Wire.array(["g": 1], ["g": 1], ["g": 2]), "g"), ["g": 1]),
             expected: grouped([(1, 2)])),
        WireCase(name: "other terms apply per group",
             term: Wire.term(43, Wire.term(71, Wire.term(144, Wire.array(1, 2, 3, 4, 5), Wire.function(Wire.term(28, Wire.variable(), 2))), 2)),
             expected: grouped([(0, 2), (1, 2)])),
    ]

    @Test("Grouped streams and grouped data", arguments: cases)
    func grouping(_ test: WireCase) async throws {
        try await ReqlEngineTests.withEngine { engine in
            try await Wire.makeTable("t", ReqlAggregationTests.hundredRows, in: engine)
            try await Wire.check(test.term, engine, test.expected)
        }
    }

    @Test("Grouping errors", arguments: [
        (Wire.term(144, table), "Cannot group by nothing."),
        (Wire.term(144, byA, "id"), "Cannot call `group` on the output of `group` (did you mean to `ungroup`?)."),
        (Wire.term(150, Wire.array(1)), "Expected type GROUPED_DATA but found DATUM:\n[\n\t1\n]"),
        (Wire.term(144, table, options: ["index": "a"]), "Index `a` was not found on table `test.t`."),
        (Wire.term(51, byA, "ARRAY"), "Grouped data over size limit `10`.  Try putting a reduction (like `.reduce` or `.count`) on the end."),
    ])
    func errors(_ term: Document, _ message: String) async throws {
        try await ReqlEngineTests.withEngine { engine in
            try await Wire.makeTable("t", ReqlAggregationTests.hundredRows, in: engine)
            let error = try #require(try await Wire.error(term, engine, optargs: ["array_limit": 10]))
            #expect(error.message == message)
        }
    }

    @Test("Groups are sorted by key in ReQL's order, times by instant")
    func keyOrder() async throws {
        try await ReqlEngineTests.withEngine { engine in
            let values = Wire.array("b", 2, Wire.epochTime(1), .null, true, Wire.array(1), 1, Wire.term(104, Wire.epochTime(1), "+02:00"))
            let counted = Wire.term(43, Wire.term(144, values, Wire.function(Wire.variable())))
            let time: Document = ["$reql_type$": "TIME", "epoch_time": 1, "timezone": "+00:00"]
            try await Wire.check(counted, engine, Self.grouped([([1], 1), (true, 1), (.null, 1), (1, 1), (2, 1), (time, 2), ("b", 1)]))
        }
    }

    @Test("Many groups beyond the array limit are RethinkDB's resource error")
    func tooManyGroups() async throws {
        try await ReqlEngineTests.withEngine { engine in
            try await Wire.makeTable("t", ReqlAggregationTests.hundredRows, in: engine)
            let error = try #require(try await Wire.error(Wire.term(43, Wire.term(144, Self.table, "id")), engine, optargs: ["array_limit": 50]))
            #expect(error.message == "Too many groups (> 50).")
            #expect(error.errorType == .resourceLimit)
        }
    }
}
