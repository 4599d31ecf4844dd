import DocumentStore
import ReQL
import Testing
@testable import DocumentStoreServer

/// Secondary indexes through the engine, as a driver uses them. The rows and the expected
/// answers are those of RethinkDB's `test/rql_test/src/sindex/api.yaml`.
@Suite("Secondary index terms")
struct ReqlIndexTests {
    static let rows: [Document] = [
        ["id": 0, "a": 0, "b": 0, "c": 0, "m": [1, 2, 3]],
        ["id": 1, "a": 0, "b": 0, "c": 0, "m": [4, 5, 6]],
        ["id": 2, "a": 0, "b": 0, "c": 1, "m": 7],
        ["id": 3, "a": 0, "b": 1, "c": 1, "m": [10, 11, 12]],
        ["id": 4, "a": 4, "b": 4, "c": 4, "m": [14, 15, 16]],
    ]
    static let tbl = Q.table("t")

    /// An engine with table `t` holding ``rows`` and the indexes api.yaml builds.
    static func withIndexedTable(_ body: (ReqlEngine) async throws -> Void) async throws {
        try await ReqlEngineTests.withEngine { engine in
            _ = try await engine.value(.tableCreate("t"))
            _ = try await engine.value(tbl.insert(.array(rows)))
            _ = try await engine.value(tbl.indexCreate("ai", .fn { $0["a"] }))
            _ = try await engine.value(tbl.indexCreate("c"))
            _ = try await engine.value(tbl.indexCreate("mi", .fn { $0["m"] }, multi: true))
            _ = try await engine.value(tbl.indexCreate("bc", .fn { row in Q.term(2, [row["b"], row["c"]]) }))
            _ = try await engine.value(tbl.indexCreate("cb", .fn { row in Q.term(2, [row["c"], row["b"]]) }))
            _ = try await engine.value(tbl.indexCreate("brokeni", .fn { $0["broken"] }))
            _ = try await engine.value(tbl.indexWait())
            try await body(engine)
        }
    }

    @Test("index_create answers {created: 1}, and index_list and index_status show the index")
    func createListStatus() async throws {
        try await Self.withIndexedTable { engine in
            #expect(try await engine.value(Self.tbl.indexCreate("x")) == ["created": 1])
            let names = try await engine.value(Self.tbl.indexList())
            #expect(Set(names.arrayValue ?? []) == ["ai", "c", "mi", "bc", "cb", "brokeni", "x"])
            let status = try await engine.value(Self.tbl.indexWait("mi").nth(0))
            #expect(status["index"] == "mi")
            #expect(status["ready"] == true)
            #expect(status["multi"] == true)
            #expect(status["geo"] == false)
            #expect(status["function"]?["$reql_type$"] == "BINARY")
            #expect(try await engine.value(Self.tbl.indexStatus("ai", "c").count()) == 2)
        }
    }

    @Test("index_create refuses an existing name and the primary key's, with RethinkDB's texts")
    func createErrors() async throws {
        try await Self.withIndexedTable { engine in
            let existing = try #require(await engine.failure(Self.tbl.indexCreate("ai", .fn { $0["a"] })))
            #expect(existing.errorType == .opFailed)
            #expect(existing.message == "Index `ai` already exists on table `test.t`.")
            let primary = try #require(await engine.failure(Self.tbl.indexCreate("id")))
            #expect(primary.errorType == .queryLogic)
            #expect(primary.message == "Index name conflict: `id` is the name of the primary key.")
            let nonDeterministic = try #require(await engine.failure(Self.tbl.indexCreate("r", .fn { _ in Self.tbl.nth(0) })))
            #expect(nonDeterministic.message == "Could not prove function deterministic.  Index functions must be deterministic.")
            let notFunction = try #require(await engine.failure(Self.tbl.indexCreate("five", .expr(5))))
            #expect(notFunction.message == "Expected type FUNCTION but found DATUM:\n5")
        }
    }

    @Test("index_create takes back the function index_status gave, and rename and drop follow RethinkDB")
    func recreateRenameDrop() async throws {
        try await Self.withIndexedTable { engine in
            let function = Self.tbl.indexStatus("c").nth(0)["function"]
            #expect(try await engine.value(Self.tbl.indexCreate("c2", function)) == ["created": 1])
            _ = try await engine.value(Self.tbl.indexWait("c2"))
            #expect(try await engine.value(Self.tbl.getAll(1, index: "c2").count()) == 2)
            #expect(try await engine.value(Self.tbl.indexRename("c2", "c2")) == ["renamed": 0])
            #expect(try await engine.value(Self.tbl.indexRename("c2", "c3")) == ["renamed": 1])
            let clash = try #require(await engine.failure(Self.tbl.indexRename("c3", "c")))
            #expect(clash.message == "Index `c3` does not exist or index `c` already exists on table `test.t`.")
            #expect(try await engine.value(Self.tbl.indexRename("c3", "c", overwrite: true)) == ["renamed": 1])
            let primary = try #require(await engine.failure(Self.tbl.indexRename("id", "z")))
            #expect(primary.message == "Index name conflict: `id` is the name of the primary key.")
            #expect(try await engine.value(Self.tbl.indexDrop("c")) == ["dropped": 1])
            let missing = try #require(await engine.failure(Self.tbl.getAll(1, index: "c")))
            #expect(missing.message == "Index `c` was not found on table `test.t`.")
        }
    }

    @Test("get_all by index finds documents by field, function and multi values", arguments: [
        (1, "c", [2, 3]),
        (0, "ai", [0, 1, 2, 3]),
        (5, "mi", [1]),
        (7, "mi", [2]),
        (1, "brokeni", []),
        ([0, 1], "bc", [2]),
    ] as [(Document, String, [Int])])
    func getAllByIndex(key: Document, index: String, ids: [Int]) async throws {
        try await Self.withIndexedTable { engine in
            let found = try await engine.value(Self.tbl.getAll(key, index: index).ids())
            #expect(Set(found.arrayValue ?? []) == Set(ids.map { Document.number(Double($0)) }))
            #expect(try await engine.value(Self.tbl.getAll(key, index: index).typeOf()) == "SELECTION<STREAM>")
        }
    }

    @Test("get_all refuses a null key")
    func getAllNull() async throws {
        try await Self.withIndexedTable { engine in
            let error = try #require(await engine.failure(Self.tbl.getAll(.null, index: "c")))
            #expect(error.errorType == .nonExistence)
            #expect(error.message == "Keys cannot be NULL.")
        }
    }

    @Test("between reads a range of an index with its bound kinds", arguments: [
        (Q.expr(0), Q.expr(4), nil, nil, nil, [0, 1, 2, 3]),
        (Q.expr(0), Q.expr(4), nil, nil, "closed", [0, 1, 2, 3, 4]),
        (Q.expr(0), Q.expr(1), "id", "open", "closed", [1]),
        (Q.expr(0), Q.expr(1), "c", "open", "closed", [2, 3]),
        (Q.expr(1), Q.maxval, "c", nil, nil, [2, 3, 4]),
        (Q.minval, Q.expr(0), "ai", nil, "closed", [0, 1, 2, 3]),
        (Q.expr([0, 1]), Q.expr([1, 0]), "bc", nil, nil, [2]),
        (Q.expr([1, 0]), Q.maxval, "cb", nil, nil, [2, 3, 4]),
        (Q.expr(5), Q.expr(5), nil, nil, nil, []),
    ] as [(Q, Q, String?, String?, String?, [Int])])
    func betweenBounds(lower: Q, upper: Q, index: String?, left: String?, right: String?, ids: [Int]) async throws {
        try await Self.withIndexedTable { engine in
            let range = Self.tbl.between(lower, upper, index: index, leftBound: left, rightBound: right)
            let found = try await engine.value(range.orderBy(.expr("id")).ids())
            #expect(found == .array(ids.map { .number(Double($0)) }))
            #expect(try await engine.value(range.typeOf()) == "TABLE_SLICE")
        }
    }

    @Test("A multi index gives a document once per value in range")
    func multiBetween() async throws {
        try await Self.withIndexedTable { engine in
            let range = Self.tbl.between(.expr(1), .expr(3), index: "mi", rightBound: "closed")
            #expect(try await engine.value(range.ids()) == [0, 0, 0])
            let ordered = try await engine.value(Self.tbl.orderBy(index: .expr("mi")).ids())
            #expect(ordered == [0, 0, 0, 1, 1, 1, 2, 3, 3, 3, 4, 4, 4])
        }
    }

    @Test("order_by(index:) streams in index order, either way, and composes with between")
    func orderByIndex() async throws {
        try await Self.withIndexedTable { engine in
            let value145 = try await engine.value(Self.tbl.orderBy(index: .desc("id")).ids())
            #expect(value145 == [4, 3, 2, 1, 0])
            let value146 = try await engine.value(Self.tbl.orderBy(index: .expr("id")).typeOf())
            #expect(value146 == "TABLE_SLICE")
            let before = Self.tbl.orderBy(index: .expr("id")).between(.minval, .expr(3))
            let value148 = try await engine.value(before.ids())
            #expect(value148 == [0, 1, 2])
            let after = Self.tbl.between(.expr(1), .maxval, index: "c").orderBy(index: .desc("c"))
            let value150 = try await engine.value(after.map(.fn { $0["c"] }))
            #expect(value150 == [4, 1, 1])
            let paged = Self.tbl.orderBy(index: .desc("id")).skip(1).limit(2)
            let value152 = try await engine.value(paged.ids())
            #expect(value152 == [3, 2])
            let filtered = Self.tbl.orderBy(index: .expr("id")).filter(.fn { $0["c"].eq(.expr(1)) })
            let value154 = try await engine.value(filtered.ids())
            #expect(value154 == [2, 3])
            let value155 = try await engine.value(Self.tbl.between(.expr(1), .expr(3)).count())
            #expect(value155 == 2)
        }
    }

    @Test("order_by with an index and keys sorts each run of equal index values by the keys")
    func orderByIndexAndKeys() async throws {
        try await Self.withIndexedTable { engine in
            let ascending = Self.tbl.orderBy(.desc("id"), index: .expr("ai"))
            let value163 = try await engine.value(ascending.ids())
            #expect(value163 == [3, 2, 1, 0, 4])
            let descending = Self.tbl.orderBy(.expr("id"), index: .desc("c"))
            let value165 = try await engine.value(descending.ids())
            #expect(value165 == [4, 2, 3, 0, 1])
            let value166 = try await engine.value(Self.tbl.orderBy(.expr("a"), index: .expr("id")).ids())
            #expect(value166 == [0, 1, 2, 3, 4])
        }
    }

    @Test("Slices refuse what RethinkDB refuses, with its texts", arguments: [
        (Q.table("t").between(.minval, .maxval).between(.minval, .maxval), "Cannot perform multiple BETWEENs on the same table."),
        (Q.table("t").orderBy(index: .expr("id")).orderBy(index: .expr("id")), "Cannot perform multiple indexed ORDER_BYs on the same table."),
        (Q.table("t").between(.expr(0), .expr(1)).orderBy(index: .expr("c")), "Cannot order by index `c` after calling BETWEEN on index `id`."),
        (Q.table("t").orderBy(index: .expr("c")).between(.expr(0), .expr(1), index: "id"), "Cannot call BETWEEN on index `id` after ordering on index `c`."),
        (Q.table("t").between(.expr(.null), .expr(2)), "Cannot use `null` in BETWEEN, use `r.minval` or `r.maxval` to denote unboundedness."),
        (Q.table("t").between(.expr(1), .expr(2), leftBound: "half"), "Expected `open` or `closed` for optarg `left_bound` (got `\"half\"`)."),
        (Q.table("t").getAll(1, index: "c").orderBy(index: .expr("id")), "Indexed order_by can only be performed on a TABLE or TABLE_SLICE. Make sure order_by comes before any transformations (such as map) or filters."),
        (Q.table("t").getAll(1, index: "c").between(.expr(1), .expr(1)), "Expected type TABLE_SLICE but found SELECTION:\nSELECTION ON table(t)"),
        (Q.expr([1, 2, 3]).between(.expr(-1), .expr(2)), "Expected type TABLE_SLICE but found DATUM:\n[\n\t1,\n\t2,\n\t3\n]"),
    ] as [(Q, String)])
    func sliceErrors(query: Q, message: String) async throws {
        try await Self.withIndexedTable { engine in
            let error = try #require(await engine.failure(query))
            #expect(error.errorType == .queryLogic)
            #expect(error.message == message)
        }
    }

    @Test("An empty sequence can be ordered by an index it does not have")
    func emptyOrderBy() async throws {
        try await Self.withIndexedTable { engine in
            let value192 = try await engine.value(Self.tbl.getAll(99, index: "c").orderBy(index: .expr("id")))
            #expect(value192 == [])
        }
    }

    @Test("update and delete write the documents of a slice and of get_all by index")
    func writesOnSlices() async throws {
        try await Self.withIndexedTable { engine in
            let updated = try await engine.value(Self.tbl.between(.expr(1), .expr(3)).update(.expr(["x": 1])))
            #expect(updated["replaced"] == 2)
            // Document 0 is in range three times through the multi index; it is written once.
            let multi = try await engine.value(Self.tbl.between(.expr(1), .expr(3), index: "mi", rightBound: "closed").update(.expr(["y": 1])))
            #expect(multi["replaced"] == 1)
            let deleted = try await engine.value(Self.tbl.getAll(1, index: "c").delete())
            #expect(deleted["deleted"] == 2)
            #expect(try await engine.value(Self.tbl.orderBy(index: .expr("c")).ids()) == [0, 1, 4])
            #expect(try await engine.value(Self.tbl.getAll(1, index: "c").count()) == 0)
        }
    }
}
