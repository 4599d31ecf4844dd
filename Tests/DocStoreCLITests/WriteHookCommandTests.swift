import Foundation
import Testing

/// `docstore table write-hook` and `--ignore-write-hook`, end to end: each command is a
/// process of its own, so a hook one sets is applied by the writes of the next ones.
@Suite("CLI: write hooks")
struct WriteHookCommandTests {
    /// `lambda ctx, old, new: new.merge({"num": 1, "pk": ctx["primary_key"]})`, as a driver sends it.
    static let numbering = #"[69,[[2,[1,2,3]],[35,[[10,[3]],{"num":1,"pk":[170,[[10,[1]],"primary_key"]]}]]]]"#

    static func sandbox() throws -> CLISandbox {
        let sandbox = try CLISandbox()
        let created = try sandbox.docstore("table", "create", "posts")
        try #require(created.status == 0, "\(created)")
        return sandbox
    }

    @Test("Without options it prints null, --set prints created then replaced, --clear prints deleted")
    func setShowClear() throws {
        let sandbox = try Self.sandbox()
        #expect(try sandbox.docstore("table", "write-hook", "posts").stdout == "null\n")
        let created = try sandbox.docstore("table", "write-hook", "posts", "--set", Self.numbering)
        #expect(created.status == 0)
        #expect(created.stdout == #"{"created":1}"# + "\n")
        #expect(try sandbox.docstore("table", "write-hook", "posts", "--set", Self.numbering).stdout == #"{"replaced":1}"# + "\n")
        let shown = try sandbox.docstore("table", "write-hook", "posts").json()
        #expect(shown["query"] as? String == #"setWriteHook(function(var1, var2, var3) { return var3.merge({"num": 1, "pk": var1("primary_key")}); })"#)
        #expect((shown["function"] as? [String: Any])?["$reql_type$"] as? String == "BINARY")
        #expect(try sandbox.docstore("table", "write-hook", "posts", "--clear").stdout == #"{"deleted":1}"# + "\n")
        #expect(try sandbox.docstore("table", "write-hook", "posts").stdout == "null\n")
    }

    @Test("A hook set by one process is applied by the inserts and updates of the next ones")
    func appliedByLaterProcesses() throws {
        let sandbox = try Self.sandbox()
        try sandbox.docstore("table", "write-hook", "posts", "--set", Self.numbering)
        try sandbox.docstore("insert", "posts", #"{"id": "a"}"#)
        try sandbox.write("more.ndjson", #"{"id": "b"}"# + "\n")
        try sandbox.docstore("insert", "posts", "more.ndjson")
        try sandbox.docstore("insert", "posts", #"{"id": "c"}"#, "--ignore-write-hook")
        try sandbox.docstore("update", "posts", "c", #"{"x": 1}"#)
        try sandbox.docstore("update", "posts", "a", #"{"x": 2}"#, "--ignore-write-hook")
        let rows = try sandbox.sqlite3("docstore.sqlite", "select doc from posts order by id").stdout
        #expect(rows == """
            {"id":"a","num":1,"pk":"a","x":2}
            {"id":"b","num":1,"pk":"b"}
            {"id":"c","num":1,"pk":"c","x":1}

            """)
    }

    @Test("A hook that is not a function of three arguments is refused with RethinkDB's text and changes nothing",
          arguments: [(#"[69,[[2,[1]],1]]"#, "Write hook functions must expect 3 arguments."),
                      (#"[69,[[2,[1,2,3]],[103,[]]]]"#, "Could not prove function deterministic.  Write hook functions must be deterministic.")])
    func refused(term: String, message: String) throws {
        let sandbox = try Self.sandbox()
        let result = try sandbox.docstore("table", "write-hook", "posts", "--set", term)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result)")
        #expect(try sandbox.docstore("table", "write-hook", "posts").stdout == "null\n")
    }

    @Test("A write the hook refuses reports RethinkDB's first_error")
    func refusedWrite() throws {
        let sandbox = try Self.sandbox()
        try sandbox.docstore("table", "write-hook", "posts", "--set", #"[69,[[2,[1,2,3]],[12,["OH NOES!"]]]]"#)
        let inserted = try sandbox.docstore("insert", "posts", #"{"id": 1}"#)
        #expect(try inserted.json()["first_error"] as? String == "Error in write hook: OH NOES!")
        #expect(try sandbox.sqlite3("docstore.sqlite", "select count(*) from posts").stdout == "0\n")
    }

    @Test("--set and --clear together are refused")
    func bothOptions() throws {
        let sandbox = try Self.sandbox()
        let result = try sandbox.docstore("table", "write-hook", "posts", "--set", Self.numbering, "--clear")
        #expect(result.status == 64)
        #expect(result.stderr.contains("Use either --set or --clear, not both."), "\(result)")
    }
}
