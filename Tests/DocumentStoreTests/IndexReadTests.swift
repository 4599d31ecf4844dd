import Foundation
import Testing
@testable import DocumentStore

/// Reads through indexes: getAll, between and orderBy, in RethinkDB's order of values.
@Suite("Reads through secondary indexes")
struct IndexReadTests {
    /// Collects a range's primary keys.
    static func ids(_ range: IndexRange) async throws -> [Document] {
        var ids: [Document] = []
        for try await document in range { ids.append(document["id"] ?? .null) }
        return ids
    }

    static func time(_ seconds: Double) -> Document {
        ["$reql_type$": "TIME", "epoch_time": .number(seconds), "timezone": "+00:00"]
    }

    static func binary(_ bytes: [UInt8]) -> Document {
        ["$reql_type$": "BINARY", "data": .string(Data(bytes).base64EncodedString())]
    }

    @Test("orderBy(index:) gives RethinkDB's order across types; null and objects are not indexed")
    func orderAcrossTypes() async throws {
        try await withMarvel { marvel, _ in
            // Expected: arrays < booleans < numbers < binary < times < strings (RethinkDB's
            // datum order); within a type by value; null and plain objects have no entry.
            let values: [(id: String, value: Document)] = [
                ("s-b", "b"), ("s-a", "a"), ("s-empty", ""), ("n-2", 2), ("n-neg", -1.5), ("n-0", 0),
                ("t-late", Self.time(2000)), ("t-early", Self.time(-5)), ("bool-t", true), ("bool-f", false),
                ("a-long", [1, 2]), ("a-short", [1]), ("a-str", ["a"]), ("a-empty", []),
                ("bin-ff", Self.binary([0xFF])), ("bin-00", Self.binary([0x00, 0x01])),
                ("null", .null), ("obj", ["x": 1]),
            ]
            try await marvel.insert(.array(values.map { ["id": .string($0.id), "v": $0.value] }))
            try await marvel.indexCreate("v")
            _ = try await marvel.indexWait()
            let expected: [Document] = [
                "a-empty", "a-short", "a-long", "a-str", "bool-f", "bool-t", "n-neg", "n-0", "n-2",
                "bin-00", "bin-ff", "t-early", "t-late", "s-empty", "s-a", "s-b",
            ]
            #expect(try await Self.ids(marvel.orderBy(index: "v")) == expected)
            #expect(try await Self.ids(marvel.orderBy(index: "v", .descending)) == expected.reversed())
            #expect(try await Self.ids(marvel.orderBy(index: "v").pageSize(3)) == expected)
        }
    }

    @Test("Equal index values come in primary-key order, with RethinkDB's order of key types")
    func tiesByPrimaryKey() async throws {
        try await withMarvel { marvel, _ in
            // RethinkDB's key order: arrays < booleans < numbers < strings.
            try await marvel.insert([["id": "b", "v": 1], ["id": 2, "v": 1], ["id": "a", "v": 1], ["id": 10, "v": 1],
                                     ["id": true, "v": 1], ["id": [0], "v": 1]])
            try await marvel.indexCreate("v")
            _ = try await marvel.indexWait()
            #expect(try await Self.ids(marvel.orderBy(index: "v")) == [[0], true, 2, 10, "a", "b"])
            #expect(try await Self.ids(marvel.orderBy(index: "v", .descending)) == ["b", "a", 10, 2, true, [0]])
            // The primary key as an index reads in the same order.
            #expect(try await Self.ids(marvel.orderBy(index: "id")) == [[0], true, 2, 10, "a", "b"])
            #expect(try await Self.ids(marvel.orderBy(index: "id", .descending).pageSize(2)) == ["b", "a", 10, 2, true, [0]])
        }
    }

    @Test("between follows left and right bounds, r.minval and r.maxval, on a field and on the primary key",
          arguments: ["a", "id"])
    func betweenBounds(index: String) async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(.array((0..<5).map { ["id": .number(Double($0)), "a": .number(Double($0))] }))
            if index != "id" {
                try await marvel.indexCreate(index)
                _ = try await marvel.indexWait()
            }
            #expect(try await Self.ids(marvel.between(.minval, .maxval, index: index).ordered(.ascending)) == [0, 1, 2, 3, 4])
            #expect(try await Self.ids(marvel.between(.value(1), .value(3), index: index)) == [1, 2])
            #expect(try await Self.ids(marvel.between(.value(1), .value(3), index: index, rightBound: .closed)) == [1, 2, 3])
            #expect(try await Self.ids(marvel.between(.value(1), .value(3), index: index, leftBound: .open)) == [2])
            #expect(try await Self.ids(marvel.between(.value(5), .value(5), index: index, rightBound: .closed)).isEmpty)
            #expect(try await Self.ids(marvel.between(.value(3), .value(1), index: index)).isEmpty)
            #expect(try await Self.ids(marvel.between(.minval, .value(2), index: index)) == [0, 1])
            #expect(try await Self.ids(marvel.between(.value(2), .maxval, index: index).ordered(.descending)) == [4, 3, 2])
            #expect(try await Self.ids(marvel.orderBy(index: index).between(.minval, .value(3))) == [0, 1, 2])
            #expect(try await Self.ids(marvel.between(.value(-1), .value("a"), index: index)) == [0, 1, 2, 3, 4])
        }
    }

    @Test("between refuses a null bound and a second between, with RethinkDB's texts")
    func betweenErrors() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1, "a": 1])
            try await marvel.indexCreate("a")
            _ = try await marvel.indexWait()
            await #expect(throws: DocumentStoreError(.queryLogic, "Cannot use `null` in BETWEEN, use `r.minval` or `r.maxval` to denote unboundedness.")) {
                _ = try await Self.ids(marvel.between(.value(.null), .value(2), index: "a"))
            }
            await #expect(throws: DocumentStoreError(.queryLogic, "Cannot perform multiple BETWEENs on the same table.")) {
                _ = try await Self.ids(marvel.between(.minval, .maxval).between(.minval, .maxval))
            }
            await #expect(throws: DocumentStoreError(.opFailed, "Index `nope` was not found on table `test.marvel`.")) {
                _ = try await Self.ids(marvel.orderBy(index: "nope"))
            }
            await #expect(throws: DocumentStoreError(.nonExistence, "Keys cannot be NULL.")) {
                _ = try await marvel.getAll([.null], index: "a")
            }
        }
    }

    @Test("Compound indexes range over the first field, then the second (RethinkDB's sindex/api cases)")
    func compound() async throws {
        try await withMarvel { marvel, _ in
            let rows: [Document] = [["id": 0, "b": 0, "c": 0], ["id": 1, "b": 0, "c": 0], ["id": 2, "b": 0, "c": 1],
                                    ["id": 3, "b": 1, "c": 1], ["id": 4, "b": 4, "c": 4]]
            try await marvel.insert(.array(rows))
            try await marvel.indexCreate("bc", .compound(["b"], ["c"]))
            try await marvel.indexCreate("cb", .compound(["c"], ["b"]))
            _ = try await marvel.indexWait()
            // sindex/api#216-#219, #258, #281, #290
            #expect(try await Self.ids(marvel.between(.minval, .value([0, 1]), index: "bc")).sorted(by: Self.byNumber) == [0, 1])
            #expect(try await Self.ids(marvel.between(.minval, .value([1, 0]), index: "bc")).sorted(by: Self.byNumber) == [0, 1, 2])
            #expect(try await Self.ids(marvel.between(.minval, .value([1, 0]), index: "cb")).sorted(by: Self.byNumber) == [0, 1])
            #expect(try await Self.ids(marvel.between(.value([0, 1]), .value([1, 0]), index: "bc")) == [2])
            #expect(try await Self.ids(marvel.between(.value([1, 0]), .value([1, 1]), index: "cb")) == [2])
            #expect(try await Self.ids(marvel.between(.value([1, 0]), .value([1, 1]), index: "bc", rightBound: .closed)) == [3])
            // Arrays may hold r.minval/r.maxval as bounds: every [0, x].
            #expect(try await Self.ids(marvel.between(.value([0, ["$reql_type$": "MINVAL"]]), .value([0, ["$reql_type$": "MAXVAL"]]), index: "bc")).sorted(by: Self.byNumber) == [0, 1, 2])
            #expect(try await marvel.getAll([[0, 0]], index: "bc").count == 2)
        }
    }

    static func byNumber(_ a: Document, _ b: Document) -> Bool {
        (a.doubleValue ?? 0) < (b.doubleValue ?? 0)
    }

    @Test("A multi index has an entry per element, repeated elements included (RethinkDB's sindex/api cases)")
    func multi() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert([["id": 0, "m": [1, 2, 3]], ["id": 1, "m": [4, 5, 6]], ["id": 2, "m": 7],
                                     ["id": 3, "m": [10, 11, 12]], ["id": 4, "m": [14, 15, 16]], ["id": 5, "m": [20, 20, .null, ["o": 1]]]])
            try await marvel.indexCreate("mi", .field("m"), multi: true)
            _ = try await marvel.indexWait()
            #expect(try await marvel.getAll([2], index: "mi").map { $0["id"] } == [0])
            #expect(try await marvel.getAll([7], index: "mi").map { $0["id"] } == [2])
            // Twice in the array: twice in the index (and null and the object are skipped).
            #expect(try await marvel.getAll([20], index: "mi").map { $0["id"] } == [5, 5])
            // Asked twice: twice in the result.
            #expect(try await marvel.getAll([2, 2.0], index: "mi").map { $0["id"] } == [0, 0])
            // sindex/api#314 and #315
            #expect(try await Self.ids(marvel.between(.value(1), .value(3), index: "mi", rightBound: .closed)) == [0, 0, 0])
            #expect(try await Self.ids(marvel.between(.value(1), .value(16), index: "mi", rightBound: .closed))
                    == [0, 0, 0, 1, 1, 1, 2, 3, 3, 3, 4, 4, 4])
            #expect(try await Self.ids(marvel.orderBy(index: "mi")) == [0, 0, 0, 1, 1, 1, 2, 3, 3, 3, 4, 4, 4, 5, 5])
        }
    }

    @Test("Strings holding NUL do not collide with arrays (RethinkDB's sindex/nullsinstrings)")
    func nullsInStrings() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.indexCreate("key")
            try await marvel.insert([["id": 1, "key": ["a", "b"]], ["id": 2, "key": ["a\u{0}Sb"]]])
            #expect(try await marvel.getAll([["a\u{0}Sb"]], index: "key").map { $0["id"] } == [2])
            #expect(try await marvel.getAll([["a", "b"]], index: "key").map { $0["id"] } == [1])
            try await marvel.insert([["id": 3, "key": "a\u{0}"], ["id": 4, "key": "a\u{1}"], ["id": 5, "key": "a"]])
            // Bytewise: "a" < "a\0" < "a\u1".
            #expect(try await Self.ids(marvel.between(.value("a"), .maxval, index: "key")) == [5, 3, 4])
        }
    }

    @Test("Keys longer than 250 bytes are cut, yet getAll, between and orderBy stay exact and in value order")
    func truncatedKeys() async throws {
        try await withMarvel { marvel, _ in
            let prefix = String(repeating: "x", count: 300)
            // Insert in an order unlike the value order; ids chosen so id order differs too.
            let values = ["\(prefix)c", "\(prefix)a", "\(prefix)b", "\(prefix)", "\(prefix)a"]
            try await marvel.insert(.array(values.enumerated().map { ["id": .number(Double(10 - $0.offset)), "s": .string($0.element)] }))
            try await marvel.indexCreate("s")
            _ = try await marvel.indexWait(["s"])
            try await marvel.insert(["id": 100, "s": "short"])
            // Value order ("short" < "xxx…", bytewise); equal values ("…a" twice, ids 9 and 6)
            // by primary key.
            #expect(try await Self.ids(marvel.orderBy(index: "s")) == [100, 7, 6, 9, 8, 10])
            #expect(try await Self.ids(marvel.orderBy(index: "s", .descending)) == [10, 8, 9, 6, 7, 100])
            // Pages of 2 end inside the run of cut keys; the run is read whole and in order.
            #expect(try await Self.ids(marvel.orderBy(index: "s").pageSize(2)) == [100, 7, 6, 9, 8, 10])
            #expect(try await marvel.getAll([.string("\(prefix)a")], index: "s").map { $0["id"] } == [6, 9])
            #expect(try await marvel.getAll([.string("\(prefix)")], index: "s").map { $0["id"] } == [7])
            #expect(try await Self.ids(marvel.between(.value(.string("\(prefix)a")), .value(.string("\(prefix)c")), index: "s")) == [6, 9, 8])
            #expect(try await Self.ids(marvel.between(.value(.string("\(prefix)a")), .value(.string("\(prefix)c")), index: "s",
                                                     leftBound: .open, rightBound: .closed)) == [8, 10])
        }
    }

    @Test("Index functions: a nested field, a computed value, and documents the function fails on are left out")
    func functions() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert([["id": 1, "address": ["city": "Paris"], "a": 1, "b": 2], ["id": 2, "address": "none", "a": 5, "b": "x"],
                                     ["id": 3, "a": 2, "b": 2]])
            try await marvel.indexCreate("city", .field("address", "city"))
            // r.row("a").add(r.row("b"))
            let sum = try IndexFunction(reql: try Document(parsing: #"[69,[[2,[1]],[24,[[170,[[10,[1]],"a"]],[170,[[10,[1]],"b"]]]]]]"#))
            try await marvel.indexCreate("sum", sum)
            _ = try await marvel.indexWait()
            #expect(try await marvel.getAll(["Paris"], index: "city").map { $0["id"] } == [1])
            #expect(try await Self.ids(marvel.orderBy(index: "city")) == [1])
            #expect(try await Self.ids(marvel.orderBy(index: "sum")) == [1, 3])
            #expect(try await marvel.getAll([4], index: "sum").map { $0["id"] } == [3])
        }
    }
}
