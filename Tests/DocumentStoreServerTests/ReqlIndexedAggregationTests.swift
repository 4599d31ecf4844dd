import DocumentStore
import ReQL
import Testing
@testable import DocumentStoreServer

/// `group`, `min`, `max` and `distinct` with `index` naming a secondary index, with the results
/// of RethinkDB's `aggregation.yaml` on its table of `{id: i, a: i % 4}` for i in 0..<100.
@Suite("ReQL aggregation on secondary indexes")
struct ReqlIndexedAggregationTests {
    static let table = Wire.table("t")

    /// The table with an index `a` (the field) and a multi index `m` (`[a, a + 10]`), built.
    static func withIndexedTable(_ body: (ReqlEngine) async throws -> Void) async throws {
        try await ReqlEngineTests.withEngine { engine in
            try await Wire.makeTable("t", ReqlAggregationTests.hundredRows, in: engine)
            _ = try await Wire.value(Wire.term(75, table, "a"), engine)
            let pair = Wire.function(Wire.array(Wire.term(170, Wire.variable(), "a"), Wire.term(24, Wire.term(170, Wire.variable(), "a"), 10)))
            _ = try await Wire.value(Wire.term(75, table, "m", pair, options: ["multi": true]), engine)
            _ = try await Wire.value(Wire.term(140, table), engine)
            try await body(engine)
        }
    }

    @Test("min and max read the index's first and last entries")
    func extremes() async throws {
        try await Self.withIndexedTable { engine in
            try await Wire.check(Wire.term(147, Self.table, options: ["index": "a"]), engine, ["a": 0, "id": 0])
            try await Wire.check(Wire.term(148, Self.table, options: ["index": "a"]), engine, ["a": 3, "id": 99])
            try await Wire.check(Wire.term(148, Self.table, options: ["index": "m"]), engine, ["a": 3, "id": 99])
        }
    }

    @Test("distinct by an index streams its values once each, in order")
    func distinct() async throws {
        try await Self.withIndexedTable { engine in
            try await Wire.check(Wire.term(42, Self.table, options: ["index": "a"]), engine, [0, 1, 2, 3])
            try await Wire.check(Wire.term(42, Self.table, options: ["index": "m"]), engine, [0, 1, 2, 3, 10, 11, 12, 13])
            try await Wire.check(Wire.term(52, Wire.term(42, Self.table, options: ["index": "a"])), engine, "STREAM")
            // between(0, 1, index: 'a') keeps a = 0; its primary keys are 25.
            let slice = Wire.term(182, Self.table, 0, 1, options: ["index": "a"])
            try await Wire.check(Wire.term(43, Wire.term(42, slice, options: ["index": "id"])), engine, 25)
        }
    }

    @Test("group by an index appends each entry's value to the key", arguments: [
        (Wire.term(43, Wire.term(144, table, options: ["index": "a"])),
         [[0, 25], [1, 25], [2, 25], [3, 25]] as Document),
        (Wire.term(43, Wire.term(144, table, "a", options: ["index": "a"])),
         [[[0, 0], 25], [[1, 1], 25], [[2, 2], 25], [[3, 3], 25]] as Document),
        (Wire.term(43, Wire.term(144, table, options: ["index": "m"])),
         [[0, 25], [1, 25], [2, 25], [3, 25], [10, 25], [11, 25], [12, 25], [13, 25]] as Document),
    ] as [(Document, Document)])
    func group(_ term: Document, _ data: Document) async throws {
        try await Self.withIndexedTable { engine in
            try await Wire.check(term, engine, ["$reql_type$": "GROUPED_DATA", "data": data])
        }
    }

    @Test("An index the table does not have is RethinkDB's error")
    func missing() async throws {
        try await Self.withIndexedTable { engine in
            for term in [Wire.term(147, Self.table, options: ["index": "nope"]), Wire.term(43, Wire.term(144, Self.table, options: ["index": "nope"])),
                         Wire.term(42, Self.table, options: ["index": "nope"])] {
                let error = try #require(try await Wire.error(term, engine))
                #expect(error.message == "Index `nope` was not found on table `test.t`.")
            }
        }
    }
}
