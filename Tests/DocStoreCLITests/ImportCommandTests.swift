import Foundation
import Testing

/// `docstore insert TABLE FILE|-`: JSON array files, NDJSON, standard input, chunked commits,
/// and how a broken input is reported.
@Suite("CLI: insert from files and standard input")
struct ImportCommandTests {
    private static let zeroCounters = #""replaced":0,"skipped":0,"unchanged":0}"#

    /// The ids and names stored in `table`, one `id|name` line per row in key order.
    private func stored(_ sandbox: CLISandbox, _ table: String = "marvel", db: String = "docstore.sqlite") throws -> String {
        try sandbox.sqlite3(db, "select id, json_extract(doc, '$.name') from \(table) order by id").stdout
    }

    @Test("a file holding a JSON array is inserted whole")
    func arrayFile() throws {
        let sandbox = try CLISandbox()
        try sandbox.write("heroes.json", """
            [
              {"id": 1, "name": "Thor"},
              {"id": 2, "name": "Loki"},
              {"id": 3, "name": "Odin"}
            ]

            """)
        let result = try sandbox.docstore("insert", "marvel", "heroes.json")
        #expect(result.status == 0)
        #expect(result.stdout == #"{"deleted":0,"errors":0,"inserted":3,"# + Self.zeroCounters + "\n")
        #expect(try stored(sandbox) == "1|Thor\n2|Loki\n3|Odin\n")
    }

    @Test("an NDJSON file with blank lines and pretty-printed documents is inserted document by document")
    func ndjsonFile() throws {
        let sandbox = try CLISandbox()
        try sandbox.write("heroes.ndjson", """
            {"id": 1, "name": "Thor"}

            {"id": 2, "name": "Loki, \\"the [trickster]\\" {}"}
            {
              "id": 3,
              "name": "Odin",
              "realms": [1, 2,
                         3]
            }


            {"id": 4, "name": "Hela"}
            """)
        let result = try sandbox.docstore("insert", "marvel", "heroes.ndjson")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == #"{"deleted":0,"errors":0,"inserted":4,"# + Self.zeroCounters + "\n")
        #expect(try stored(sandbox) == "1|Thor\n2|Loki, \"the [trickster]\" {}\n3|Odin\n4|Hela\n")
        #expect(try sandbox.docstore("get", "marvel", "3").stdout == #"{"id":3,"name":"Odin","realms":[1,2,3]}"# + "\n")
    }

    @Test("- reads the documents from standard input", arguments: [
        "{\"id\": 1, \"name\": \"Thor\"}\n{\"id\": 2, \"name\": \"Loki\"}\n",
        "[{\"id\": 1, \"name\": \"Thor\"}, {\"id\": 2, \"name\": \"Loki\"}]",
    ])
    func standardInput(input: String) throws {
        let sandbox = try CLISandbox()
        let result = try sandbox.docstore("insert", "marvel", "-", stdin: input)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == #"{"deleted":0,"errors":0,"inserted":2,"# + Self.zeroCounters + "\n")
        #expect(try stored(sandbox) == "1|Thor\n2|Loki\n")
    }

    @Test("an empty input inserts nothing and prints the six zero counters", arguments: ["", "\n\n", "[]", " [ ]\n"])
    func emptyInput(input: String) throws {
        let sandbox = try CLISandbox()
        let result = try sandbox.docstore("insert", "marvel", "-", stdin: input)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == #"{"deleted":0,"errors":0,"inserted":0,"# + Self.zeroCounters + "\n")
    }

    @Test("a chunked import of 7 documents, 2 per chunk, adds up the chunks' results",
          arguments: ["ndjson", "json"])
    func chunkedSums(format: String) throws {
        let sandbox = try CLISandbox()
        // Seven documents without keys, and one (id 3) that collides with a document two chunks before.
        let documents = ["{\"name\": \"a\"}", "{\"id\": 3, \"name\": \"b\"}", "{\"name\": \"c\"}", "{\"name\": \"d\"}",
                         "{\"id\": 3, \"name\": \"e\"}", "{\"name\": \"f\"}", "{\"name\": \"g\"}"]
        let text = format == "ndjson" ? documents.joined(separator: "\n") + "\n"
                                      : "[\n" + documents.joined(separator: ",\n") + "\n]\n"
        try sandbox.write("heroes.\(format)", text)
        let result = try sandbox.docstore("insert", "marvel", "heroes.\(format)", "--chunk-size", "2")
        #expect(result.status == 0, "\(result)")
        let key = "\"" + uuidPattern + "\""
        #expect(matches(result.stdout, #"\{"deleted":0,"errors":1,"first_error":"Duplicate primary key `id`:\\n\{\\n\\t\\"id\\":\\t3,\\n\\t\\"name\\":\\t\\"b\\"\\n\}\\n\{\\n\\t\\"id\\":\\t3,\\n\\t\\"name\\":\\t\\"e\\"\\n\}","generated_keys":\["#
                        + Array(repeating: key, count: 5).joined(separator: ",")
                        + #"\],"inserted":6,"replaced":0,"skipped":0,"unchanged":0\}\n"#), "\(result)")
        #expect(try sandbox.sqlite3("docstore.sqlite", "select group_concat(json_extract(doc, '$.name'), '') from (select doc from marvel order by json_extract(doc, '$.name'))").stdout == "abcdfg\n")
    }

    @Test("a chunked import with --conflict replace sums replaced over the chunks")
    func chunkedConflictReplace() throws {
        let sandbox = try CLISandbox()
        let lines = (1...7).map { #"{"id": \#($0 % 4), "name": "v\#($0)"}"# }
        try sandbox.write("heroes.ndjson", lines.joined(separator: "\n") + "\n")
        let result = try sandbox.docstore("insert", "marvel", "heroes.ndjson", "--chunk-size", "2", "--conflict", "replace")
        #expect(result.stdout == #"{"deleted":0,"errors":0,"inserted":4,"replaced":3,"skipped":0,"unchanged":0}"# + "\n")
        #expect(try stored(sandbox) == "0|v4\n1|v5\n2|v6\n3|v7\n")
    }

    @Test("bad JSON on line 4 of an NDJSON file exits 1, names the line, and says what was committed",
          arguments: [("10000", 0), ("2", 2), ("1", 3)])
    func badJSONLine(chunkSize: String, committed: Int) throws {
        let sandbox = try CLISandbox()
        try sandbox.write("bad.ndjson", """
            {"id": 1}
            {"id": 2}
            {"id": 3}
            {"id": 4,, "x": 1}
            {"id": 5}

            """)
        let result = try sandbox.docstore("insert", "marvel", "bad.ndjson", "--chunk-size", chunkSize)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("line 4, column"), "\(result)")
        #expect(result.stderr.contains("\(committed) documents were committed before it"), "\(result)")
        #expect(try sandbox.sqlite3("docstore.sqlite", "select count(*) from marvel").stdout == "\(committed)\n")
    }

    @Test("bad JSON inside a multi-line JSON array file is reported at its line")
    func badJSONInArray() throws {
        let sandbox = try CLISandbox()
        try sandbox.write("bad.json", "[\n{\"id\": 1},\n{\"id\": 2},\n{\"id\": 3},\n{\"id\": 4 \"x\": 1},\n{\"id\": 5}\n]\n")
        let result = try sandbox.docstore("insert", "marvel", "bad.json", "--chunk-size", "2")
        #expect(result.status == 1)
        #expect(result.stderr.contains("line 5, column"), "\(result)")
        #expect(result.stderr.contains("2 documents were committed before it"), "\(result)")
    }

    @Test("bad JSON in an array chunk that starts mid-line is reported at the input's column",
          arguments: ["1", "10000"])
    func badJSONColumnInArray(chunkSize: String) throws {
        let sandbox = try CLISandbox()
        try sandbox.write("bad.json", "  [{\"id\": 1}, {\"id\" 2}]\n")
        let result = try sandbox.docstore("insert", "marvel", "bad.json", "--chunk-size", chunkSize)
        #expect(result.status == 1)
        #expect(result.stderr.contains("Invalid JSON at line 1, column 21: "), "\(result)")
    }

    @Test("a trailing comma in a JSON array file is refused with its line")
    func trailingComma() throws {
        let sandbox = try CLISandbox()
        try sandbox.write("comma.json", "[\n{\"id\": 1},\n{\"id\": 2},\n]\n")
        let result = try sandbox.docstore("insert", "marvel", "comma.json")
        #expect(result.status == 1)
        #expect(result.stderr.contains("line 4"), "\(result)")
        #expect(result.stderr.contains("trailing comma"), "\(result)")
    }

    @Test("an unreadable path exits 1 with Cannot read", arguments: ["missing.ndjson", "a-directory"])
    func unreadablePath(path: String) throws {
        let sandbox = try CLISandbox()
        try FileManager.default.createDirectory(atPath: sandbox.path("a-directory"), withIntermediateDirectories: true)
        let result = try sandbox.docstore("insert", "marvel", path)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("Cannot read"), "\(result)")
    }

    @Test("--strict applies to file imports too")
    func strictFile() throws {
        let sandbox = try CLISandbox()
        try sandbox.write("dup.ndjson", "{\"id\": 1}\n{\"id\": 1}\n{\"id\": 2}\n")
        let relaxed = try sandbox.docstore("--db", "a.sqlite", "insert", "marvel", "dup.ndjson")
        #expect(relaxed.status == 0)
        let strict = try sandbox.docstore("--db", "b.sqlite", "insert", "marvel", "dup.ndjson", "--strict", "--chunk-size", "1")
        #expect(strict.status == 1)
        #expect(strict.stdout.hasPrefix(#"{"deleted":0,"errors":1,"#), "\(strict)")
        #expect(strict.stdout.hasSuffix(#""inserted":2,"replaced":0,"skipped":0,"unchanged":0}"# + "\n"))
    }

    @Test("--return-vals with a file holding a JSON array is refused as multi-row, as the same argument is",
          arguments: ["[{\"id\": 1}]\n", "[\n  {\"id\": 1},\n  {\"id\": 2}\n]\n", "{\"id\": 1}\n{\"id\": 2}\n"])
    func returnValsWithArrayFile(text: String) throws {
        let sandbox = try CLISandbox()
        try sandbox.write("docs.json", text)
        let fromFile = try sandbox.docstore("insert", "marvel", "docs.json", "--return-vals")
        #expect(fromFile.status == 1)
        #expect(fromFile.stdout == "")
        #expect(fromFile.stderr.hasSuffix("docstore: Optarg RETURN_VALS is invalid for multi-row inserts.\n"), "\(fromFile)")
        #expect(try sandbox.sqlite3("docstore.sqlite", "select count(*) from marvel").stdout == "0\n")
    }

    @Test("--return-vals reads a one-document file whole")
    func returnValsFromFile() throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("insert", "marvel", #"{"id": 1, "name": "Thor"}"#)
        try sandbox.write("one.ndjson", "{\"id\": 1,\n \"name\": \"Loki\"}\n")
        let result = try sandbox.docstore("insert", "marvel", "one.ndjson", "--upsert", "--return-vals")
        #expect(result.stdout == #"{"deleted":0,"errors":0,"inserted":0,"new_val":{"id":1,"name":"Loki"},"old_val":{"id":1,"name":"Thor"},"replaced":1,"skipped":0,"unchanged":0}"# + "\n")
    }
}
