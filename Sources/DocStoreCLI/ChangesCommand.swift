import ArgumentParser
import DocumentStore

/// `docstore changes`: RethinkDB's `changes()` on a table or one document, as NDJSON.
struct ChangesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "Print each change of a table as it is committed, one JSON line each.",
        usage: "docstore changes <table> [--include-initial] [--since <sequence>] [--key <key>] [--db <path>]",
        discussion: """
            Follows the table's change log (switch it on with `docstore table change-log TABLE on`, or create the table with --change-log): every write, by this machine's other processes too, prints {"old_val": ..., "new_val": ...} as soon as it commits, one line each, written at once, until Ctrl-C (or SIGTERM) ends it with exit code 0. --since resumes after a sequence (print it with --with-sequence): every change after it exactly once, in commit order, even after a restart.

            Examples:
              docstore changes orders
              docstore changes orders --include-initial | jq -c .new_val
              docstore changes marvel --key 'Iron Man'
              docstore changes orders --with-sequence --since 1200
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The table to follow.")
    var table: String

    @Flag(help: "Print the current documents first ({\"new_val\": ...}).")
    var includeInitial = false

    @Flag(help: "Print {\"state\": \"initializing\"} and {\"state\": \"ready\"} around the initial documents.")
    var includeStates = false

    @Flag(help: "Give each change a \"type\": add, remove, change, initial.")
    var includeTypes = false

    @Flag(help: "Add the change's \"sequence\", to resume from with --since.")
    var withSequence = false

    @Option(help: ArgumentHelp("Resume after this sequence.", valueName: "sequence"))
    var since: Int64?

    @Option(help: ArgumentHelp("Follow one document: its primary key, read as JSON when it is JSON (42, '\"42\"').",
                               valueName: "key"))
    var key: String?

    mutating func validate() throws {
        if since != nil && includeInitial {
            throw ValidationError("--since and --include-initial cannot be combined: resume to get every change after the sequence, or start from the current documents.")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let store = try global.openStore()
            var options = ChangeFeedOptions()
            options.includeInitial = includeInitial
            options.includeStates = includeStates
            options.includeTypes = includeTypes
            options.since = since
            let table = store.table(self.table)
            let feed = key.map { table.document(GetCommand.parseKey($0)).changes(options) } ?? table.changes(options)
            let started = try await feed.start()
            let withSequence = self.withSequence
            let printing = Task {
                var iterator = started
                while let event = try await iterator.next() {
                    var document = event.document
                    if withSequence, let sequence = event.sequence { document["sequence"] = .number(Double(sequence)) }
                    Output.line(document.jsonString)
                }
            }
            // Ctrl-C cancels the feed: the loop above ends and the command exits 0.
            let signals = Signals.onInterrupt { printing.cancel() }
            defer { signals.forEach { $0.cancel() } }
            try await printing.value
        }
    }
}
