import ArgumentParser
import DocumentStore

/// The options `update`, `replace` and `delete` share.
struct ModifyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("How durable the commit is before the result is printed.", valueName: "level"))
    var durability: DurabilityArgument?

    // `.next`, as for insert: only the word right after the option can be its value.
    @Option(defaultAsFlag: ReturnChangesArgument.bare, parsing: .next,
            help: ArgumentHelp("Add a changes array to the result; alone, the same as true.", valueName: "when"))
    var returnChanges: ReturnChangesArgument?

    @Flag(help: "Store the result as it is, without the table's write hook (RethinkDB's ignore_write_hook).")
    var ignoreWriteHook = false

    /// The options as the library takes them, with RethinkDB's error for an unknown value.
    func resolved() throws -> (durability: Durability?, returnChanges: ReturnChanges) {
        (try durability?.value(), try returnChanges?.value() ?? .off)
    }
}

extension AsyncParsableCommand {
    /// What `update`, `replace` and `delete` share: resolves the options (first, as RethinkDB
    /// checks optargs before anything else), then `argument` (the document, if any), opens the
    /// store, applies `write` to the document with `key` and prints RethinkDB's result.
    func modify<Argument>(
        _ global: GlobalOptions, _ options: ModifyOptions, table: String, key: String,
        argument: () throws -> Argument,
        _ write: (Selection, Argument, Durability?, ReturnChanges) async throws -> WriteResult
    ) async throws {
        try await reportingFailures {
            let (durability, returnChanges) = try options.resolved()
            let argument = try argument()
            let store = try global.openStore()
            let target = options.ignoreWriteHook ? store.table(table).ignoringWriteHook : store.table(table)
            let selection = target.document(GetCommand.parseKey(key))
            Output.line(try await write(selection, argument, durability, returnChanges).jsonString)
        }
    }
}

/// Parses a document argument, naming the argument when it is not JSON.
func parseDocumentArgument(_ text: String, name: String) throws -> Document {
    do {
        return try Document(parsing: text)
    } catch let error as JSONSyntaxError {
        throw CommandFailure("The \(name) is not valid JSON: \(error.description)")
    }
}

/// `docstore update`: RethinkDB's `table.get(key).update(patch)`.
struct UpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Merge a JSON patch into the document with a key and print RethinkDB's result.",
        usage: "docstore update <table> <key> <patch> [--db <path>] [--durability <level>] [--return-changes [<when>]]",
        discussion: """
            The merge is deep; null values are stored, not removed. A missing document is skipped. KEY is JSON when it is valid JSON, else a string; a negative number needs no --.

            Example:
              docstore update marvel 'Iron Man' '{"stats": {"strength": 85}}'
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The table.") var table: String
    /// KEY and PATCH, collected so that a key of `-1` works (see ``Operands``).
    @Argument(parsing: .allUnrecognized,
              help: ArgumentHelp("The primary key, then the JSON object to merge in.", valueName: "key> <patch"))
    var operands: [String] = []
    @OptionGroup var options: ModifyOptions

    mutating func validate() throws {
        operands = try Operands.exactly(["key", "patch"], in: operands)
    }

    func run() async throws {
        try await modify(global, options, table: table, key: operands[0],
                         argument: { try parseDocumentArgument(operands[1], name: "patch") }) {
            try await $0.update($1, durability: $2, returnChanges: $3)
        }
    }
}

/// `docstore replace`: RethinkDB's `table.get(key).replace(document)`.
struct ReplaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replace",
        abstract: "Replace the document with a key and print RethinkDB's result.",
        usage: "docstore replace <table> <key> <document> [--db <path>] [--durability <level>] [--return-changes [<when>]]",
        discussion: """
            The new document must keep the primary key; a missing document is inserted, and null deletes the document. KEY is JSON when it is valid JSON, else a string; a negative number needs no --.

            Example:
              docstore replace marvel 'Iron Man' \\
                '{"id": "Iron Man", "superpower": "Nanotech suit"}'
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The table.") var table: String
    /// KEY and DOCUMENT, collected so that a key of `-1` works (see ``Operands``).
    @Argument(parsing: .allUnrecognized,
              help: ArgumentHelp("The primary key, then the new JSON document.", valueName: "key> <document"))
    var operands: [String] = []
    @OptionGroup var options: ModifyOptions

    mutating func validate() throws {
        operands = try Operands.exactly(["key", "document"], in: operands)
    }

    func run() async throws {
        try await modify(global, options, table: table, key: operands[0],
                         argument: { try parseDocumentArgument(operands[1], name: "document") }) {
            try await $0.replace($1, durability: $2, returnChanges: $3)
        }
    }
}

/// `docstore delete`: RethinkDB's `table.get(key).delete()`.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete the document with a key and print RethinkDB's result.",
        usage: "docstore delete <table> <key> [--db <path>] [--durability <level>] [--return-changes [<when>]]",
        discussion: """
            A missing document counts as skipped. KEY is JSON when it is valid JSON, else a string; a negative number needs no --.

            Example:
              docstore delete marvel 'Iron Man'
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The table.") var table: String
    /// KEY, collected so that `-1` is one (see ``Operands``).
    @Argument(parsing: .allUnrecognized,
              help: ArgumentHelp("The primary key (JSON when valid JSON, else a string).", valueName: "key"))
    var operands: [String] = []
    @OptionGroup var options: ModifyOptions

    mutating func validate() throws {
        operands = try Operands.exactly(["key"], in: operands)
    }

    func run() async throws {
        try await modify(global, options, table: table, key: operands[0], argument: {}) {
            try await $0.delete(durability: $2, returnChanges: $3)
        }
    }
}
