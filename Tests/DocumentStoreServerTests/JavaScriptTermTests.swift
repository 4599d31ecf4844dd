import DocumentStore
import ReQL
import Testing
@testable import DocumentStoreServer

/// `r.js` (JAVASCRIPT, term 11) as the Python driver sends it, with RethinkDB 2.4's conversions
/// and messages (`src/extproc/js_job.cc`, `js_runner.cc`, `rdb_protocol/terms/js.cc`).
@Suite("r.js through the ReQL engine")
struct JavaScriptTermTests {
    /// `r.js(source)` as wire JSON.
    static func js(_ source: String) -> String {
        "[11,[\(Document.string(source).jsonString)]]"
    }

    @Test("Sources evaluate to the datum of their last expression", arguments: [
        ("1 + 1", 2 as Document),
        ("1 + 1; 2 + 2", 4),
        ("'foo' + 'bar'", "foobar"),
        ("null", .null),
        ("0.1 + 0.2", .number(0.1 + 0.2)),
        ("[1, 'x', true, null]", [1, "x", true, .null]),
        ("({a: {b: [1.5, false]}, c: 'd'})", ["a": ["b": [1.5, false]], "c": "d"]),
        // A Date is a TIME in UTC (RethinkDB: `make_time(ms * (1.0 / 1000.0), "+00:00")`).
        ("new Date(Date.UTC(2012, 7, 1))", ["$reql_type$": "TIME", "epoch_time": 1_343_779_200, "timezone": "+00:00"]),
        // JavaScript strings are UTF-16: a surrogate pair comes back as one character.
        ("'\\uD83D\\uDE00' + 'é'", "😀é"),
        ("'😀'.length", 2),
    ] as [(String, Document)])
    func datums(source: String, expected: Document) async throws {
        try await ReqlEngineTests.withEngine { engine in
            let value = try await ReqlEngineTests.atom(engine, Self.js(source))
            #expect(value == expected)
        }
    }

    @Test("Values with no datum get RethinkDB's messages", arguments: [
        ("undefined", "Cannot convert javascript `undefined` to ql::datum_t."),
        ("[1,,3]", "Cannot convert javascript `undefined` to ql::datum_t."),
        ("({f: function() {}})", "Cannot convert function to ql::datum_t."),
        ("/x/", "Cannot convert RegExp to ql::datum_t."),
        ("1 / 0", "Number return value is not finite."),
        ("NaN", "Number return value is not finite."),
        ("var a = {}; a.self = a; a", "Recursion limit exceeded in js_to_json (circular reference?)."),
        ("new Date(NaN)", "Invalid Date in JS environment"),
        ("Symbol('s')", "Unhandled value type when converting to ql::datum_t."),
        // An exception is reported as its string, with no prefix.
        ("throw new Error('boom')", "Error: boom"),
        ("throw 5", "5"),
        ("throw {toString: function() { return 'custom'; }}", "custom"),
    ])
    func conversionErrors(source: String, message: String) async throws {
        try await ReqlEngineTests.withEngine { engine in
            let error = try #require(try await ReqlEngineTests.error(engine, Self.js(source)))
            #expect(error.responseType == .runtimeError)
            #expect(error.errorType == .queryLogic)
            #expect(error.message == message)
        }
    }

    @Test("Engine errors are the engine's own exceptions", arguments: [
        ("function() { return 1; }", "SyntaxError: "),
        ("x.y", "ReferenceError: "),
        ("null.x", "TypeError: "),
    ])
    func engineErrors(source: String, prefix: String) async throws {
        try await ReqlEngineTests.withEngine { engine in
            let error = try #require(try await ReqlEngineTests.error(engine, Self.js(source)))
            #expect(error.errorType == .queryLogic)
            #expect(error.message.hasPrefix(prefix))
        }
    }

    @Test("r.js takes one string argument and only the timeout option")
    func argumentErrors() async throws {
        try await ReqlEngineTests.withEngine { engine in
            let none = try #require(try await ReqlEngineTests.error(engine, "[11,[]]"))
            #expect(none.responseType == .compileError)
            #expect(none.message == "Expected 1 argument but found 0.")
            let two = try #require(try await ReqlEngineTests.error(engine, #"[11,["1","2"]]"#))
            #expect(two.message == "Expected 1 argument but found 2.")
            let unknown = try #require(try await ReqlEngineTests.error(engine, #"[11,["1"],{"foo":1}]"#))
            #expect(unknown.message == "Unrecognized optional argument `foo`.")
            let number = try #require(try await ReqlEngineTests.error(engine, "[11,[1]]"))
            #expect(number.message == "Expected type STRING but found NUMBER.")
            let timeout = try #require(try await ReqlEngineTests.error(engine, #"[11,["1"],{"timeout":"x"}]"#))
            #expect(timeout.message == "Expected type NUMBER but found STRING.")
            #expect(timeout.backtrace == ["timeout"])
        }
    }

    @Test("A function source is a ReQL function: do, map and filter call it with datums")
    func functions() async throws {
        try await ReqlEngineTests.withEngine { engine in
            let add = "[64,[\(Self.js("(function(a, b) { return a + b; })")),1,2]]"
            #expect(try await ReqlEngineTests.atom(engine, add) == 3)
            // RethinkDB gives JavaScript functions no arity: extra arguments are dropped...
            let first = "[64,[\(Self.js("(function(a) { return a; })")),1,2]]"
            #expect(try await ReqlEngineTests.atom(engine, first) == 1)
            // ...and missing ones are undefined.
            let third = "[64,[\(Self.js("(function(a, b, c) { return c; })")),1,2]]"
            let missing = try #require(try await ReqlEngineTests.error(engine, third))
            #expect(missing.message == "Cannot convert javascript `undefined` to ql::datum_t.")
            #expect(missing.backtrace == [0])
            let map = "[38,[[2,[1,2,3]],\(Self.js("(function(a) { return a + 1; })"))]]"
            #expect(try await ReqlEngineTests.atom(engine, map) == [2, 3, 4])
            let filter = "[51,[[39,[[2,[1,2,3]],\(Self.js("(function(a) { return a >= 2; })"))]],\"array\"]]"
            #expect(try await ReqlEngineTests.atom(engine, filter) == [2, 3])
            let objects = "[64,[\(Self.js("(function(o) { return o.a.concat([o.b]); })")),{\"a\":[2,[1]],\"b\":{\"c\":null}}]]"
            #expect(try await ReqlEngineTests.atom(engine, objects) == [1, ["c": .null]])
        }
    }

    @Test("A function cannot be a query's result, nor come back from a call")
    func functionResults() async throws {
        try await ReqlEngineTests.withEngine { engine in
            let top = try #require(try await ReqlEngineTests.error(engine, Self.js("(function() { return 1; })")))
            #expect(top.message == "Query result must be of type DATUM, GROUPED_DATA, or STREAM (got FUNCTION).")
            let nested = "[64,[\(Self.js("(function() { return function() {}; })"))]]"
            let returned = try #require(try await ReqlEngineTests.error(engine, nested))
            #expect(returned.message == "Returning functions from within `r.js` is unsupported.")
        }
    }

    @Test("One source is one function for the whole query, as RethinkDB caches it")
    func functionCache() async throws {
        try await ReqlEngineTests.withEngine { engine in
            // The map body evaluates `r.js` once per row; the counter lives on in the same closure.
            let counter = Self.js("(function() { var n = 0; return function(x) { n += 1; return n; }; })()")
            let query = "[38,[[2,[10,20,30]],[69,[[2,[1]],[64,[\(counter),[10,[1]]]]]]]]"
            let counts = try await ReqlEngineTests.atom(engine, query)
            #expect(counts == [1, 2, 3])
        }
    }

    /// A TIME pseudotype, as the driver sends a `datetime` (and as `r.epoch_time` makes one).
    static func time(_ epoch: Double) -> String {
        #"{"$reql_type$":"TIME","epoch_time":\#(Document.number(epoch).jsonString),"timezone":"+00:00"}"#
    }

    @Test("Times go to JavaScript as Dates and come back as times")
    func times() async throws {
        try await ReqlEngineTests.withEngine { engine in
            let getTime = "[64,[\(Self.js("(function(d) { return d.getTime(); })")),\(Self.time(1_343_779_200.5))]]"
            #expect(try await ReqlEngineTests.atom(engine, getTime) == 1_343_779_200_500)
            let nested = "[64,[\(Self.js("(function(o) { return o.when[0] instanceof Date; })")),{\"when\":[2,[\(Self.time(0))]]}]]"
            #expect(try await ReqlEngineTests.atom(engine, nested) == true)
            let identity = "[64,[\(Self.js("(function(d) { return d; })")),\(Self.time(1_375_147_296.681))]]"
            let time = try await ReqlEngineTests.atom(engine, identity)
            #expect(time == ["$reql_type$": "TIME", "epoch_time": 1_375_147_296.681, "timezone": "+00:00"])
        }
    }

    @Test("Bounds and binary data are not passed to JavaScript", arguments: [
        ("[180,[]]", "`r.minval` cannot be passed to `r.js`."),
        ("[2,[1,[181,[]]]]", "`r.maxval` cannot be passed to `r.js`."),
        (#"{"$reql_type$":"BINARY","data":"AQI="}"#, "`r.binary` data cannot be used in `r.js`."),
    ])
    func refusedArguments(argument: String, message: String) async throws {
        try await ReqlEngineTests.withEngine { engine in
            let query = "[64,[\(Self.js("(function(x) { return 1; })")),\(argument)]]"
            let error = try #require(try await ReqlEngineTests.error(engine, query))
            #expect(error.errorType == .queryLogic)
            #expect(error.message == message)
        }
    }

    @Test("Arrays from JavaScript obey the query's array limit")
    func arrayLimit() async throws {
        try await ReqlEngineTests.withEngine { engine in
            let error = try #require(try await ReqlEngineTests.error(engine, Self.js("[1, 2, [3, 4, 5, 6]]"), optargs: #"{"array_limit":3}"#))
            #expect(error.message == ArrayLimit.exceededMessage(3))
            #expect(try await ReqlEngineTests.atom(engine, Self.js("[1, 2, 3]"), optargs: #"{"array_limit":3}"#) == [1, 2, 3])
        }
    }
}
