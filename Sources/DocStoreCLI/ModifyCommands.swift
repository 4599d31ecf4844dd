import ArgumentParser
import DocumentStore

/// The options `update`, `replace` and `delete` share.
struct ModifyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("hard (synced to disk before the result) or soft (faster).", valueName: "level"))
    var durability: String?

    @Option(help: ArgumentHelp("Report changes: true (changed documents) or always (every document).", valueName: "when"))
    var returnChanges: String?

    func parsed() throws -> (Durability?, ReturnChanges) {
        let durability = try self.durability.map { try Durability(option: $0) }
        let returnChanges: ReturnChanges = try self.returnChanges.map { value in
            switch value {
            case "true": return .on
            case "false": return .off
            default: return try ReturnChanges(option: .string(value))
            }
        } ?? .off
        return (durability, returnChanges)
    }

    /// Opens the store, applies `write` to the document with `key` and prints RethinkDB's result:
    /// what `update`, `replace` and `delete` share.
    func run(_ global: GlobalOptions, table: String, key: String,
             _ write: (Selection, Durability?, ReturnChanges) async throws -> WriteResult) async throws {
        let (durability, returnChanges) = try parsed()
        let store = try global.openStore()
        let result = try await write(store.table(table).document(GetCommand.parseKey(key)), durability, returnChanges)
        Output.line(result.jsonString)
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
        discussion: """
            The merge is deep; null values are stored, not removed. A missing document is skipped.

            Example:
              docstore update marvel 'Iron Man' '{"stats": {"strength": 85}}'
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The table.") var table: String
    @Argument(help: "The primary key (JSON when valid JSON, else a string).") var key: String
    @Argument(help: "The JSON object to merge in.") var patch: String
    @OptionGroup var options: ModifyOptions

    func run() async throws {
        try await reportingFailures {
            _ = try options.parsed()  // option errors first, as RethinkDB checks optargs first
            let patch = try parseDocumentArgument(patch, name: "patch")
            try await options.run(global, table: table, key: key) { try await $0.update(patch, durability: $1, returnChanges: $2) }
        }
    }
}

/// `docstore replace`: RethinkDB's `table.get(key).replace(document)`.
struct ReplaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replace",
        abstract: "Replace the document with a key and print RethinkDB's result.",
        discussion: """
            The new document must keep the primary key; a missing document is inserted.

            Example:
              docstore replace marvel 'Iron Man' '{"id": "Iron Man", "superpower": "Nanotech suit"}'
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The table.") var table: String
    @Argument(help: "The primary key (JSON when valid JSON, else a string).") var key: String
    @Argument(help: "The new JSON document.") var document: String
    @OptionGroup var options: ModifyOptions

    func run() async throws {
        try await reportingFailures {
            _ = try options.parsed()
            let document = try parseDocumentArgument(document, name: "document")
            try await options.run(global, table: table, key: key) { try await $0.replace(document, durability: $1, returnChanges: $2) }
        }
    }
}

/// `docstore delete`: RethinkDB's `table.get(key).delete()`.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete the document with a key and print RethinkDB's result.",
        discussion: """
            A missing document counts as skipped.

            Example:
              docstore delete marvel 'Iron Man'
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The table.") var table: String
    @Argument(help: "The primary key (JSON when valid JSON, else a string).") var key: String
    @OptionGroup var options: ModifyOptions

    func run() async throws {
        try await reportingFailures {
            try await options.run(global, table: table, key: key) { try await $0.delete(durability: $1, returnChanges: $2) }
        }
    }
}
