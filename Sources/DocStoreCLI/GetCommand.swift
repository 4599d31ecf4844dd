import ArgumentParser
import DocumentStore

/// `docstore get`: RethinkDB's `table.get(key)`, and with `--index` `table.get_all(values..., index=)`.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print the document with a primary key, or null; with --index, the documents with index values.",
        usage: """
            docstore get <table> <key> [--db <path>]
              docstore get <table> --index <name> <value> ... [--db <path>]
            """,
        discussion: """
            KEY and each VALUE are read as JSON when they are valid JSON (so 42 is a number and '"42"' a string), and as a string otherwise. A negative number needs no --.

            With --index, every document whose index value (for a multi index, one of its elements) equals one of the values is printed, one JSON document per line, in index order; a document matching twice is printed twice, as RethinkDB's get_all gives it. Nothing is printed when none matches.

            Examples:
              docstore get marvel 'Iron Man'
              docstore get scores 42
              docstore get scores -1
              docstore get users --index email alice@example.com bob@example.com
              docstore get users --index cityAge '["Paris", 30]'
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The table to read.")
    var table: String

    @Option(help: ArgumentHelp("Look the values up in this secondary index (or the primary key's name).", valueName: "name"))
    var index: String?

    /// The key, or with `--index` the values, collected so that `-1` is one (see ``Operands``).
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The primary key; with --index, one or more index values.",
                                                            valueName: "key"))
    var operands: [String] = []

    var key: String { operands[0] }

    mutating func validate() throws {
        operands = index == nil ? try Operands.exactly(["key"], in: operands) : try Operands.atLeastOne("value", in: operands)
    }

    func run() async throws {
        try await reportingFailures {
            let store = try global.openStore()
            if let index {
                let documents = try await store.table(table).getAll(operands.map(Self.parseKey), index: index)
                for document in documents { Output.line(document.jsonString) }
                return
            }
            let document = try await store.table(table).get(Self.parseKey(key))
            Output.line(document?.jsonString ?? "null")
        }
    }

    /// JSON when it parses, else the text itself: `42` is a number, `Iron Man` a string.
    static func parseKey(_ text: String) -> Document {
        (try? Document(parsing: text)) ?? .string(text)
    }
}
