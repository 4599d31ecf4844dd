import Foundation
import Testing

/// `docstore index create|list|drop|rename|status`, end to end.
@Suite("CLI: index commands")
struct IndexCommandTests {
    static let users = #"""
        [{"id": 1, "email": "ann@x.io", "age": 30, "address": {"city": "Paris"}, "tags": ["a", "b"]},
         {"id": 2, "email": "bob@x.io", "age": 25, "address": {"city": "Lyon"}, "tags": ["b"]},
         {"id": 3, "email": "ann@x.io", "age": 41, "address": {"city": "Paris"}, "tags": []},
         {"id": 4, "name": "no email, no age"}]
        """#

    /// A sandbox with the `users` table above.
    static func sandbox() throws -> CLISandbox {
        let sandbox = try CLISandbox()
        let inserted = try sandbox.docstore("insert", "users", users)
        try #require(inserted.status == 0, "\(inserted)")
        return sandbox
    }

    /// The primary keys of the NDJSON documents a command printed, in order.
    static func ids(_ result: CLIResult) throws -> [Int] {
        try result.stdout.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            return try #require(object["id"] as? Int, "\(line)")
        }
    }

    @Test("create without an option indexes the field called NAME; list gives the names sorted")
    func createByName() throws {
        let sandbox = try Self.sandbox()
        #expect(try sandbox.docstore("index", "list", "users").stdout == "[]\n")
        let created = try sandbox.docstore("index", "create", "users", "email")
        #expect(created.status == 0)
        #expect(created.stdout == #"{"created":1}"# + "\n")
        #expect(created.stderr == "")
        try sandbox.docstore("index", "create", "users", "age")
        #expect(try sandbox.docstore("index", "list", "users").stdout == #"["age","email"]"# + "\n")
        // Document 4 has no email, so it has no entry; documents 1 and 3 share one value.
        #expect(try Self.ids(sandbox.docstore("get", "users", "--index", "email", "ann@x.io")) == [1, 3])
        #expect(try sandbox.sqlite3("docstore.sqlite", #"select count(*) from "users$email""#).stdout == "3\n")
        #expect(try sandbox.sqlite3("docstore.sqlite", ".tables").stdout.contains("users$email"))
    }

    @Test("--field a.b indexes a nested field, --compound an array of fields, --multi each element")
    func kinds() throws {
        let sandbox = try Self.sandbox()
        for arguments in [["city", "--field", "address.city"], ["cityAge", "--compound", "address.city,age"],
                          ["ageCity", "--compound", "age", "--compound", "address.city"], ["tags", "--multi"]] {
            let created = try sandbox.run(DocStoreBinary.url(), ["index", "create", "users"] + arguments, stdin: nil)
            #expect(created.stdout == #"{"created":1}"# + "\n", "\(arguments): \(created)")
        }
        #expect(try Self.ids(sandbox.docstore("get", "users", "--index", "city", "Paris")) == [1, 3])
        #expect(try Self.ids(sandbox.docstore("get", "users", "--index", "cityAge", #"["Paris", 41]"#)) == [3])
        #expect(try Self.ids(sandbox.docstore("get", "users", "--index", "ageCity", #"[25, "Lyon"]"#)) == [2])
        // The compound value itself is the array; a lone field is no match.
        #expect(try sandbox.docstore("get", "users", "--index", "cityAge", "Paris").stdout == "")
        #expect(try Self.ids(sandbox.docstore("get", "users", "--index", "tags", "b")) == [1, 2])
    }

    @Test("status gives RethinkDB's index_status objects, all or the named ones")
    func status() throws {
        let sandbox = try Self.sandbox()
        try sandbox.docstore("index", "create", "users", "email")
        try sandbox.docstore("index", "create", "users", "tags", "--multi")
        let all = try sandbox.docstore("index", "status", "users")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [[String: Any]], "\(all)")
        #expect(rows.map { $0["index"] as? String } == ["email", "tags"])
        for row in rows {
            #expect(Set(row.keys) == ["index", "ready", "multi", "geo", "outdated", "function", "query"], "\(row)")
            #expect(row["ready"] as? Bool == true)
            #expect(row["multi"] as? Bool == (row["index"] as? String == "tags"))
            #expect((row["function"] as? [String: Any])?["$reql_type$"] as? String == "BINARY")
        }
        let named = try sandbox.docstore("index", "status", "users", "tags")
        #expect(try #require(try JSONSerialization.jsonObject(with: Data(named.stdout.utf8)) as? [[String: Any]]).count == 1)
    }

    @Test("an index on a table with many documents is built in chunks and ready when create prints")
    func populated() throws {
        let sandbox = try CLISandbox()
        let documents = (1...5_000).map { #"{"id": \#($0), "n": \#($0 % 7)}"# }.joined(separator: "\n")
        try sandbox.write("many.ndjson", documents)
        try sandbox.docstore("insert", "many", "many.ndjson")
        let created = try sandbox.docstore("index", "create", "many", "n")
        #expect(created.stdout == #"{"created":1}"# + "\n", "\(created)")
        // Not a terminal: no progress line.
        #expect(created.stderr == "")
        #expect(try sandbox.sqlite3("docstore.sqlite", #"select count(*) from "many$n""#).stdout == "5000\n")
        let status = try sandbox.docstore("index", "status", "many", "n").stdout
        #expect(status.contains(#""ready":true"#) && !status.contains("progress"), "\(status)")
        // The numbers from 1 to 5,000 that leave 3 divided by 7: 3, 10, ..., 4,994.
        #expect(try Self.ids(sandbox.docstore("get", "many", "--index", "n", "3")) == Array(stride(from: 3, through: 5_000, by: 7)))
    }

    @Test("on a terminal, building an index draws a progress bar on stderr that ends at 100%",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func progressOnTerminal() throws {
        let sandbox = try CLISandbox()
        let documents = (1...20_000).map { #"{"id": \#($0), "email": "u\#($0)@x.io"}"# }.joined(separator: "\n")
        try sandbox.write("many.ndjson", documents)
        try sandbox.docstore("insert", "many", "many.ndjson")
        // script(1) runs the command on a pseudo-terminal and copies what it shows to stdout.
        let command = "'\(try DocStoreBinary.url().path)' index create many email"
        let result = try sandbox.run(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"], stdin: nil)
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.components(separatedBy: "\r")
        #expect(lines.contains { $0.hasPrefix("[") && $0.contains("100%  index email") }, "\(result)")
        #expect(result.stdout.contains(#"{"created":1}"#))
    }

    @Test("drop removes the index and its entry table; rename moves both")
    func dropAndRename() throws {
        let sandbox = try Self.sandbox()
        try sandbox.docstore("index", "create", "users", "email")
        try sandbox.docstore("index", "create", "users", "age")
        #expect(try sandbox.docstore("index", "rename", "users", "email", "mail").stdout == #"{"renamed":1}"# + "\n")
        #expect(try sandbox.docstore("index", "rename", "users", "mail", "mail").stdout == #"{"renamed":0}"# + "\n")
        #expect(try Self.ids(sandbox.docstore("get", "users", "--index", "mail", "bob@x.io")) == [2])
        let overwritten = try sandbox.docstore("index", "rename", "users", "mail", "age", "--overwrite")
        #expect(overwritten.stdout == #"{"renamed":1}"# + "\n", "\(overwritten)")
        #expect(try sandbox.docstore("index", "list", "users").stdout == #"["age"]"# + "\n")
        // `age` is now the email index.
        #expect(try Self.ids(sandbox.docstore("get", "users", "--index", "age", "bob@x.io")) == [2])
        #expect(try sandbox.docstore("index", "drop", "users", "age").stdout == #"{"dropped":1}"# + "\n")
        #expect(try sandbox.docstore("index", "list", "users").stdout == "[]\n")
        #expect(!(try sandbox.sqlite3("docstore.sqlite", ".tables").stdout.contains("users$")))
    }

    @Test("errors are RethinkDB's texts on stderr with exit 1, and change nothing", arguments: [
        (["index", "create", "users", "email"], "Index `email` already exists on table `test.users`."),
        (["index", "create", "users", "id"], "Index name conflict: `id` is the name of the primary key."),
        (["index", "create", "nope", "email"], "Table `test.nope` does not exist."),
        (["index", "drop", "users", "age"], "Index `age` does not exist on table `test.users`."),
        (["index", "status", "users", "email", "age"], "Index `age` was not found on table `test.users`."),
        (["index", "rename", "users", "age", "x"], "Index `age` does not exist or index `x` already exists on table `test.users`."),
        (["index", "rename", "users", "email", "tags"], "Index `email` does not exist or index `tags` already exists on table `test.users`."),
        (["index", "rename", "users", "age", "x", "--overwrite"], "Index `age` does not exist on table `test.users`."),
        (["index", "list", "nope"], "Table `test.nope` does not exist."),
    ])
    func errors(arguments: [String], message: String) throws {
        let sandbox = try Self.sandbox()
        try sandbox.docstore("index", "create", "users", "email")
        try sandbox.docstore("index", "create", "users", "tags", "--multi")
        let result = try sandbox.run(DocStoreBinary.url(), arguments, stdin: nil)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == "docstore: \(message)\n")
        #expect(try sandbox.docstore("index", "list", "users").stdout == #"["email","tags"]"# + "\n")
    }

    @Test("--field with --compound, or an empty field name, is a usage error (exit 64)", arguments: [
        ["--field", "a", "--compound", "b"], ["--field", "a..b"], ["--compound", "a,,b"], ["--field", ""],
    ])
    func usageErrors(options: [String]) throws {
        let sandbox = try Self.sandbox()
        let result = try sandbox.run(DocStoreBinary.url(), ["index", "create", "users", "x"] + options, stdin: nil)
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.hasPrefix("Error: "), "\(result)")
        #expect(try sandbox.docstore("index", "list", "users").stdout == "[]\n")
    }
}
