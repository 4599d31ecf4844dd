import ArgumentParser
import DocumentStore

/// The options every store command shares: `--db`.
///
/// Both the root command and each subcommand include this group, which is what lets `--db`
/// stand before or after the subcommand without rewriting the arguments.
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
        return try DocumentStore(path: db, configuration: configuration)
    }
}
