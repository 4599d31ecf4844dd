import ArgumentParser
import DocumentStore

/// `docstore table create|drop|list`: RethinkDB's `table_create`, `table_drop`, `table_list`.
struct TableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Create, drop and list tables.",
        // `--help` of every command shows examples; this one had none.
        discussion: """
            Examples:
              docstore table create marvel --primary-key superhero
              docstore table list
              docstore table drop marvel
            """,
        subcommands: [Create.self, Drop.self, List.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a table and print RethinkDB's result.",
            discussion: """
                Examples:
                  docstore table create marvel
                  docstore table create users --primary-key email --durability soft
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The table name (A-Z, a-z, 0-9, _ and -).")
        var name: String

        @Option(help: ArgumentHelp("The key field of its documents.", valueName: "field"))
        var primaryKey = "id"

        @Option(help: ArgumentHelp("The default durability of its writes: hard or soft.", valueName: "level"))
        var durability = "hard"

        func run() async throws {
            try await reportingFailures {
                let level = try Durability(option: durability)
                let store = try global.openStore()
                Output.line(try await store.tableCreate(name, primaryKey: primaryKey, durability: level).document.jsonString)
            }
        }
    }

    struct Drop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drop a table and every document in it.",
            discussion: "Example:\n  docstore table drop marvel"
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

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the table names as a JSON array.",
            discussion: "Example:\n  docstore table list"
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
