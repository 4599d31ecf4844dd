import Foundation
import Testing

/// `docstore get`, `table`, `export`, `update`, `replace`, `delete` and `--help`, end to end
/// (the index commands and the reads through indexes have suites of their own).
@Suite("CLI: get, table, export, update, replace, delete, help")
struct OtherCommandTests {
    private static let line = "\n"

    // MARK: get

    @Test("get reads a key as JSON when it is JSON and as a string otherwise; a missing key prints null")
    func getKeys() throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("insert", "marvel", #"[{"id": 42, "kind": "number"}, {"id": "42", "kind": "string"}, {"id": "Iron Man", "kind": "words"}]"#)
        #expect(try sandbox.docstore("get", "marvel", "42").stdout == #"{"id":42,"kind":"number"}"# + Self.line)
        #expect(try sandbox.docstore("get", "marvel", #""42""#).stdout == #"{"id":"42","kind":"string"}"# + Self.line)
        #expect(try sandbox.docstore("get", "marvel", "Iron Man").stdout == #"{"id":"Iron Man","kind":"words"}"# + Self.line)
        let missing = try sandbox.docstore("get", "marvel", "43")
        #expect(missing.status == 0)
        #expect(missing.stdout == "null\n")
        #expect(missing.stderr == "")
    }

    @Test("get, update and delete take a negative number key without --")
    func negativeKeys() throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("insert", "scores", #"[{"id": -1, "n": 1}, {"id": -2.5, "n": 2}]"#)
        #expect(try sandbox.docstore("get", "scores", "-1").stdout == #"{"id":-1,"n":1}"# + Self.line)
        #expect(try sandbox.docstore("get", "scores", "-2.5", "--db", "docstore.sqlite").stdout == #"{"id":-2.5,"n":2}"# + Self.line)
        let updated = try sandbox.docstore("update", "scores", "-1", #"{"n": 10}"#)
        #expect(updated.stdout == #"{"deleted":0,"errors":0,"inserted":0,"replaced":1,"skipped":0,"unchanged":0}"# + Self.line, "\(updated)")
        let deleted = try sandbox.docstore("delete", "scores", "-2.5")
        #expect(deleted.stdout == #"{"deleted":1,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":0}"# + Self.line, "\(deleted)")
        #expect(try sandbox.sqlite3("docstore.sqlite", "select doc from scores").stdout == #"{"id":-1,"n":10}"# + Self.line)
        // A dash word that is not a number is still an unknown option.
        let option = try sandbox.docstore("get", "scores", "-x")
        #expect(option.status == 64)
        #expect(option.stderr.hasPrefix("Error: Unknown option '-x'"), "\(option)")
    }

    @Test("get on a missing table exits 1 with RethinkDB's message")
    func getMissingTable() throws {
        let sandbox = try CLISandbox()
        let result = try sandbox.docstore("get", "nope", "1")
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == "docstore: Table `test.nope` does not exist.\n")
    }

    @Test("get with a null key exits 1 with the primary key type error")
    func getNullKey() throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("table", "create", "marvel")
        let result = try sandbox.docstore("get", "marvel", "null")
        #expect(result.status == 1)
        #expect(result.stderr == "docstore: Primary keys must be either a number, string, bool, pseudotype or array (got type NULL):\nnull\n")
    }

    // MARK: table

    @Test("table create, list and drop print RethinkDB's results; creating twice fails")
    func tableLifecycle() throws {
        let sandbox = try CLISandbox()
        #expect(try sandbox.docstore("table", "list").stdout == "[]\n")
        let created = try sandbox.docstore("table", "create", "marvel", "--primary-key", "superhero", "--durability", "soft")
        #expect(created.status == 0)
        #expect(matches(created.stdout, #"\{"config_changes":\[\{"new_val":\{"db":"test","durability":"soft","id":""# + uuidPattern
                        + #"","indexes":\[\],"name":"marvel","primary_key":"superhero"\},"old_val":null\}\],"tables_created":1\}\n"#), "\(created)")
        try sandbox.docstore("table", "create", "dc")

        let again = try sandbox.docstore("table", "create", "marvel")
        #expect(again.status == 1)
        #expect(again.stdout == "")
        #expect(again.stderr == "docstore: Table `test.marvel` already exists.\n")

        #expect(try sandbox.docstore("table", "list").stdout == #"["dc","marvel"]"# + Self.line)

        let dropped = try sandbox.docstore("table", "drop", "marvel")
        #expect(dropped.status == 0)
        #expect(matches(dropped.stdout, #"\{"config_changes":\[\{"new_val":null,"old_val":\{"db":"test","durability":"soft","id":""# + uuidPattern
                        + #"",.*"name":"marvel","primary_key":"superhero"\}\}\],"tables_dropped":1\}\n"#), "\(dropped)")
        #expect(try sandbox.docstore("table", "list").stdout == #"["dc"]"# + Self.line)

        let dropAgain = try sandbox.docstore("table", "drop", "marvel")
        #expect(dropAgain.status == 1)
        #expect(dropAgain.stderr == "docstore: Table `test.marvel` does not exist.\n")
    }

    @Test("table rename keeps the documents and indexes under the new name and refuses an existing one")
    func tableRename() throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("insert", "marvel", #"[{"id": 1, "team": "avengers"}, {"id": 2, "team": "x-men"}]"#)
        try sandbox.docstore("index", "create", "marvel", "team")
        try sandbox.docstore("table", "create", "dc")
        let renamed = try sandbox.docstore("table", "rename", "marvel", "heroes")
        #expect(renamed.status == 0, "\(renamed)")
        #expect(renamed.stdout.contains(#""name":"heroes""#) && renamed.stdout.contains(#""name":"marvel""#), "\(renamed)")
        #expect(try sandbox.docstore("table", "list").stdout == #"["dc","heroes"]"# + Self.line)
        #expect(try sandbox.docstore("get", "heroes", "2").stdout == #"{"id":2,"team":"x-men"}"# + Self.line)
        #expect(try sandbox.sqlite3("docstore.sqlite", #"select storage from "docstore$indexes""#).stdout == "heroes$team\n")
        let taken = try sandbox.docstore("table", "rename", "heroes", "dc")
        #expect(taken.status == 1)
        #expect(taken.stderr == "docstore: Table `test.dc` already exists.\n")
        let missing = try sandbox.docstore("table", "rename", "marvel", "other")
        #expect(missing.stderr == "docstore: Table `test.marvel` does not exist.\n")
    }

    @Test("table create refuses an invalid name and an invalid durability")
    func tableCreateErrors() throws {
        let sandbox = try CLISandbox()
        let name = try sandbox.docstore("table", "create", "bad name")
        #expect(name.status == 1)
        #expect(name.stderr == "docstore: Table name `bad name` invalid (Use A-Z, a-z, 0-9, _ and - only).\n")
        let durability = try sandbox.docstore("table", "create", "marvel", "--durability", "fast")
        #expect(durability.status == 1)
        #expect(durability.stderr == #"docstore: Durability option `fast` unrecognized (options are "hard" and "soft")."# + Self.line)
    }

    // MARK: export

    @Test("export writes a JSON array or NDJSON, and either inserts into another file with the same documents",
          arguments: [("json", "[\n{\"a\":1,\"b\":{\"x\":1},\"id\":1},\n{\"id\":2,\"name\":\"Ant-Man\",\"tags\":[\"small\",\"big\"]},\n{\"bio\":\"line1\\nline2 \\\"quoted\\\" é\",\"id\":3,\"n\":1.5}\n]\n"),
                      ("ndjson", "{\"a\":1,\"b\":{\"x\":1},\"id\":1}\n{\"id\":2,\"name\":\"Ant-Man\",\"tags\":[\"small\",\"big\"]}\n{\"bio\":\"line1\\nline2 \\\"quoted\\\" é\",\"id\":3,\"n\":1.5}\n")])
    func exportRoundTrip(format: String, expected: String) throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("insert", "marvel", #"[{"id": 1, "a": 1, "b": {"x": 1}}, {"id": 2, "name": "Ant-Man", "tags": ["small", "big"]}]"#)
        try sandbox.docstore("insert", "marvel", #"{"id": 3, "bio": "line1\nline2 \"quoted\" é", "n": 1.5}"#)
        let export = try sandbox.docstore("export", "marvel", "--format", format)
        #expect(export.status == 0)
        #expect(export.stdout == expected)

        try sandbox.write("marvel.\(format)", export.stdout)
        let imported = try sandbox.docstore("--db", "copy.sqlite", "insert", "marvel", "marvel.\(format)")
        #expect(imported.stdout == #"{"deleted":0,"errors":0,"inserted":3,"replaced":0,"skipped":0,"unchanged":0}"# + Self.line)
        let original = try sandbox.sqlite3("docstore.sqlite", "select id, doc from marvel order by id").stdout
        let copy = try sandbox.sqlite3("copy.sqlite", "select id, doc from marvel order by id").stdout
        #expect(copy == original)
        #expect(copy.split(separator: "\n").count == 3)
    }

    @Test("export of an empty table", arguments: [("json", "[]\n"), ("ndjson", "")])
    func exportEmpty(format: String, expected: String) throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("table", "create", "marvel")
        let result = try sandbox.docstore("export", "marvel", "--format", format)
        #expect(result.status == 0)
        #expect(result.stdout == expected)
    }

    @Test("export piped into insert through standard input copies the table")
    func exportThroughStdin() throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("insert", "marvel", #"[{"id": 1}, {"id": 2}, {"id": 3}]"#)
        let export = try sandbox.docstore("export", "marvel", "--format", "ndjson")
        let imported = try sandbox.docstore("--db", "copy.sqlite", "insert", "marvel", "-", stdin: export.stdout)
        #expect(imported.stdout == #"{"deleted":0,"errors":0,"inserted":3,"replaced":0,"skipped":0,"unchanged":0}"# + Self.line)
        #expect(try sandbox.sqlite3("copy.sqlite", "select group_concat(id) from marvel").stdout == "1,2,3\n")
    }

    // MARK: update, replace, delete

    @Test("update merges a patch deeply and stores nulls; a missing key is skipped; a key change is an error")
    func updateCommand() throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("insert", "marvel", #"{"id": "Iron Man", "stats": {"strength": 80, "speed": 60}, "retired": false}"#)
        let merged = try sandbox.docstore("update", "marvel", "Iron Man", #"{"stats": {"strength": 85}, "retired": null}"#)
        #expect(merged.stdout == #"{"deleted":0,"errors":0,"inserted":0,"replaced":1,"skipped":0,"unchanged":0}"# + Self.line)
        #expect(try sandbox.docstore("get", "marvel", "Iron Man").stdout
                == #"{"id":"Iron Man","retired":null,"stats":{"speed":60,"strength":85}}"# + Self.line)

        let missing = try sandbox.docstore("update", "marvel", "Hulk", #"{"a": 1}"#, "--return-changes", "always")
        #expect(missing.stdout == #"{"changes":[{"new_val":null,"old_val":null}],"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":1,"unchanged":0}"# + Self.line)

        let same = try sandbox.docstore("update", "marvel", "Iron Man", #"{"retired": null}"#, "--return-changes")
        #expect(same.stdout == #"{"changes":[],"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":1}"# + Self.line)

        let keyChange = try sandbox.docstore("update", "marvel", "Iron Man", #"{"id": "War Machine"}"#)
        #expect(keyChange.status == 0)
        #expect(keyChange.stdout.contains(#""errors":1,"first_error":"Primary key `id` cannot be changed (`{\n\t\"id\":\t\"Iron Man\","#), "\(keyChange)")
    }

    @Test("update with a patch that is not JSON exits 1 naming the patch")
    func updateBadPatch() throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("insert", "marvel", #"{"id": 1}"#)
        let result = try sandbox.docstore("update", "marvel", "1", "{nope")
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("docstore: The patch is not valid JSON: Invalid JSON at line 1, column 2"), "\(result)")
    }

    @Test("replace inserts a missing key, replaces, deletes with null, and refuses a document without the key")
    func replaceCommand() throws {
        let sandbox = try CLISandbox()
        let inserted = try sandbox.docstore("replace", "marvel", "1", #"{"id": 1, "a": 1}"#, "--return-changes")
        // The table must exist: replace does not create it.
        #expect(inserted.status == 1)
        #expect(inserted.stderr == "docstore: Table `test.marvel` does not exist.\n")

        try sandbox.docstore("table", "create", "marvel")
        let created = try sandbox.docstore("replace", "marvel", "1", #"{"id": 1, "a": 1}"#, "--return-changes")
        #expect(created.stdout == #"{"changes":[{"new_val":{"a":1,"id":1},"old_val":null}],"deleted":0,"errors":0,"inserted":1,"replaced":0,"skipped":0,"unchanged":0}"# + Self.line)

        let replaced = try sandbox.docstore("replace", "marvel", "1", #"{"id": 1, "b": 2}"#, "--durability", "soft")
        #expect(replaced.stdout == #"{"deleted":0,"errors":0,"inserted":0,"replaced":1,"skipped":0,"unchanged":0}"# + Self.line)
        #expect(try sandbox.docstore("get", "marvel", "1").stdout == #"{"b":2,"id":1}"# + Self.line)

        let noKey = try sandbox.docstore("replace", "marvel", "1", #"{"a": 1}"#)
        #expect(noKey.stdout == #"{"deleted":0,"errors":1,"first_error":"Inserted object must have primary key `id`:\n{\n\t\"a\":\t1\n}","inserted":0,"replaced":0,"skipped":0,"unchanged":0}"# + Self.line)

        let otherKey = try sandbox.docstore("replace", "marvel", "sdfjki", #"{"id": "sdfjk"}"#)
        #expect(otherKey.stdout == #"{"deleted":0,"errors":1,"first_error":"Primary key `id` cannot be changed (null -> {\n\t\"id\":\t\"sdfjk\"\n})","inserted":0,"replaced":0,"skipped":0,"unchanged":0}"# + Self.line)

        let deleted = try sandbox.docstore("replace", "marvel", "1", "null")
        #expect(deleted.stdout == #"{"deleted":1,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":0}"# + Self.line)
        #expect(try sandbox.docstore("get", "marvel", "1").stdout == "null\n")
    }

    @Test("delete removes a document and reports it; a missing key is skipped; a bad option exits 1")
    func deleteCommand() throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("insert", "marvel", #"[{"id": "Loki", "team": "none"}, {"id": "Thor"}]"#)
        let deleted = try sandbox.docstore("delete", "marvel", "Loki", "--return-changes")
        #expect(deleted.stdout == #"{"changes":[{"new_val":null,"old_val":{"id":"Loki","team":"none"}}],"deleted":1,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":0}"# + Self.line)
        let missing = try sandbox.docstore("delete", "marvel", "Loki")
        #expect(missing.stdout == #"{"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":1,"unchanged":0}"# + Self.line)
        let badOption = try sandbox.docstore("delete", "marvel", "Thor", "--durability", "fast")
        #expect(badOption.status == 1)
        #expect(badOption.stderr == #"docstore: Durability option `fast` unrecognized (options are "hard" and "soft")."# + Self.line)
        #expect(try sandbox.sqlite3("docstore.sqlite", "select id from marvel").stdout == "Thor\n")
    }

    // MARK: unknown subcommands and help

    @Test("an unknown subcommand is named as such, --db before it or not", arguments: [["frobnicate"], ["--db", "f.sqlite", "frobnicate"]])
    func unknownSubcommand(arguments: [String]) throws {
        let sandbox = try CLISandbox()
        let result = try sandbox.run(DocStoreBinary.url(), arguments, stdin: nil)
        #expect(result.status == 64)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("Error: Unknown subcommand 'frobnicate' (the subcommands are insert, get, between, scan, update, replace, delete, table, index, changes, export, dump, restore, serve; see 'docstore --help').\nUsage: docstore [--db <path>] <subcommand>\n"), "\(result)")
        #expect(!sandbox.exists("f.sqlite") && !sandbox.exists("docstore.sqlite"))
    }


    @Test("--help of every command exits 0 and shows an example",
          arguments: [[], ["insert"], ["get"], ["update"], ["replace"], ["delete"], ["table"],
                      ["table", "create"], ["table", "drop"], ["table", "rename"], ["table", "list"], ["export"], ["between"], ["scan"],
                      ["index"], ["index", "create"], ["index", "list"], ["index", "drop"], ["index", "rename"],
                      ["index", "status"]])
    func help(command: [String]) throws {
        let sandbox = try CLISandbox()
        let result = try sandbox.run(DocStoreBinary.url(), command + ["--help"], stdin: nil)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Example"), "\(result)")
        #expect(result.stdout.contains("USAGE: docstore"))
    }
}
