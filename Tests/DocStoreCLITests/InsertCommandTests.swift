import Foundation
import Testing

/// `docstore insert` with a JSON argument, end to end through the built binary: the reference
/// page's examples, the database file, table creation and the insert options.
@Suite("CLI: insert")
struct InsertCommandTests {
    @Test("the reference page's four examples print RethinkDB's results and the sqlite3 shell lists the rows")
    func referencePageExamples() throws {
        let sandbox = try CLISandbox()
        let one = try sandbox.docstore("insert", "marvel", #"{"superhero": "Iron Man", "superpower": "Arc Reactor"}"#)
        #expect(one.status == 0)
        #expect(matches(one.stdout, #"\{"deleted":0,"errors":0,"generated_keys":\[""# + uuidPattern
                        + #""\],"inserted":1,"replaced":0,"skipped":0,"unchanged":0\}\n"#), "\(one)")
        #expect(one.stderr == "Created table `test.marvel` (primary key `id`).\n")

        let two = try sandbox.docstore("insert", "marvel",
                                       #"[{"superhero": "Wolverine", "superpower": "Adamantium"}, {"superhero": "Spiderman", "superpower": "spidy sense"}]"#,
                                       "--durability", "soft")
        #expect(two.status == 0)
        #expect(matches(two.stdout, #"\{"deleted":0,"errors":0,"generated_keys":\[""# + uuidPattern + #"",""# + uuidPattern
                        + #""\],"inserted":2,"replaced":0,"skipped":0,"unchanged":0\}\n"#), "\(two)")
        #expect(two.stderr == "")

        // Without a key in the document, upsert has nothing to collide with: a new row.
        let three = try sandbox.docstore("insert", "marvel", #"{"superhero": "Iron Man", "superpower": "Arc Reactor"}"#, "--upsert")
        #expect(matches(three.stdout, #"\{"deleted":0,"errors":0,"generated_keys":\[""# + uuidPattern
                        + #""\],"inserted":1,"replaced":0,"skipped":0,"unchanged":0\}\n"#), "\(three)")

        let four = try sandbox.docstore("insert", "marvel", #"{"superhero": "Iron Man", "superpower": "Arc Reactor"}"#,
                                        "--upsert", "--return-vals")
        #expect(matches(four.stdout, #"\{"deleted":0,"errors":0,"generated_keys":\["(?<key>"# + uuidPattern
                        + #")"\],"inserted":1,"new_val":\{"id":"\k<key>","superhero":"Iron Man","superpower":"Arc Reactor"\},"old_val":null,"replaced":0,"skipped":0,"unchanged":0\}\n"#), "\(four)")

        let listing = try sandbox.sqlite3("docstore.sqlite", "select id, json_extract(doc, '$.superhero') from marvel")
        let rows = listing.stdout.split(separator: "\n").map(String.init)
        #expect(rows.count == 5)
        #expect(rows.map { $0.split(separator: "|").last.map(String.init) ?? "" }
                == ["Iron Man", "Wolverine", "Spiderman", "Iron Man", "Iron Man"])
        #expect(rows.allSatisfy { matches($0, uuidPattern + #"\|[A-Za-z ]+"#) }, "\(rows)")
    }

    @Test("upsert on a table keyed by superhero replaces, and --return-vals shows both versions")
    func upsertByKey() throws {
        let sandbox = try CLISandbox()
        let created = try sandbox.docstore("insert", "marvel", #"{"superhero": "Iron Man", "superpower": "Repulsors"}"#,
                                           "--primary-key", "superhero")
        #expect(created.stdout == #"{"deleted":0,"errors":0,"inserted":1,"replaced":0,"skipped":0,"unchanged":0}"# + "\n")
        #expect(created.stderr == "Created table `test.marvel` (primary key `superhero`).\n")

        let upsert = try sandbox.docstore("insert", "marvel", #"{"superhero": "Iron Man", "superpower": "Arc Reactor"}"#, "--upsert")
        #expect(upsert.stdout == #"{"deleted":0,"errors":0,"inserted":0,"replaced":1,"skipped":0,"unchanged":0}"# + "\n")

        let values = try sandbox.docstore("insert", "marvel", #"{"superhero": "Iron Man", "superpower": "Nanotech"}"#,
                                          "--upsert", "--return-vals")
        #expect(values.stdout == #"{"deleted":0,"errors":0,"inserted":0,"new_val":{"superhero":"Iron Man","superpower":"Nanotech"},"old_val":{"superhero":"Iron Man","superpower":"Arc Reactor"},"replaced":1,"skipped":0,"unchanged":0}"# + "\n")

        let same = try sandbox.docstore("insert", "marvel", #"{"superhero": "Iron Man", "superpower": "Nanotech"}"#, "--upsert")
        #expect(same.stdout == #"{"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":1}"# + "\n")

        let listing = try sandbox.sqlite3("docstore.sqlite", "select id, json_extract(doc, '$.superpower') from marvel")
        #expect(listing.stdout == "Iron Man|Nanotech\n")
    }

    @Test("--db names the file, before or after the subcommand, and ./docstore.sqlite is left alone",
          arguments: [["--db", "other.sqlite", "insert", "marvel", #"{"id": 1}"#],
                      ["insert", "marvel", #"{"id": 1}"#, "--db", "other.sqlite"],
                      ["--db=other.sqlite", "insert", "marvel", #"{"id": 1}"#]])
    func dbOption(arguments: [String]) throws {
        let sandbox = try CLISandbox()
        let insert = try sandbox.run(DocStoreBinary.url(), arguments, stdin: nil)
        #expect(insert.status == 0, "\(insert)")
        #expect(sandbox.exists("other.sqlite"))
        #expect(!sandbox.exists("docstore.sqlite"))
        #expect(try sandbox.docstore("--db", "other.sqlite", "get", "marvel", "1").stdout == #"{"id":1}"# + "\n")
        #expect(try sandbox.docstore("get", "marvel", "1", "--db", "other.sqlite").stdout == #"{"id":1}"# + "\n")
        #expect(try sandbox.docstore("--db", "other.sqlite", "table", "list").stdout == #"["marvel"]"# + "\n")
    }

    @Test("a missing table is created with --primary-key, and documents without it get a generated one")
    func primaryKeyOption() throws {
        let sandbox = try CLISandbox()
        let first = try sandbox.docstore("insert", "users", #"{"email": "tony@stark.com", "name": "Tony"}"#, "--primary-key", "email")
        #expect(first.stdout == #"{"deleted":0,"errors":0,"inserted":1,"replaced":0,"skipped":0,"unchanged":0}"# + "\n")
        #expect(first.stderr == "Created table `test.users` (primary key `email`).\n")

        let keyless = try sandbox.docstore("insert", "users", #"{"name": "Pepper"}"#)
        #expect(keyless.stderr == "")
        #expect(matches(keyless.stdout, #".*"generated_keys":\[""# + uuidPattern + #""\],"inserted":1,.*\n"#), "\(keyless)")

        let rows = try sandbox.sqlite3("docstore.sqlite", "select id = json_extract(doc, '$.email'), json_extract(doc, '$.name') from users order by 2")
        #expect(rows.stdout == "1|Pepper\n1|Tony\n")
        #expect(try sandbox.sqlite3("docstore.sqlite", "select primary_key from docstore_tables where name = 'users'").stdout == "email\n")
    }

    @Test("--primary-key that differs from an existing table's key fails and writes nothing")
    func primaryKeyMismatch() throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("table", "create", "users", "--primary-key", "email")
        let result = try sandbox.docstore("insert", "users", #"{"id": 1}"#, "--primary-key", "id")
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("Table `test.users` exists with primary key `email`"), "\(result)")
        #expect(try sandbox.sqlite3("docstore.sqlite", "select count(*) from users").stdout == "0\n")
    }

    @Test("--conflict decides what happens to an existing key",
          arguments: [
              ("error", #"{"deleted":0,"errors":1,"first_error":"Duplicate primary key `id`:\n{\n\t\"a\":\t1,\n\t\"b\":\t{\n\t\t\"x\":\t1\n\t},\n\t\"id\":\t1\n}\n{\n\t\"b\":\t{\n\t\t\"y\":\t2\n\t},\n\t\"id\":\t1\n}","inserted":0,"replaced":0,"skipped":0,"unchanged":0}"#,
               #"{"a":1,"b":{"x":1},"id":1}"#),
              ("replace", #"{"deleted":0,"errors":0,"inserted":0,"replaced":1,"skipped":0,"unchanged":0}"#,
               #"{"b":{"y":2},"id":1}"#),
              ("update", #"{"deleted":0,"errors":0,"inserted":0,"replaced":1,"skipped":0,"unchanged":0}"#,
               #"{"a":1,"b":{"x":1,"y":2},"id":1}"#),
          ])
    func conflictModes(mode: String, expected: String, stored: String) throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("insert", "marvel", #"{"id": 1, "a": 1, "b": {"x": 1}}"#)
        let result = try sandbox.docstore("insert", "marvel", #"{"id": 1, "b": {"y": 2}}"#, "--conflict", mode)
        #expect(result.status == 0)
        #expect(result.stdout == expected + "\n")
        #expect(try sandbox.docstore("get", "marvel", "1").stdout == stored + "\n")
    }

    @Test("invalid option values fail with RethinkDB's messages, exit 1, before any table is created",
          arguments: [
              (["--conflict", "foo"], #"docstore: Conflict option `foo` unrecognized (options are "error", "replace" and "update")."#),
              (["--durability", "fast"], #"docstore: Durability option `fast` unrecognized (options are "hard" and "soft")."#),
              (["--return-changes=sometimes"], "docstore: Invalid return_changes value `sometimes` (options are `true`, `false`, and `'always'`.)"),
              (["--return-changes", "sometimes"], "docstore: Invalid return_changes value `sometimes` (options are `true`, `false`, and `'always'`.)"),
          ])
    func invalidOptionValues(options: [String], message: String) throws {
        let sandbox = try CLISandbox()
        let result = try sandbox.run(DocStoreBinary.url(), ["insert", "marvel", #"{"id": 1}"#] + options, stdin: nil)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == message + "\n")
        #expect(!sandbox.exists("docstore.sqlite"))
    }

    @Test("usage errors exit 64 and touch no file",
          arguments: [["insert", "marvel"],
                      ["insert", "marvel", "{}", "--bogus"],
                      ["insert", "marvel", "{}", "--upsert", "--conflict", "replace"],
                      ["insert", "marvel", "{}", "--return-vals", "--return-changes", "always"],
                      ["insert", "marvel", "{}", "--chunk-size", "0"],
                      ["get", "marvel"],
                      ["frobnicate"]])
    func usageErrors(arguments: [String]) throws {
        let sandbox = try CLISandbox()
        let result = try sandbox.run(DocStoreBinary.url(), arguments, stdin: nil)
        #expect(result.status == 64, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr.contains("Error:"))
        #expect(!sandbox.exists("docstore.sqlite"))
    }

    @Test("--return-changes alone means true: the inserted document's change is listed")
    func returnChangesFlag() throws {
        let sandbox = try CLISandbox()
        let alone = try sandbox.docstore("insert", "marvel", #"{"id": 1}"#, "--return-changes")
        #expect(alone.stdout == #"{"changes":[{"new_val":{"id":1},"old_val":null}],"deleted":0,"errors":0,"inserted":1,"replaced":0,"skipped":0,"unchanged":0}"# + "\n")
        // Followed by another option, it still stands alone.
        let beforeOption = try sandbox.docstore("insert", "marvel", #"{"id": 2}"#, "--return-changes", "--durability", "soft")
        #expect(beforeOption.stdout == #"{"changes":[{"new_val":{"id":2},"old_val":null}],"deleted":0,"errors":0,"inserted":1,"replaced":0,"skipped":0,"unchanged":0}"# + "\n")
        // A duplicate with true: an empty changes array.
        let duplicate = try sandbox.docstore("insert", "marvel", #"{"id": 1}"#, "--return-changes", "true")
        #expect(duplicate.stdout == #"{"changes":[],"deleted":0,"errors":1,"first_error":"Duplicate primary key `id`:\n{\n\t\"id\":\t1\n}\n{\n\t\"id\":\t1\n}","inserted":0,"replaced":0,"skipped":0,"unchanged":0}"# + "\n")
    }

    @Test("--return-changes always lists a failed document with its error")
    func returnChangesAlways() throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("insert", "marvel", #"{"id": 0}"#)
        let result = try sandbox.docstore("insert", "marvel", #"[{"id": 0}, {"id": 1}]"#, "--return-changes", "always")
        #expect(result.status == 0)
        #expect(result.stdout == #"{"changes":[{"error":"Duplicate primary key `id`:\n{\n\t\"id\":\t0\n}\n{\n\t\"id\":\t0\n}","new_val":{"id":0},"old_val":{"id":0}},{"new_val":{"id":1},"old_val":null}],"deleted":0,"errors":1,"first_error":"Duplicate primary key `id`:\n{\n\t\"id\":\t0\n}\n{\n\t\"id\":\t0\n}","inserted":1,"replaced":0,"skipped":0,"unchanged":0}"# + "\n")
    }

    @Test("per-document errors exit 0, and 1 with --strict; --strict without errors exits 0",
          arguments: [([String](), Int32(0)), (["--strict"], Int32(1))])
    func strict(options: [String], status: Int32) throws {
        let sandbox = try CLISandbox()
        let clean = try sandbox.run(DocStoreBinary.url(), ["insert", "marvel", #"{"id": 1}"#] + options, stdin: nil)
        #expect(clean.status == 0)
        let failing = try sandbox.run(DocStoreBinary.url(), ["insert", "marvel", #"[{"id": 1}, {"id": 2}]"#] + options, stdin: nil)
        #expect(failing.status == status)
        // The result is printed either way, and the good document is written.
        #expect(failing.stdout.hasPrefix(#"{"deleted":0,"errors":1,"first_error":"Duplicate primary key `id`:"#), "\(failing)")
        #expect(failing.stdout.hasSuffix(#","inserted":1,"replaced":0,"skipped":0,"unchanged":0}"# + "\n"))
        #expect(try sandbox.docstore("get", "marvel", "2").stdout == #"{"id":2}"# + "\n")
    }

    @Test("a document that is not an object inside an array counts as one error, the others are written")
    func nonObjects() throws {
        let sandbox = try CLISandbox()
        let array = try sandbox.docstore("insert", "marvel", #"[{"id": 1}, 2]"#)
        #expect(array.stdout == #"{"deleted":0,"errors":1,"first_error":"Expected type OBJECT but found NUMBER.","inserted":1,"replaced":0,"skipped":0,"unchanged":0}"# + "\n")
        #expect(array.status == 0)
    }
}
