import ArgumentParser
import DocumentStore

/// `docstore get`: RethinkDB's `table.get(key)`.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print the document with a primary key, or null.",
        usage: "docstore get <table> <key> [--db <path>]",
        discussion: """
            KEY is read as JSON when it is valid JSON (so 42 is a number and '"42"' a string), and as a string otherwise. A negative number needs no --.

            Examples:
              docstore get marvel 'Iron Man'
              docstore get scores 42
              docstore get scores -1
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The table to read.")
    var table: String

    /// The key, collected so that `-1` is one (see ``Operands``); one word after `validate()`.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The primary key.", valueName: "key"))
    var operands: [String] = []

    var key: String { operands[0] }

    mutating func validate() throws {
        operands = try Operands.exactly(["key"], in: operands)
    }

    func run() async throws {
        try await reportingFailures {
            let store = try global.openStore()
            let document = try await store.table(table).get(Self.parseKey(key))
            Output.line(document?.jsonString ?? "null")
        }
    }

    /// JSON when it parses, else the text itself: `42` is a number, `Iron Man` a string.
    static func parseKey(_ text: String) -> Document {
        (try? Document(parsing: text)) ?? .string(text)
    }
}
