import Foundation
import Testing

/// `docstore get --index`, `between` and `scan`, end to end: documents as NDJSON, in
/// RethinkDB's order of index values.
@Suite("CLI: reads through indexes")
struct IndexReadCommandTests {
    /// Values of `v` of every kind, in RethinkDB's order across types (arrays < booleans < null
    /// < numbers < objects < strings): null and objects are no index value, so documents 5 and
    /// 8 (and 9, which has no `v`) have no entry.
    static let mixed = #"""
        [{"id": 1, "v": "b"}, {"id": 2, "v": 10}, {"id": 3, "v": -2.5}, {"id": 4, "v": true},
         {"id": 5, "v": null}, {"id": 6, "v": [1, 2]}, {"id": 7, "v": "a"}, {"id": 8, "v": {"x": 1}},
         {"id": 9}, {"id": 10, "v": false}, {"id": 11, "v": 10}, {"id": 12, "v": [1]}]
        """#

    /// `v`'s order: [1] < [1, 2] < false < true < -2.5 < 10 (ids 2, 11 by key) < "a" < "b".
    static let ascending = [12, 6, 10, 4, 3, 2, 11, 7, 1]

    static func sandbox() throws -> CLISandbox {
        let sandbox = try CLISandbox()
        try #require(try sandbox.docstore("insert", "t", mixed).status == 0)
        try #require(try sandbox.docstore("index", "create", "t", "v").status == 0)
        return sandbox
    }

    static func ids(_ result: CLIResult) throws -> [Int] { try IndexCommandTests.ids(result) }

    // MARK: get --index

    @Test("get --index prints each matching document on its own line, once per value asked for")
    func getAll() throws {
        let sandbox = try Self.sandbox()
        #expect(try Self.ids(sandbox.docstore("get", "t", "--index", "v", "10")) == [2, 11])
        // Values come back in index order, whatever order they were asked in; RethinkDB's
        // get_all gives a document once for each time its value is asked for.
        #expect(try Self.ids(sandbox.docstore("get", "t", "--index", "v", "a", "-2.5", "a", "[1,2]")) == [6, 3, 7, 7])
        #expect(try Self.ids(sandbox.docstore("get", "t", "--index", "v", "true", "false")) == [10, 4])
        let none = try sandbox.docstore("get", "t", "--index", "v", "zzz")
        #expect(none.status == 0 && none.stdout == "" && none.stderr == "", "\(none)")
        // The primary key by its name, as RethinkDB allows.
        #expect(try Self.ids(sandbox.docstore("get", "t", "--index", "id", "9", "1")) == [1, 9])
        let line = try sandbox.docstore("get", "t", "--index", "v", #""b""#).stdout
        #expect(line == #"{"id":1,"v":"b"}"# + "\n")
    }

    @Test("get --index on a multi index finds a document by each element, once per equal element")
    func multi() throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("insert", "posts", #"[{"id": 1, "tags": ["x", "y", "x"]}, {"id": 2, "tags": ["y"]}, {"id": 3, "tags": "x"}]"#)
        try sandbox.docstore("index", "create", "posts", "tags", "--multi")
        // A multi index has an entry per element, repeats included; a non-array value is one element.
        #expect(try Self.ids(sandbox.docstore("get", "posts", "--index", "tags", "x")) == [1, 1, 3])
        #expect(try Self.ids(sandbox.docstore("get", "posts", "--index", "tags", "y")) == [1, 2])
    }

    @Test("get --index errors: a missing index, a null value, no value, a missing table", arguments: [
        (["get", "t", "--index", "w", "1"], 1, "docstore: Index `w` was not found on table `test.t`.\n"),
        (["get", "t", "--index", "v", "null"], 1, "docstore: Keys cannot be NULL.\n"),
        (["get", "nope", "--index", "v", "1"], 1, "docstore: Table `test.nope` does not exist.\n"),
        (["get", "t", "--index", "v"], 64, "Error: Missing expected argument '<value> ...'\n"),
        (["get", "t", "1", "2"], 64, "Error: Unexpected argument '2'\n"),
    ])
    func getErrors(arguments: [String], status: Int32, prefix: String) throws {
        let sandbox = try Self.sandbox()
        let result = try sandbox.run(DocStoreBinary.url(), arguments, stdin: nil)
        #expect(result.status == status, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix(prefix), "\(result)")
    }

    // MARK: between

    @Test("between includes LOW and leaves out HIGH unless the bounds say otherwise", arguments: [
        (["-2.5", "10"], [3]),
        (["-2.5", "10", "--right-bound", "closed"], [3, 2, 11]),
        (["-2.5", "10", "--left-bound", "open", "--right-bound", "closed"], [2, 11]),
        (["-2.5", "10", "--left-bound", "closed", "--right-bound", "open"], [3]),
        (["minval", "maxval"], ascending),
        (["true", "minval"], []),
        (["false", "5"], [10, 4, 3]),
        (["10", "maxval"], [2, 11, 7, 1]),
        (["minval", "false"], [12, 6]),
        (["[1]", "[1, 2]", "--right-bound", "closed"], [12, 6]),
        ([#""a""#, "maxval"], [7, 1]),
        (["a", "b"], [7]),
    ])
    func between(arguments: [String], expected: [Int]) throws {
        let sandbox = try Self.sandbox()
        let result = try sandbox.run(DocStoreBinary.url(), ["between", "t"] + arguments + ["--index", "v"], stdin: nil)
        #expect(result.status == 0, "\(result)")
        #expect(try Self.ids(result) == expected)
    }

    @Test("between without --index is a range of primary keys; --desc and --limit compose with it")
    func betweenKeys() throws {
        let sandbox = try Self.sandbox()
        #expect(try Self.ids(sandbox.docstore("between", "t", "3", "6")) == [3, 4, 5])
        #expect(try Self.ids(sandbox.docstore("between", "t", "3", "6", "--desc")) == [5, 4, 3])
        #expect(try Self.ids(sandbox.docstore("between", "t", "minval", "maxval", "--limit", "2")) == [1, 2])
        #expect(try Self.ids(sandbox.docstore("between", "t", "minval", "maxval", "--index", "v", "--desc", "--limit", "3")) == [1, 7, 11])
        #expect(try Self.ids(sandbox.docstore("between", "t", "-100", "0", "--index", "v")) == [3])
    }

    @Test("between on a compound index takes arrays, with r.minval and r.maxval inside them")
    func betweenCompound() throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("insert", "users", #"[{"id": 1, "city": "Paris", "age": 30}, {"id": 2, "city": "Paris", "age": 41}, {"id": 3, "city": "Lyon", "age": 35}, {"id": 4, "city": "Paris", "age": 18}]"#)
        try sandbox.docstore("index", "create", "users", "cityAge", "--compound", "city,age")
        let paris = try sandbox.docstore("between", "users", #"["Paris", {"$reql_type$": "MINVAL"}]"#,
                                         #"["Paris", {"$reql_type$": "MAXVAL"}]"#, "--index", "cityAge")
        #expect(try Self.ids(paris) == [4, 1, 2], "\(paris)")
        let thirties = try sandbox.docstore("between", "users", #"["Paris", 30]"#, #"["Paris", 41]"#, "--index", "cityAge",
                                            "--right-bound", "closed")
        #expect(try Self.ids(thirties) == [1, 2])
    }

    @Test("between errors: RethinkDB's texts for a bad bound kind, a null bound, a missing index", arguments: [
        (["1", "2", "--left-bound", "half"], 1, "docstore: Expected `open` or `closed` for optarg `left_bound` (got `\"half\"`).\n"),
        (["1", "2", "--right-bound", "shut"], 1, "docstore: Expected `open` or `closed` for optarg `right_bound` (got `\"shut\"`).\n"),
        (["null", "2", "--index", "v"], 1, "docstore: Cannot use `null` in BETWEEN, use `r.minval` or `r.maxval` to denote unboundedness.\n"),
        (["1", "2", "--index", "w"], 1, "docstore: Index `w` was not found on table `test.t`.\n"),
        (["1", "2", "--limit", "-1"], 1, "docstore: LIMIT takes a non-negative argument (got -1)\n"),
        (["1"], 64, "Error: Missing expected argument '<high>'\n"),
        (["1", "2", "3"], 64, "Error: Unexpected argument '3'\n"),
    ])
    func betweenErrors(arguments: [String], status: Int32, prefix: String) throws {
        let sandbox = try Self.sandbox()
        let result = try sandbox.run(DocStoreBinary.url(), ["between", "t"] + arguments, stdin: nil)
        #expect(result.status == status, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix(prefix), "\(result)")
    }

    // MARK: scan

    @Test("scan prints every document once; --order-by gives the index's order, --desc reverses it")
    func scan() throws {
        let sandbox = try Self.sandbox()
        #expect(try Self.ids(sandbox.docstore("scan", "t")).sorted() == Array(1...12))
        #expect(try Self.ids(sandbox.docstore("scan", "t", "--order-by", "v")) == Self.ascending)
        #expect(try Self.ids(sandbox.docstore("scan", "t", "--order-by", "v", "--desc")) == [1, 7, 11, 2, 3, 4, 10, 6, 12])
        #expect(try Self.ids(sandbox.docstore("scan", "t", "--order-by", "id", "--desc", "--limit", "3")) == [12, 11, 10])
        #expect(try Self.ids(sandbox.docstore("scan", "t", "--order-by", "v", "--limit", "4")) == [12, 6, 10, 4])
        #expect(try Self.ids(sandbox.docstore("scan", "t", "--limit", "5")).count == 5)
        #expect(try sandbox.docstore("scan", "t", "--limit", "0").stdout == "")
    }

    @Test("scan of a table larger than a page prints each document once, in key order with --order-by id")
    func scanPages() throws {
        let sandbox = try CLISandbox()
        try sandbox.write("many.ndjson", (1...2_500).map { #"{"id": \#($0)}"# }.joined(separator: "\n"))
        try sandbox.docstore("insert", "many", "many.ndjson")
        #expect(try Self.ids(sandbox.docstore("scan", "many", "--order-by", "id")) == Array(1...2_500))
        #expect(try Self.ids(sandbox.docstore("scan", "many", "--order-by", "id", "--desc", "--limit", "1500")) == Array((1_001...2_500).reversed()))
    }

    @Test("scan errors: a missing table (even with --limit 0), a missing index, a negative limit, --desc alone", arguments: [
        (["nope", "--limit", "0"], 1, "docstore: Table `test.nope` does not exist.\n"),
        (["t", "--order-by", "w", "--limit", "0"], 1, "docstore: Index `w` was not found on table `test.t`.\n"),
        (["t", "--limit", "-3"], 1, "docstore: LIMIT takes a non-negative argument (got -3)\n"),
        (["t", "--desc"], 64, "Error: --desc needs --order-by <index>"),
        (["t", "--limit", "ten"], 64, "Error: The value 'ten' is invalid for '--limit <n>'"),
    ])
    func scanErrors(arguments: [String], status: Int32, prefix: String) throws {
        let sandbox = try Self.sandbox()
        let result = try sandbox.run(DocStoreBinary.url(), ["scan"] + arguments, stdin: nil)
        #expect(result.status == status, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix(prefix), "\(result)")
    }
}
