import ArgumentParser
import DocumentStore
import Testing
@testable import DocStoreCLI

/// How the commands parse, in-process with `DocStoreCommand.parseAsRoot` (nothing is run): the
/// global `--db`, the bare `--return-changes`, negative keys, the option value types and the
/// usage errors.
@Suite("CLI: parsing")
struct ParsingTests {
    /// The parsed command, or the failure's exit code and message as ArgumentParser prints them.
    private func parse(_ arguments: [String]) -> Result<any ParsableCommand, ParseFailure> {
        do {
            return .success(try DocStoreCommand.parseAsRoot(arguments))
        } catch {
            return .failure(ParseFailure(status: DocStoreCommand.exitCode(for: error).rawValue,
                                         message: DocStoreCommand.fullMessage(for: error)))
        }
    }

    private func parsed<Command: ParsableCommand>(_ arguments: [String], as type: Command.Type) throws -> Command {
        try #require(try parse(arguments).get() as? Command)
    }

    // MARK: --db

    @Test("--db is read before or after the subcommand, and after table's own subcommand",
          arguments: [["--db", "x.sqlite", "insert", "marvel", "{}"],
                      ["insert", "marvel", "{}", "--db", "x.sqlite"],
                      ["insert", "--db=x.sqlite", "marvel", "{}"],
                      ["--db=x.sqlite", "get", "marvel", "1"],
                      ["get", "marvel", "-1", "--db", "x.sqlite"],
                      ["--db", "x.sqlite", "table", "create", "marvel"],
                      ["table", "create", "marvel", "--db", "x.sqlite"],
                      ["table", "--db", "x.sqlite", "list"],
                      ["--db", "x.sqlite", "delete", "marvel", "1", "--return-changes"]])
    func dbAnywhere(arguments: [String]) throws {
        let command = try parse(arguments).get()
        let database: String? = switch command {
        case let insert as InsertCommand: insert.global.db
        case let get as GetCommand: get.global.db
        case let delete as DeleteCommand: delete.global.db
        case let create as TableCommand.Create: create.global.db
        case let list as TableCommand.List: list.global.db
        default: nil
        }
        #expect(database == "x.sqlite", "\(command)")
    }

    @Test("the default database file is ./docstore.sqlite")
    func defaultDatabase() throws {
        #expect(try parsed(["get", "marvel", "1"], as: GetCommand.self).global.db == "docstore.sqlite")
    }

    // MARK: --return-changes

    @Test("a bare --return-changes means true; a value right after it is its value",
          arguments: [
              (["--return-changes"], ReturnChanges.on),
              (["--return-changes", "--durability", "soft"], .on),
              (["--return-changes", "--strict"], .on),
              (["--return-changes", "true"], .on),
              (["--return-changes", "false"], .off),
              (["--return-changes", "always"], .always),
              (["--return-changes=always"], .always),
          ])
    func returnChanges(options: [String], expected: ReturnChanges) throws {
        let insert = try parsed(["insert", "marvel", #"{"id": 1}"#] + options, as: InsertCommand.self)
        #expect(insert.table == "marvel")
        #expect(insert.docs == #"{"id": 1}"#)
        #expect(try InsertArguments(command: insert).returnChanges == expected)
    }

    @Test("an unknown --return-changes value, with = or without, is RethinkDB's error when the command runs",
          arguments: [["--return-changes=sometimes"], ["--return-changes", "sometimes"]])
    func returnChangesUnknown(options: [String]) throws {
        let insert = try parsed(["insert", "marvel", "{}"] + options, as: InsertCommand.self)
        #expect(throws: DocumentStoreError(.queryLogic, "Invalid return_changes value `sometimes` (options are `true`, `false`, and `'always'`.)")) {
            try InsertArguments(command: insert)
        }
    }

    @Test("update, replace and delete share --durability and the bare --return-changes")
    func modifyOptions() throws {
        let delete = try parsed(["delete", "marvel", "Loki", "--return-changes", "--durability", "soft"], as: DeleteCommand.self)
        let resolved = try delete.options.resolved()
        #expect(resolved.durability == .soft)
        #expect(resolved.returnChanges == .on)
        let update = try parsed(["update", "marvel", "Hulk", "{}", "--return-changes", "always"], as: UpdateCommand.self)
        #expect(try update.options.resolved().returnChanges == .always)
        #expect(try update.options.resolved().durability == nil)
    }

    // MARK: option values

    @Test("insert options map onto the library's", arguments: [
        (["--upsert"], ConflictStrategyName.replace, ReturnChanges?.none),
        (["--conflict", "update", "--return-changes", "always"], .update, .always),
        (["--conflict", "error", "--return-changes", "false"], .error, .off),
    ])
    func insertOptions(options: [String], conflict: ConflictStrategyName, returnChanges: ReturnChanges?) throws {
        let resolved = try InsertArguments(command: try parsed(["insert", "marvel", "{}"] + options, as: InsertCommand.self))
        #expect(resolved.returnChanges == returnChanges)
        switch conflict {
        case .replace: #expect(resolved.upsert == true && resolved.conflict == nil)
        case .update: #expect(resolved.conflict.map { if case .update = $0 { true } else { false } } == true)
        case .error: #expect(resolved.conflict.map { if case .error = $0 { true } else { false } } == true)
        }
    }

    @Test("an unknown --durability or --conflict value parses, and is RethinkDB's error when the command runs",
          arguments: [
              (["--durability", "fast"], #"Durability option `fast` unrecognized (options are "hard" and "soft")."#),
              (["--conflict", "merge"], #"Conflict option `merge` unrecognized (options are "error", "replace" and "update")."#),
          ])
    func unknownValues(options: [String], message: String) throws {
        let insert = try parsed(["insert", "marvel", "{}"] + options, as: InsertCommand.self)
        #expect(throws: DocumentStoreError(.queryLogic, message)) { try InsertArguments(command: insert) }
    }

    @Test("table create's --durability defaults to hard")
    func tableCreateDurability() throws {
        #expect(try parsed(["table", "create", "marvel"], as: TableCommand.Create.self).durability.value() == .hard)
        #expect(try parsed(["table", "create", "marvel", "--durability", "soft"], as: TableCommand.Create.self).durability.value() == .soft)
    }

    // MARK: keys

    @Test("get reads a negative number key without --", arguments: ["-1", "-1.5", "-12", "-1e3", "-0"])
    func negativeKey(key: String) throws {
        let get = try parsed(["get", "scores", key], as: GetCommand.self)
        #expect(get.table == "scores")
        #expect(get.key == key)
        #expect(GetCommand.parseKey(get.key) == .number(Double(key)!))
    }

    @Test("after --, a key may be any word, dashes included", arguments: ["-x", "--", "-1"])
    func keyAfterTerminator(key: String) throws {
        #expect(try parsed(["get", "scores", "--", key], as: GetCommand.self).key == key)
    }

    @Test("update, replace and delete read a negative key too, with the document after it")
    func negativeKeyModify() throws {
        let update = try parsed(["update", "scores", "-1", #"{"a": 1}"#, "--durability", "soft"], as: UpdateCommand.self)
        #expect(update.operands == ["-1", #"{"a": 1}"#])
        let replace = try parsed(["replace", "scores", "-2", #"{"id": -2}"#], as: ReplaceCommand.self)
        #expect(replace.operands == ["-2", #"{"id": -2}"#])
        let delete = try parsed(["delete", "scores", "-3", "--return-changes"], as: DeleteCommand.self)
        #expect(delete.operands == ["-3"])
    }

    @Test("a key is JSON when it parses and a string otherwise",
          arguments: [("42", Document.number(42)), (#""42""#, .string("42")), ("Iron Man", .string("Iron Man")),
                      ("true", .bool(true)), ("[1, \"a\"]", .array([1, "a"])), ("{oops", .string("{oops")), ("-1", .number(-1))])
    func keys(text: String, key: Document) {
        #expect(GetCommand.parseKey(text) == key)
    }

    // MARK: usage errors

    @Test("usage errors exit 64 with ArgumentParser's wording",
          arguments: [
              (["get", "marvel"], "Error: Missing expected argument '<key>'"),
              (["get", "marvel", "1", "2"], "Error: Unexpected argument '2'"),
              (["get", "marvel", "1", "--bogus"], "Error: Unknown option '--bogus'"),
              (["get", "marvel", "--bogus"], "Error: Unknown option '--bogus'"),
              (["update", "marvel", "1"], "Error: Missing expected argument '<patch>'"),
              (["delete", "marvel"], "Error: Missing expected argument '<key>'"),
              (["insert", "marvel", "{}", "--frobnicate"], "Error: Unknown option '--frobnicate'"),
              (["insert", "marvel", "{}", "--upsert", "--conflict", "replace"], "Error: Use either --upsert or --conflict, not both (--upsert is --conflict replace)."),
              (["insert", "marvel", "{}", "--chunk-size", "0"], "Error: --chunk-size must be at least 1."),
          ])
    func usageErrors(arguments: [String], firstLine: String) {
        guard case .failure(let failure) = parse(arguments) else {
            Issue.record("\(arguments) parsed")
            return
        }
        #expect(failure.status == 64)
        #expect(failure.message.split(separator: "\n").first.map(String.init) == firstLine, "\(failure.message)")
    }

    @Test("an unknown subcommand is named as one, with or without --db before it",
          arguments: [["frobnicate"], ["--db", "f.sqlite", "frobnicate"], ["frobnicate", "--db", "f.sqlite"],
                      ["frobnicate", "marvel", "1"]])
    func unknownSubcommand(arguments: [String]) {
        guard case .failure(let failure) = parse(arguments) else {
            Issue.record("\(arguments) parsed")
            return
        }
        #expect(failure.status == 64)
        #expect(failure.message.hasPrefix("Error: Unknown subcommand 'frobnicate' (the subcommands are insert, get, between, scan, update, replace, delete, table, index, changes, export, dump, restore, serve; see 'docstore --help')."), "\(failure.message)")
        #expect(failure.message.contains("Usage: docstore [--db <path>] <subcommand>"))
    }

    @Test("docstore alone shows the help and exits 0", arguments: [[String](), ["--db", "f.sqlite"]])
    func bare(arguments: [String]) {
        guard case .failure(let failure) = parse(arguments) else {
            Issue.record("\(arguments) parsed")
            return
        }
        #expect(failure.status == 0)
        #expect(failure.message.contains("USAGE: docstore [--db <path>] <subcommand>"))
    }
}

/// A parse that did not give a command: what the binary would exit with and print.
struct ParseFailure: Error {
    let status: Int32
    let message: String
}

/// The conflict modes, as plain values to parameterise over.
enum ConflictStrategyName: Sendable {
    case error, replace, update
}
