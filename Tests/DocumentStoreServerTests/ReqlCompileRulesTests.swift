import DocumentStore
import ReQL
import Testing

@testable import DocumentStoreServer

/// What RethinkDB checks before a query runs (`term_walker.cc`, `argspec_t`), `r.args`, and
/// the global optargs as RethinkDB evaluates them: only when a term needs them.
@Suite("ReQL compile rules, r.args and global optargs")
struct ReqlCompileRulesTests {
    static let compileErrors: [(python: String, wire: String, message: String, backtrace: [Document])] = [
        ("r.expr([1,2]).map(lambda x: r.table('t').insert({'id': x}))", #"[38,[[2,[1,2]],[69,[[2,[4]],[56,[[15,["t"]],{"id":[10,[4]]}]]]]]]"#,
         "Cannot nest writes or meta ops in stream operations.  Use FOR_EACH instead.", [1, 1]),
        ("r.expr([1]).filter(lambda x: r.db_create('x'))", #"[39,[[2,[1]],[69,[[2,[5]],[57,["x"]]]]]]"#,
         "Cannot nest writes or meta ops in stream operations.  Use FOR_EACH instead.", [1, 1]),
        ("r.asc('a')", #"[73,["a"]]"#, "ASC may only be used as an argument to ORDER_BY or UNION.", []),
        ("r.expr([[1]]).map(r.row.map(r.row.add(1)))", "[38,[[2,[[2,[1]]]],[69,[[2,[8]],[38,[[13,[]],[69,[[2,[7]],[24,[[13,[]],1]]]]]]]]]]",
         "Cannot use r.row in nested queries.  Use functions instead.", [1, 1, 1, 1, 0]),
        ("r.row", "[13,[]]", "r.row is not defined in this context.", []),
        ("r.branch(True, 1, r.expr([]).insert_at())", "[65,[true,1,[82,[[2,[]]]]]]", "Expected 3 arguments but found 1.", [2]),
        ("r.expr([]).sample()", "[81,[[2,[]]]]", "Expected 2 arguments but found 1.", []),
        ("r.expr(1).bit_sal()", "[195,[1]]", "Expected 2 arguments but found 1.", []),
    ]

    @Test("Malformed queries fail before anything runs, with RethinkDB's compile errors", arguments: compileErrors)
    func compileError(_ item: (python: String, wire: String, message: String, backtrace: [Document])) async throws {
        try await ReqlEngineTests.withEngine { engine in
            _ = try await ReqlEngineTests.atom(engine, #"[60,["t"]]"#)
            let error = try #require(try await ReqlEngineTests.error(engine, item.wire), "\(item.python)")
            #expect(error.responseType == .compileError, "\(item.python)")
            #expect(error.message == item.message, "\(item.python)")
            #expect(error.backtrace == item.backtrace, "\(item.python)")
            // Nothing ran: no table was written, no database created.
            #expect(try await ReqlEngineTests.atom(engine, #"[43,[[15,["t"]]]]"#) == 0)
            #expect(try await ReqlEngineTests.atom(engine, "[59,[]]") == ["rethinkdb", "test"])  // RethinkDB lists its system database
        }
    }

    @Test("for_each may write; writes in its function run once per row")
    func forEachWrites() async throws {
        try await ReqlEngineTests.withEngine { engine in
            _ = try await ReqlEngineTests.atom(engine, #"[60,["t"]]"#)
            let result = try await ReqlEngineTests.atom(engine, #"[68,[[2,[1,2]],[69,[[2,[6]],[56,[[15,["t"]],{"id":[10,[6]]}]]]]]]"#)
            #expect(result["inserted"] == 2)
        }
    }

    @Test("r.args splices its array in; a wrong count is then a runtime error")
    func argsSplicing() async throws {
        try await ReqlEngineTests.withEngine { engine in
            #expect(try await ReqlEngineTests.atom(engine, "[82,[[2,[1,3]],[154,[[2,[1,2]]]]]]") == [1, 2, 3])
            let error = try #require(try await ReqlEngineTests.error(engine, "[82,[[2,[]],[154,[[2,[1]]]]]]"))
            #expect(error.responseType == .runtimeError && error.errorType == .queryLogic)
            #expect(error.message == "Expected 3 arguments but found 2.")
            let notArray = try #require(try await ReqlEngineTests.error(engine, "[82,[[2,[]],[154,[1]]]]"))
            #expect(notArray.message == "Expected type ARRAY but found NUMBER.")
        }
    }

    @Test("A client that sends db=None can still create databases; table terms then report the bad db")
    func deferredDatabase() async throws {
        try await ReqlEngineTests.withEngine { engine in
            let optargs = #"{"db":[14,[null]]}"#
            let created = try await ReqlEngineTests.atom(engine, #"[57,["made"]]"#, optargs: optargs)
            #expect(created["dbs_created"] == 1)
            let error = try #require(try await ReqlEngineTests.error(engine, "[62,[]]", optargs: optargs))
            #expect(error.errorType == .nonExistence)
            #expect(error.message == "Expected type STRING but found NULL.")
            #expect(try await ReqlEngineTests.atom(engine, #"[62,[[14,["made"]]]]"#, optargs: optargs) == [])
            let notDatabase = try #require(try await ReqlEngineTests.error(engine, "[62,[]]", optargs: #"{"db":"test"}"#))
            #expect(notDatabase.message == "Expected type DATABASE but found DATUM:\n\"test\"")
        }
    }

    @Test("A term given a database where it wants a name says so, by its argument count")
    func databaseWhereNameExpected() async throws {
        try await ReqlEngineTests.withEngine { engine in
            for wire in [#"[61,[[14,["test"]]]]"#, #"[60,[[14,["test"]]]]"#, #"[15,[[14,["test"]]]]"#] {
                let error = try #require(try await ReqlEngineTests.error(engine, wire))
                #expect(error.message == "Expected type DATUM but found DATABASE:\ndb(\"test\")", "\(wire)")
            }
        }
    }

    @Test("max_batch_rows caps a query's batches; other values leave the server's size")
    func maxBatchRows() {
        #expect(QuerySession.batchSize(1000, globalOptargs: ["max_batch_rows": 13]) == 13)
        #expect(QuerySession.batchSize(1000, globalOptargs: ["max_batch_rows": 5000]) == 1000)
        #expect(QuerySession.batchSize(1000, globalOptargs: ["min_batch_rows": 10]) == 1000)
        #expect(QuerySession.batchSize(1000, globalOptargs: ["max_batch_rows": 0.5]) == 1000)
    }

    @Test("r.http is refused with a clear error: the server makes no network requests")
    func http() async throws {
        try await ReqlEngineTests.withEngine { engine in
            let error = try #require(try await ReqlEngineTests.error(engine, #"[153,["http://example.com"]]"#))
            #expect(error.errorType == .opFailed)
            #expect(error.message == "`r.http` is not supported by DocStore: the server makes no network requests.")
        }
    }
}
