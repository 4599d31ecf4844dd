import ArgumentParser
import DocumentStore

/// `docstore index create|list|drop|rename|status`: RethinkDB's `index_create`, `index_list`,
/// `index_drop`, `index_rename` and `index_status`.
struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Create, list, drop, rename secondary indexes and show their state.",
        discussion: """
            A secondary index finds documents by a field (or a nested field, or an array of fields) without reading the whole table; read through one with `docstore get --index`, `docstore between --index` and `docstore scan --order-by`. Every write keeps its entries exact, in its own transaction. Its entries live in a SQLite table named TABLE$NAME, which the sqlite3 shell lists.

            Examples:
              docstore index create users email
              docstore index create users city --field address.city
              docstore index create users cityAge --compound address.city,age
              docstore index create users tags --multi
              docstore index status users
            """,
        subcommands: [Create.self, List.self, Drop.self, Rename.self, Status.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an index, wait until it is built and print RethinkDB's result.",
            discussion: """
                With neither --field nor --compound, the index is the field called NAME, as in RethinkDB. A dot separates nested fields. On a table that has documents the index is built in chunks before the result is printed; on a terminal, stderr shows its progress. Interrupted, the build goes on in the next command that opens the file.

                Examples:
                  docstore index create users email
                  docstore index create users city --field address.city
                  docstore index create users cityAge --compound address.city,age
                  docstore index create users tags --multi
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The table to index.")
        var table: String

        @Argument(help: "The index's name.")
        var name: String

        @Option(help: ArgumentHelp("Index this field instead of the one called NAME (a.b: the field b of the object a).",
                                   valueName: "path"))
        var field: String?

        @Option(help: ArgumentHelp("Index an array of these fields, comma-separated (a RethinkDB compound index); may be repeated to add fields.",
                                   valueName: "paths"))
        var compound: [String] = []

        @Flag(help: "Give each element of an array value an entry of its own (RethinkDB's multi index).")
        var multi = false

        func validate() throws {
            if field != nil && !compound.isEmpty {
                throw ValidationError("--field and --compound cannot be used together.")
            }
            _ = try function()
        }

        /// What `--field` or `--compound` asks for; nil for the field called NAME.
        func function() throws -> IndexFunction? {
            if let field { return .field(path: try Self.path(field, option: "--field")) }
            guard !compound.isEmpty else { return nil }
            let paths = try compound.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
                .map { try Self.path(String($0), option: "--compound") }
            return .compound(paths: paths)
        }

        /// `address.city` as the path `["address", "city"]`; an empty part is a mistake.
        static func path(_ text: String, option: String) throws -> [String] {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            if parts.contains(where: \.isEmpty) {
                throw ValidationError("\(option) takes field names separated by dots (got '\(text)').")
            }
            return parts
        }

        func run() async throws {
            try await reportingFailures {
                let store = try global.openStore()
                let table = store.table(table)
                let change = try await table.indexCreate(name, try function(), multi: multi)
                try await IndexBuildWait(table: table, index: name).run(showingProgress: Output.stderrIsTerminal)
                Output.line(change.document.jsonString)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a table's index names as a JSON array.",
            discussion: """
                Example:
                  docstore index list users
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The table.")
        var table: String

        func run() async throws {
            try await reportingFailures {
                let names = try await global.openStore().table(table).indexList()
                Output.line(Document.array(names.map(Document.string)).jsonString)
            }
        }
    }

    struct Drop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drop an index and its entries.",
            discussion: """
                Example:
                  docstore index drop users email
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The table.")
        var table: String

        @Argument(help: "The index to drop.")
        var name: String

        func run() async throws {
            try await reportingFailures {
                Output.line(try await global.openStore().table(table).indexDrop(name).document.jsonString)
            }
        }
    }

    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rename an index.",
            discussion: """
                Without --overwrite, renaming to the name of another index fails; with it, that index is dropped first.

                Example:
                  docstore index rename users email mail --overwrite
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The table.")
        var table: String

        @Argument(help: "The index's name now.")
        var old: String

        @Argument(help: "Its new name.")
        var new: String

        @Flag(help: "Drop an index already called NEW.")
        var overwrite = false

        func run() async throws {
            try await reportingFailures {
                let change = try await global.openStore().table(table).indexRename(old, to: new, overwrite: overwrite)
                Output.line(change.document.jsonString)
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the state of a table's indexes as a JSON array.",
            discussion: """
                One object per index (the named ones, or all), as RethinkDB's index_status gives: ready, progress while it is built, multi, geo, outdated, function (its definition, as a BINARY value) and query (the definition as text).

                Examples:
                  docstore index status users
                  docstore index status users email tags
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The table.")
        var table: String

        @Argument(help: "The indexes to show (all of them when none is named).")
        var names: [String] = []

        func run() async throws {
            try await reportingFailures {
                let statuses = try await global.openStore().table(table).indexStatus(names)
                Output.line(Document.array(statuses.map(\.document)).jsonString)
            }
        }
    }
}
