import ArgumentParser
import DocumentStore

/// `docstore table write-hook`: shows, sets or removes a table's write hook, RethinkDB's
/// `get_write_hook` and `set_write_hook`.
struct WriteHookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write-hook",
        abstract: "Show, set or remove a table's write hook, which every write to it applies.",
        discussion: """
            A write hook is a ReQL function of (context, old, new) that every write to the table (from this CLI, apps, `docstore serve`, any process) applies to each document it changes, inside the write's transaction; what it returns is stored. context holds the document's primary_key and the write's timestamp. It is given as the function's ReQL term in JSON, as a driver sends it (the term `set_write_hook` gets). The hook may change documents but not turn a write into a deletion or back. Writes given --ignore-write-hook skip it.

            Without --set or --clear, prints RethinkDB's get_write_hook result: {"function": <binary>, "query": "setWriteHook(...)"}, or null. --set and --clear print RethinkDB's result ({"created": 1}, {"replaced": 1} or {"deleted": 1}).

            Examples:
              # lambda ctx, old, new: new.merge({"ok": True}), as a driver sends it:
              docstore table write-hook posts \\
                --set '[69,[[2,[1,2,3]],[35,[[10,[3]],{"ok":true}]]]]'
              docstore table write-hook posts
              docstore table write-hook posts --clear
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The table.")
    var table: String

    @Option(help: ArgumentHelp("Set the hook to this ReQL function of three arguments, its JSON wire term.", valueName: "term"))
    var set: String?

    @Flag(help: "Remove the table's hook.")
    var clear = false

    func validate() throws {
        if set != nil && clear { throw ValidationError("Use either --set or --clear, not both.") }
    }

    func run() async throws {
        try await reportingFailures {
            // The term is checked before the file is opened, so a bad one changes nothing.
            let hook = try set.map { try WriteHook(reql: parseDocumentArgument($0, name: "write hook term")) }
            let store = try global.openStore()
            let table = store.table(self.table)
            if hook != nil || clear {
                Output.line(try await table.setWriteHook(hook).document.jsonString)
            } else {
                Output.line((try await table.writeHook()?.document ?? .null).jsonString)
            }
        }
    }
}
