import DocumentStore
import Foundation
import ReQL
import Testing

@testable import DocumentStoreServer

/// `type_of` and `info` of every kind of value, with RethinkDB's names (`coerce_map_t` and
/// `info_term_t` in `type_manip.cc`), on a table `t` holding the row `{"id": 1}`.
@Suite("ReQL type_of and info")
struct ReqlTypeTests {
    static func withTable(_ body: (ReqlEngine) async throws -> Void) async throws {
        try await ReqlEngineTests.withEngine { engine in
            _ = try await ReqlEngineTests.atom(engine, #"[60,["t"]]"#)
            _ = try await ReqlEngineTests.atom(engine, #"[56,[[15,["t"]],{"id":1}]]"#)
            try await body(engine)
        }
    }

    static let typeNames: [(python: String, wire: String, name: String)] = [
        ("r.table('t').type_of()", #"[52,[[15,["t"]]]]"#, "TABLE"),
        ("r.table('t').get(1).type_of()", #"[52,[[16,[[15,["t"]],1]]]]"#, "SELECTION<OBJECT>"),
        ("r.table('t').filter({'a':1}).type_of()", #"[52,[[39,[[15,["t"]],{"a":1}]]]]"#, "SELECTION<STREAM>"),
        ("r.table('t').slice(1).type_of()", #"[52,[[30,[[15,["t"]],1]]]]"#, "SELECTION<STREAM>"),
        ("r.table('t').map(lambda x: x).type_of()", #"[52,[[38,[[15,["t"]],[69,[[2,[1]],[10,[1]]]]]]]]"#, "STREAM"),
        ("r.range(3).type_of()", "[52,[[173,[3]]]]", "STREAM"),
        ("r.type_of(lambda x: x)", "[52,[[69,[[2,[2]],[10,[2]]]]]]", "FUNCTION"),
        ("r.db('test').type_of()", #"[52,[[14,["test"]]]]"#, "DB"),
        ("r.binary(b'ab').type_of()", #"[52,[{"$reql_type$":"BINARY","data":"YWI="}]]"#, "PTYPE<BINARY>"),
        ("r.expr([1]).type_of()", "[52,[[2,[1]]]]", "ARRAY"),
        ("r.expr({}).type_of()", "[52,[{}]]", "OBJECT"),
        ("r.expr(None).type_of()", "[52,[null]]", "NULL"),
        ("r.minval.type_of()", "[52,[[180,[]]]]", "MINVAL"),
    ]

    @Test("type_of names every kind of value as RethinkDB does", arguments: typeNames)
    func typeOf(_ item: (python: String, wire: String, name: String)) async throws {
        try await Self.withTable { engine in
            let name = try await ReqlEngineTests.atom(engine, item.wire)
            #expect(name == .string(item.name), "\(item.python)")
        }
    }

    @Test("info of a database and a table has their names, ids, key, indexes and row count")
    func infoOfTables() async throws {
        try await Self.withTable { engine in
            let database = try await ReqlEngineTests.atom(engine, #"[79,[[14,["test"]]]]"#)
            #expect(database["type"] == "DB" && database["name"] == "test")
            #expect(database["id"]?.stringValue.flatMap(UUID.init(uuidString:)) != nil)
            let table = try await ReqlEngineTests.atom(engine, #"[79,[[15,["t"]]]]"#)
            #expect(table["type"] == "TABLE" && table["name"] == "t" && table["primary_key"] == "id")
            #expect(table["db"] == database)
            #expect(table["doc_count_estimates"] == [1])
            #expect(table["indexes"] == [])
            #expect(table["id"]?.stringValue.flatMap(UUID.init(uuidString:)) != nil)
            let selection = try await ReqlEngineTests.atom(engine, #"[79,[[39,[[15,["t"]],true]]]]"#)
            #expect(selection == ["type": "SELECTION<STREAM>", "table": table])
            let row = try await ReqlEngineTests.atom(engine, #"[79,[[16,[[15,["t"]],1]]]]"#)
            #expect(row == ["type": "SELECTION<OBJECT>", "table": table])
        }
    }

    /// RethinkDB's regression/469.yaml: a TABLE_SLICE's info names its index, order and bounds.
    @Test("info of a table slice shows its index, its sorting and each bound with its kind", arguments: [
        (#"[79,[[182,[[15,["t"]],0,1]]]]"#,
         ["index": "id", "sorting": "UNORDERED", "left_bound": 0, "left_bound_type": "closed", "right_bound": 1, "right_bound_type": "open"]),
        (#"[79,[[182,[[41,[[15,["t"]]],{"index":[74,["id"]]}],0,5],{"right_bound":"closed"}]]]"#,
         ["index": "id", "sorting": "DESCENDING", "left_bound": 0, "left_bound_type": "closed", "right_bound": 5, "right_bound_type": "closed"]),
        (#"[79,[[182,[[15,["t"]],[180,[]],[181,[]]]]]]"#,
         ["index": "id", "sorting": "UNORDERED", "left_bound_type": "unbounded", "right_bound_type": "unbounded"]),
        (#"[79,[[182,[[15,["t"]],[181,[]],[180,[]]]]]]"#,
         ["index": "id", "sorting": "UNORDERED", "left_bound_type": "unachievable", "right_bound_type": "unachievable"]),
    ] as [(String, Document)])
    func infoOfTableSlices(query: String, expected: Document) async throws {
        try await Self.withTable { engine in
            let table = try await ReqlEngineTests.atom(engine, #"[79,[[15,["t"]]]]"#)
            var wanted = expected.objectValue ?? [:]
            wanted["type"] = "TABLE_SLICE"
            wanted["table"] = table
            #expect(try await ReqlEngineTests.atom(engine, query) == .object(wanted))
        }
    }

    @Test("info of datums shows their text; binary values also their size; streams only their type")
    func infoOfValues() async throws {
        try await ReqlEngineTests.withEngine { engine in
            #expect(try await ReqlEngineTests.atom(engine, #"[79,["a"]]"#) == ["type": "STRING", "value": "\"a\""])
            #expect(try await ReqlEngineTests.atom(engine, #"[79,[[2,[1]]]]"#) == ["type": "ARRAY", "value": "[\n\t1\n]"])
            #expect(try await ReqlEngineTests.atom(engine, #"[79,[null]]"#) == ["type": "NULL"])
            #expect(try await ReqlEngineTests.atom(engine, #"[79,[[181,[]]]]"#) == ["type": "MAXVAL"])
            let binary = try await ReqlEngineTests.atom(engine, #"[79,[{"$reql_type$":"BINARY","data":"YWJj"}]]"#)
            #expect(binary["type"] == "PTYPE<BINARY>" && binary["count"] == 3)
            #expect(try await ReqlEngineTests.atom(engine, "[79,[[173,[3]]]]") == ["type": "STREAM"])
            let function = try await ReqlEngineTests.atom(engine, "[79,[[69,[[2,[3]],[24,[[10,[3]],1]]]]]]")
            #expect(function["type"] == "FUNCTION")
            #expect(function["source_code"]?.stringValue?.hasPrefix("function (args = [var3]) ") == true)
        }
    }

    @Test("A stream is not a datum: using one as a value is RethinkDB's type error")
    func streamsAreNotDatums() async throws {
        try await Self.withTable { engine in
            let error = try #require(try await ReqlEngineTests.error(engine, #"[24,[5,[15,["t"]]]]"#))
            #expect(error.message == "Expected type DATUM but found TABLE:\ntable(\"t\")")
            #expect(error.backtrace == [1])
            #expect(try await ReqlEngineTests.atom(engine, #"[51,[[15,["t"]],"array"]]"#) == [["id": 1]])
        }
    }

    @Test("A table's row taken with nth can still be written")
    func nthOfTableIsSelection() async throws {
        try await Self.withTable { engine in
            let result = try await ReqlEngineTests.atom(engine, #"[53,[[45,[[15,["t"]],0]],{"b":1}]]"#)
            #expect(result["replaced"] == 1)
            #expect(try await ReqlEngineTests.atom(engine, #"[16,[[15,["t"]],1]]"#) == ["id": 1, "b": 1])
        }
    }

    @Test("distinct of a table gives its rows as a stream in key order")
    func distinctTable() async throws {
        try await Self.withTable { engine in
            _ = try await ReqlEngineTests.atom(engine, #"[56,[[15,["t"]],[2,[{"id":3},{"id":2}]]]]"#)
            #expect(try await ReqlCase.result(engine, #"[42,[[15,["t"]]]]"#).get() == [["id": 1], ["id": 2], ["id": 3]])
            #expect(try await ReqlEngineTests.atom(engine, #"[52,[[42,[[15,["t"]]]]]]"#) == "STREAM")
        }
    }
}
