import ArgumentParser
import DocumentStore

/// `docstore table create|drop|rename|list|change-log|write-hook`: RethinkDB's `table_create`,
/// `table_drop`, a `table_config` rename, `table_list`, the switch of a table's change log,
/// and its write hook.
struct TableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Create, drop, rename and list tables.",
        discussion: """
            Tables live in the --db file, one SQLite table each, listed in its docstore_tables catalog.

            Examples:
              docstore table create marvel --primary-key superhero
              docstore table list
              docstore table rename marvel heroes
              docstore table drop heroes
              docstore table change-log orders on --keep-count 50000
              docstore table write-hook posts --set "$(cat hook.json)"
            """,
        subcommands: [Create.self, Drop.self, Rename.self, List.self, ChangeLogCommand.self, WriteHookCommand.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a table and print RethinkDB's result.",
            discussion: """
                Examples:
                  docstore table create marvel
                  docstore table create users --primary-key email --durability soft
                  docstore table create orders --change-log --keep-count 50000
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The table name (A-Z, a-z, 0-9, _ and -).")
        var name: String

        @Option(help: ArgumentHelp("The key field of its documents.", valueName: "field"))
        var primaryKey = "id"

        @Option(help: ArgumentHelp("The default durability of its writes.", valueName: "level"))
        var durability = DurabilityArgument(argument: "hard")

        @Flag(help: "Record every change of the table, for `docstore changes` and feeds.")
        var changeLog = false

        @OptionGroup var retention: RetentionOptions

        func run() async throws {
            try await reportingFailures {
                let level = try durability.value()
                let store = try global.openStore()
                let log: ChangeLog = changeLog ? .on(retention.value) : .off
                Output.line(try await store.tableCreate(name, primaryKey: primaryKey, durability: level, changeLog: log).document.jsonString)
            }
        }
    }

    struct Drop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drop a table and every document in it.",
            discussion: """
                Example:
                  docstore table drop marvel
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The table to drop.")
        var name: String

        func run() async throws {
            try await reportingFailures {
                let store = try global.openStore()
                Output.line(try await store.tableDrop(name).document.jsonString)
            }
        }
    }

    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rename a table, keeping its documents, indexes, write hook and change log.",
            discussion: """
                Prints the table's config before and after, as RethinkDB's config_changes.

                Example:
                  docstore table rename marvel heroes
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The table to rename.")
        var name: String

        @Argument(help: "Its new name (A-Z, a-z, 0-9, _ and -).")
        var newName: String

        func run() async throws {
            try await reportingFailures {
                let store = try global.openStore()
                Output.line(try await store.tableRename(name, to: newName).document.jsonString)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the table names as a JSON array.",
            discussion: """
                Example:
                  docstore table list
                """
        )

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await reportingFailures {
                let store = try global.openStore()
                let names = try await store.tableList()
                Output.line(Document.array(names.map(Document.string)).jsonString)
            }
        }
    }
}
