import DocumentStore
import Foundation
import Testing

/// The bad-input catalogue through `docstore`: the JSON given as the argument (where a shell
/// can pass it), and on standard input (through the library's chunked import); plus what only the
/// command line has: unknown options and option values, table names in arguments.
@Suite("Bad input: the catalogue through the docstore command")
struct BadInputCLITests {
    /// The JSON cases an argument can carry: valid UTF-8, no NUL, starting with { or [, and
    /// under the kernel's 128 KiB limit for one argument.
    static let argumentCases = BadInputCatalogue.all.filter { bad in
        guard case .json(let bytes) = bad.input, bytes.count < 100_000, !bytes.contains(0),
              let text = String(validating: bytes, as: UTF8.self) else { return false }
        let first = text.first { !" \n\t".contains($0) }
        return first == "{" || first == "["
    }

    /// Standard input goes through the chunked import, which reads NDJSON as well as arrays
    /// and commits any number of documents in chunks: 100,001 documents are no error there.
    static let stdinCases = BadInputCatalogue.all.filter { bad in
        if case .json = bad.input { bad.name != "100,001 documents in one call" } else { false }
    }

    /// Where the import's reading differs from one `insert(json:)` call.
    enum StdinOutcome {
        case empty
        case message(String)
        case documentError(String)
    }

    static let ndjsonEnd = "Expected the end of the line after a document (NDJSON holds one document per line)."
    static let notRead = " 0 documents were committed before it; the rest of the input was not read."
    static let stdinOverrides: [String: StdinOutcome] = [
        // An empty input is an empty import.
        "empty input": .empty, "only whitespace": .empty,
        // Several values on a line read as NDJSON, which holds one document per line.
        "a second document without an array": .message("Invalid JSON at line 1, column 10: " + ndjsonEnd + notRead),
        "a NUL after the document": .message("Invalid JSON at line 1, column 9: " + ndjsonEnd + notRead),
        "a stray closing bracket": .message("Invalid JSON at line 1, column 9: " + ndjsonEnd + notRead),
        // The import names the trailing comma, where one `insert(json:)` sees a missing value.
        "trailing comma in an array": .message("Invalid JSON at line 1, column 11: A ',' before the array's closing ']' (a trailing comma is not JSON)." + notRead),
        // A scalar line of NDJSON is a document that is not an object.
        "a number instead of documents": .documentError("Expected type OBJECT but found NUMBER."),
        "a string instead of documents": .documentError("Expected type OBJECT but found STRING."),
        "null instead of documents": .documentError("Expected type OBJECT but found NULL."),
        "a bool instead of documents": .documentError("Expected type OBJECT but found BOOL."),
    ]

    /// A sandbox with a file holding table `t` and two documents.
    static func prepared() async throws -> (Scratch, String, DiskState) {
        let scratch = try Scratch("bad-cli")
        let path = scratch.path("bad.sqlite")
        let docstore = try Executable.url("docstore")
        let seeded = try await runToEnd(docstore, ["--db", path, "insert", "t", #"[{"id": 1, "name": "seed"}, {"id": "two"}]"#], in: scratch)
        try #require(seeded.status == 0, "\(seeded.stderr)")
        return (scratch, path, try await DiskState.read(path, scratch: scratch))
    }

    @Test("A bad JSON argument gets the library's error and changes nothing", arguments: argumentCases)
    func argument(_ bad: BadInput) async throws {
        guard case .json(let bytes) = bad.input else { return }
        let (scratch, path, before) = try await Self.prepared()
        let result = try await runToEnd(try Executable.url("docstore"), ["--db", path, "insert", "t", String(decoding: bytes, as: UTF8.self)],
                                        in: scratch)
        Self.expect(result, bad.outcome, stdin: false)
        #expect(try await DiskState.read(path, scratch: scratch) == before)
    }

    @Test("Bad JSON on standard input gets a clear error and changes nothing", arguments: stdinCases)
    func standardInput(_ bad: BadInput) async throws {
        guard case .json(let bytes) = bad.input else { return }
        let (scratch, path, before) = try await Self.prepared()
        let input = scratch.path("input.json")
        try Data(bytes).write(to: URL(fileURLWithPath: input))
        let result = try await runToEnd(URL(fileURLWithPath: "/bin/sh"),
                                        ["-c", "\"$0\" --db \"$1\" insert t - < \"$2\"", try Executable.url("docstore").path, path, input],
                                        in: scratch)
        switch Self.stdinOverrides[bad.name] {
        case .empty?:
            #expect(result.status == 0 && (try? Document(parsing: result.stdout))?["inserted"] == 0, "\(result)")
        case .message(let message)?:
            #expect(result.status == 1)
            #expect(result.stderr == "docstore: \(message)\n")
        case .documentError(let message)?:
            Self.expect(result, .documentError(message), stdin: true)
        case nil:
            Self.expect(result, bad.outcome, stdin: true)
        }
        #expect(try await DiskState.read(path, scratch: scratch) == before)
    }

    static func expect(_ result: (status: Int32, stdout: String, stderr: String), _ outcome: BadInput.Outcome, stdin: Bool,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        switch outcome {
        case .syntax(let line, let column, let reason):
            #expect(result.status == 1, sourceLocation: sourceLocation)
            let tail = stdin ? notRead : ""
            #expect(result.stderr == "docstore: Invalid JSON at line \(line), column \(column): \(reason).\(tail)\n", sourceLocation: sourceLocation)
        case .documentError(let message):
            #expect(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
            let printed = try? Document(parsing: result.stdout)
            #expect(printed?["errors"] == 1 && printed?["inserted"] == 0, "\(result.stdout)", sourceLocation: sourceLocation)
            #expect(printed?["first_error"] == .string(message), sourceLocation: sourceLocation)
        case .callError(_, let message):
            #expect(result.status == 1, sourceLocation: sourceLocation)
            #expect(result.stderr == "docstore: \(message)\n", sourceLocation: sourceLocation)
        }
    }
}

/// What only the command line has: options, table names and paths in arguments.
@Suite("Bad input: options and names on the command line")
struct BadInputOptionTests {
    static let conflict = #"Conflict option `merge` unrecognized (options are "error", "replace" and "update")."#
    static let durability = #"Durability option `medium` unrecognized (options are "hard" and "soft")."#
    static let returnChanges = "Invalid return_changes value `sometimes` (options are `true`, `false`, and `'always'`.)"

    /// Arguments (after `--db FILE`), the exit status, and a line stderr must hold.
    static let cases: [(arguments: [String], status: Int32, message: String)] = [
        (["insert", "t", "{}", "--frobnicate"], 64, "Error: Unknown option '--frobnicate'"),
        (["insert", "t", "{}", "--conflict", "merge"], 1, "docstore: " + conflict),
        (["insert", "t", "{}", "--durability", "medium"], 1, "docstore: " + durability),
        (["insert", "t", "{}", "--return-changes=sometimes"], 1, "docstore: " + returnChanges),
        // A lone --return-changes means `true` (RethinkDB's flag use); a word right after it is
        // its value.
        (["insert", "t", "{}", "--return-changes", "sometimes"], 1, "docstore: " + returnChanges),
        (["insert", "t", "{}", "--upsert", "--conflict", "replace"], 64, "Error: Use either --upsert or --conflict, not both (--upsert is --conflict replace)."),
        (["insert", "t", "{}", "--return-vals", "--return-changes", "true"], 64, "Error: Use either --return-vals or --return-changes, not both."),
        (["insert", "t", "-", "--chunk-size", "0"], 64, "Error: --chunk-size must be at least 1."),
        (["insert", "t", "missing.json"], 1, "docstore: Cannot read `missing.json`: No such file or directory. Give a readable file, - for standard input, or the JSON itself (starting with { or [)."),
        (["get", "t"], 64, "Error: Missing expected argument '<key>'"),
        (["frobnicate"], 64, "Error: Unknown subcommand 'frobnicate' (the subcommands are insert, get, between, scan, update, replace, delete, table, index, changes, export, dump, restore, serve; see 'docstore --help')."),
        (["serve", "--port", "70000"], 64, "Error: --port must be between 0 and 65535."),
        (["serve", "--max-connections", "0"], 64, "Error: --max-connections must be at least 1."),
        (["insert", "a b", "{}"], 1, "docstore: Table name `a b` invalid (Use A-Z, a-z, 0-9, _ and - only)."),
        (["insert", #"x"; DROP TABLE docstore_tables; --"#, "{}"], 1, #"docstore: Table name `x"; DROP TABLE docstore_tables; --` invalid (Use A-Z, a-z, 0-9, _ and - only)."#),
        (["insert", "../etc/passwd", "{}"], 1, "docstore: Table name `../etc/passwd` invalid (Use A-Z, a-z, 0-9, _ and - only)."),
        (["get", "a'b", "1"], 1, "docstore: Table name `a'b` invalid (Use A-Z, a-z, 0-9, _ and - only)."),
        (["table", "create", "sqlite_master"], 1, "docstore: Table name `sqlite_master` is reserved (SQLite keeps names starting with `sqlite_` and DocStore keeps `docstore_tables`); choose another name."),
        (["table", "drop", "nope"], 1, "docstore: Table `test.nope` does not exist."),
    ]

    @Test("Each bad option or name is refused with its message and the file is unchanged", arguments: cases)
    func refused(arguments: [String], status: Int32, message: String) async throws {
        let (scratch, path, before) = try await BadInputCLITests.prepared()
        let result = try await runToEnd(try Executable.url("docstore"), ["--db", path] + arguments, in: scratch)
        #expect(result.status == status, "\(result)")
        #expect(result.stderr.split(separator: "\n").contains { $0 == message }, "\(result.stderr)")
        #expect(try await DiskState.read(path, scratch: scratch) == before)
    }

    @Test("A file that is not DocStore's, or a path that cannot be created, is refused and left alone",
          arguments: ["text", "sqlite", "directory"])
    func notADocStoreFile(kind: String) async throws {
        let scratch = try Scratch("not-docstore")
        let path: String
        switch kind {
        case "text":
            path = scratch.path("notes.txt")
            try "hello, not a database\n".write(toFile: path, atomically: true, encoding: .utf8)
        case "sqlite":
            path = scratch.path("other.sqlite")
            _ = try await sqlite3(path, "CREATE TABLE other (a); INSERT INTO other VALUES (1)", in: scratch)
        default:
            path = scratch.path("missing-directory/x.sqlite")
        }
        let before = try? Data(contentsOf: URL(fileURLWithPath: path))
        let result = try await runToEnd(try Executable.url("docstore"), ["--db", path, "insert", "t", "{}"], in: scratch)
        #expect(result.status == 1)
        let expected = switch kind {
        case "text": "docstore: The file `\(path)` is not a SQLite database, so it is not a DocStore one; DocStore left it unchanged. Open another path."
        case "sqlite": "docstore: The file `\(path)` is a SQLite database of another application (application_id 0, 1 schema objects), not a DocStore one; DocStore left it unchanged. Open another path."
        default: "docstore: Could not open the database file `\(path)`: unable to open database file (the file, its -wal or -shm companion or its directory cannot be opened for writing: check that the directory exists, the permissions, and that the disk is not mounted read-only)"
        }
        #expect(result.stderr == expected + "\n")
        #expect((try? Data(contentsOf: URL(fileURLWithPath: path))) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }
}
