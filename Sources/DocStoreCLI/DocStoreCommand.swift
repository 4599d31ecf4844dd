import ArgumentParser
import DocumentStore
import Foundation

/// `docstore`: RethinkDB's write API on a SQLite file, from a shell.
public struct DocStoreCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "docstore",
        abstract: "RethinkDB's document writes on a SQLite file.",
        discussion: """
            Documents live in a SQLite file (./docstore.sqlite unless --db says otherwise), one table per
            RethinkDB table, as (id, doc) rows you can read with the sqlite3 shell.

            Example:
              docstore insert marvel '{"superhero": "Iron Man", "superpower": "Arc Reactor"}'
              sqlite3 docstore.sqlite "select id, json_extract(doc, '$.superhero') from marvel"
            """,
        version: "0.1.0",
        subcommands: [InsertCommand.self, GetCommand.self, UpdateCommand.self, ReplaceCommand.self, DeleteCommand.self,
                      TableCommand.self, ExportCommand.self, ServeCommand.self]
    )

    public init() {}

    /// Parses the process's arguments and runs the command, exiting with its status.
    public static func runMain() async {
        await runMain(arguments: Array(CommandLine.arguments.dropFirst()))
    }

    /// Parses `arguments` and runs the command; usage errors exit 64, failures 1.
    public static func runMain(arguments: [String]) async {
        do {
            var command = try parseAsRoot(normalized(arguments))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    /// `--return-changes` may stand alone (meaning `true`), as the RethinkDB option is a flag in
    /// most uses; ArgumentParser options always take a value, so a lone one gets `true` here.
    static func normalized(_ arguments: [String]) -> [String] {
        var result = arguments
        // `docstore --db FILE insert ...`: ArgumentParser reads options after the subcommand,
        // so a --db given before it is moved behind it.
        var leading: [String] = []
        while let first = result.first, first.hasPrefix("--db") {
            leading.append(result.removeFirst())
            if first == "--db", !result.isEmpty { leading.append(result.removeFirst()) }
        }
        if !leading.isEmpty {
            // After the subcommand, and after `table`'s own subcommand (create, drop, list).
            let depth = result.first == "table" ? 2 : 1
            result.insert(contentsOf: leading, at: min(depth, result.count))
        }
        for index in result.indices where result[index] == "--return-changes" {
            let next = index + 1 < result.count ? result[index + 1] : nil
            if !["true", "false", "always"].contains(next ?? "") {
                result[index] = "--return-changes=true"
            }
        }
        return result
    }
}

/// The options every subcommand shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite file to use (created on first use).", valueName: "path"))
    var db = "docstore.sqlite"

    /// The page cache of a command-line run: a one-shot command gains little from more, and it
    /// is most of an import's memory (a 1,000,000-document import must stay well under 100 MiB).
    static let cacheSizeKiB = 16_384

    func openStore() throws -> DocumentStore {
        var configuration = DocumentStore.Configuration()
        configuration.cacheSizeKiB = Self.cacheSizeKiB
        // A command runs one operation at a time: one reader connection is enough.
        configuration.readerCount = 1
        do {
            return try DocumentStore(path: db, configuration: configuration)
        } catch let error as DocumentStoreError {
            throw CommandFailure(error.message)
        }
    }
}

/// A command that failed: the message goes to stderr and the exit code is 1.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

extension AsyncParsableCommand {
    /// Runs a command body, turning library and file errors into one clear line on stderr and
    /// exit code 1 (usage errors keep ArgumentParser's exit code 64).
    func reportingFailures(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as CommandFailure {
            Output.error(error.message)
            throw ExitCode.failure
        } catch let error as DocumentStoreError {
            Output.error(error.message)
            throw ExitCode.failure
        } catch let error as JSONSyntaxError {
            Output.error(error.description)
            throw ExitCode.failure
        }
    }
}

/// Where the tool writes: results on stdout, everything else on stderr.
enum Output {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(("docstore: " + text + "\n").utf8))
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }
}
