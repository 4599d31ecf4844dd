import ArgumentParser
import DocumentStore
import Testing
@testable import DocStoreCLI

/// `DocStoreCommand.normalized`: the rewrites done before ArgumentParser sees the arguments,
/// and what the commands then parse (in-process, nothing is run).
@Suite("CLI: argument normalization and parsing")
struct ArgumentNormalizationTests {
    @Test("--db before the subcommand moves behind it",
          arguments: [
              (["--db", "x.sqlite", "insert", "marvel", "{}"], ["insert", "--db", "x.sqlite", "marvel", "{}"]),
              (["--db=x.sqlite", "get", "marvel", "1"], ["get", "--db=x.sqlite", "marvel", "1"]),
              (["--db", "x.sqlite", "table", "create", "marvel"], ["table", "create", "--db", "x.sqlite", "marvel"]),
              (["--db", "x.sqlite", "table", "list"], ["table", "list", "--db", "x.sqlite"]),
              (["--db", "a", "--db=b", "export", "t"], ["export", "--db", "a", "--db=b", "t"]),
          ])
    func dbMoves(arguments: [String], expected: [String]) {
        #expect(DocStoreCommand.normalized(arguments) == expected)
    }

    @Test("arguments without a leading --db are left as they are",
          arguments: [["insert", "marvel", "{}", "--db", "x.sqlite"],
                      ["get", "marvel", "--db"],
                      ["table", "drop", "marvel"],
                      []])
    func unchanged(arguments: [String]) {
        #expect(DocStoreCommand.normalized(arguments) == arguments)
    }

    @Test("a lone --return-changes becomes --return-changes=true; one with a value stays",
          arguments: [
              (["insert", "m", "{}", "--return-changes"], ["insert", "m", "{}", "--return-changes=true"]),
              (["insert", "m", "{}", "--return-changes", "--strict"], ["insert", "m", "{}", "--return-changes=true", "--strict"]),
              (["insert", "--return-changes", "m", "{}"], ["insert", "--return-changes=true", "m", "{}"]),
              (["insert", "m", "{}", "--return-changes", "always"], ["insert", "m", "{}", "--return-changes", "always"]),
              (["insert", "m", "{}", "--return-changes", "true"], ["insert", "m", "{}", "--return-changes", "true"]),
              (["insert", "m", "{}", "--return-changes", "false"], ["insert", "m", "{}", "--return-changes", "false"]),
              (["delete", "m", "1", "--return-changes=always"], ["delete", "m", "1", "--return-changes=always"]),
              (["--db", "d", "delete", "m", "1", "--return-changes"], ["delete", "--db", "d", "m", "1", "--return-changes=true"]),
          ])
    func returnChanges(arguments: [String], expected: [String]) {
        #expect(DocStoreCommand.normalized(arguments) == expected)
    }

    @Test("after normalization insert parses --db given first and a lone --return-changes")
    func insertParses() throws {
        let parsed = try DocStoreCommand.parseAsRoot(DocStoreCommand.normalized(
            ["--db", "heroes.sqlite", "insert", "marvel", #"{"id": 1}"#, "--return-changes", "--durability", "soft"]))
        let insert = try #require(parsed as? InsertCommand)
        #expect(insert.global.db == "heroes.sqlite")
        #expect(insert.table == "marvel")
        #expect(insert.docs == #"{"id": 1}"#)
        #expect(insert.returnChanges == "true")
        #expect(insert.durability == "soft")
        #expect(insert.chunkSize == 10_000)
        let options = try InsertOptionsParser(command: insert)
        #expect(options.returnChanges == .on)
        #expect(options.durability == .soft)
        #expect(options.conflict == nil)
    }

    @Test("insert options map onto the library's", arguments: [
        (["--upsert"], ConflictStrategyName.replace, ReturnChanges?.none),
        (["--conflict", "update", "--return-changes", "always"], .update, .always),
        (["--conflict", "error", "--return-changes", "false"], .error, .off),
    ])
    func insertOptions(options: [String], conflict: ConflictStrategyName, returnChanges: ReturnChanges?) throws {
        let parsed = try DocStoreCommand.parseAsRoot(["insert", "marvel", "{}"] + options)
        let parser = try InsertOptionsParser(command: try #require(parsed as? InsertCommand))
        #expect(parser.returnChanges == returnChanges)
        switch conflict {
        case .replace: #expect(parser.upsert == true && parser.conflict == nil)
        case .update: #expect(parser.conflict.map { if case .update = $0 { true } else { false } } == true)
        case .error: #expect(parser.conflict.map { if case .error = $0 { true } else { false } } == true)
        }
    }

    @Test("the default database file is ./docstore.sqlite")
    func defaultDatabase() throws {
        let parsed = try DocStoreCommand.parseAsRoot(["get", "marvel", "1"])
        #expect(try #require(parsed as? GetCommand).global.db == "docstore.sqlite")
    }

    @Test("a key is JSON when it parses and a string otherwise",
          arguments: [("42", Document.number(42)), (#""42""#, .string("42")), ("Iron Man", .string("Iron Man")),
                      ("true", .bool(true)), ("[1, \"a\"]", .array([1, "a"])), ("{oops", .string("{oops"))])
    func keys(text: String, key: Document) {
        #expect(GetCommand.parseKey(text) == key)
    }
}

/// The conflict modes, as plain values to parameterise over.
enum ConflictStrategyName: Sendable {
    case error, replace, update
}
