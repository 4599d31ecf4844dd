import ArgumentParser

/// `docstore`: RethinkDB's document API on a SQLite file, from a shell.
///
/// The executable marks it `@main`, so ArgumentParser's own `main()` runs it: parsing, `--help`,
/// usage errors (exit 64) and failures (exit 1) follow ArgumentParser's rules; the commands
/// print their own one-line failures and throw `ExitCode.failure`.
public struct DocStoreCommand: AsyncParsableCommand {
    /// The subcommands, their help, and the hidden fallback that names an unknown subcommand.
    public static let configuration = CommandConfiguration(
        commandName: "docstore",
        abstract: "RethinkDB's document writes and indexed reads on a SQLite file.",
        discussion: """
            Documents live in a SQLite file (./docstore.sqlite unless --db says otherwise), one table per RethinkDB table, as (id, doc) rows you can read with the sqlite3 shell. --db may be given before or after the subcommand.

            Example:
              docstore insert marvel \\
                '{"superhero": "Iron Man", "superpower": "Arc Reactor"}'
              sqlite3 docstore.sqlite \\
                "select id, json_extract(doc, '$.superhero') from marvel"
            """,
        version: "0.1.0",
        subcommands: [InsertCommand.self, GetCommand.self, BetweenCommand.self, ScanCommand.self, UpdateCommand.self,
                      ReplaceCommand.self, DeleteCommand.self, TableCommand.self, IndexCommand.self, ChangesCommand.self,
                      ExportCommand.self, DumpCommand.self, RestoreCommand.self, ServeCommand.self, UnknownSubcommand.self],
        // Reached only when no subcommand matched, so it can say which word was not one.
        defaultSubcommand: UnknownSubcommand.self
    )

    /// Declared here as well as in each subcommand: the root parses it wherever it stands
    /// (`docstore --db f get t k` and `docstore get t k --db f`), and ArgumentParser hands the
    /// decoded group on to the subcommand that declares the same type.
    @OptionGroup var global: GlobalOptions

    public init() {}
}

/// What runs when the first word is not a subcommand: `docstore frobnicate` says that
/// `frobnicate` is not a subcommand (ArgumentParser alone would call it an unexpected
/// argument), and a bare `docstore` shows the help.
struct UnknownSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unknown-subcommand",
        // The usage error is about the root command: show its usage, and no help names, so
        // ArgumentParser adds no "See 'docstore unknown-subcommand --help'" line (the message
        // points to `docstore --help` instead).
        usage: "docstore [--db <path>] <subcommand>",
        shouldDisplay: false,
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized) var words: [String] = []

    func validate() throws {
        guard let first = words.first else { throw CleanExit.helpRequest(DocStoreCommand.self) }
        if first.hasPrefix("-") && first != "-" { throw ValidationError("Unknown option '\(first)'") }
        let names = DocStoreCommand.configuration.subcommands
            .filter { $0.configuration.shouldDisplay }
            .compactMap { $0.configuration.commandName }
        throw ValidationError("Unknown subcommand '\(first)' (the subcommands are \(names.joined(separator: ", ")); see 'docstore --help').")
    }
}
