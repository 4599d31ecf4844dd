import ArgumentParser
import DocumentStore

/// `docstore between`: RethinkDB's `table.between(low, high, index=, left_bound=, right_bound=)`.
struct BetweenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "between",
        abstract: "Print the documents whose index value lies between two bounds, one per line.",
        usage: "docstore between <table> <low> <high> [--index <name>] [--left-bound <kind>] [--right-bound <kind>] [--desc] [--limit <n>] [--db <path>]",
        discussion: """
            LOW and HIGH are JSON values (a word that is not JSON is a string), or minval and maxval for no bound on that side. The range includes LOW and leaves out HIGH unless --left-bound and --right-bound say otherwise. Without --index, the range is over the primary key. Only the entries in the range are read, a page at a time, and each document is printed as soon as it is read, in index order (largest first with --desc).

            A compound index's bounds are arrays; inside one, {"$reql_type$": "MINVAL"} and {"$reql_type$": "MAXVAL"} stand for r.minval and r.maxval.

            Examples:
              docstore between users 18 65 --index age
              docstore between users 65 maxval --index age --left-bound open
              docstore between users minval '"m"' --limit 10
              docstore between users '["Paris", 30]' '["Paris", 40]' \\
                --index cityAge --right-bound closed
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The table to read.")
    var table: String

    /// LOW and HIGH, collected so that `-5` is a bound (see ``Operands``).
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The lower bound, then the upper one.", valueName: "low> <high"))
    var operands: [String] = []

    @Option(help: ArgumentHelp("The secondary index to read (the primary key when not given).", valueName: "name"))
    var index: String?

    @Option(help: ArgumentHelp("Whether LOW itself is in the range.", valueName: "kind"))
    var leftBound = BoundArgument(argument: "closed")

    @Option(help: ArgumentHelp("Whether HIGH itself is in the range.", valueName: "kind"))
    var rightBound = BoundArgument(argument: "open")

    @OptionGroup var range: RangeOptions

    mutating func validate() throws {
        operands = try Operands.exactly(["low", "high"], in: operands)
    }

    func run() async throws {
        try await reportingFailures {
            let left = try leftBound.value(optarg: "left_bound")
            let right = try rightBound.value(optarg: "right_bound")
            let limit = try range.checkedLimit()
            let store = try global.openStore()
            var documents = store.table(table)
                .between(Self.bound(operands[0]), Self.bound(operands[1]), index: index, leftBound: left, rightBound: right)
                .pageSize(RangeOptions.pageSize(for: limit))
            if range.desc { documents = documents.ordered(.descending) }
            try await Output.documents(documents, limit: limit)
        }
    }

    /// `minval`, `maxval`, or a value read as `get` reads a key.
    static func bound(_ text: String) -> IndexBound {
        switch text {
        case "minval": .minval
        case "maxval": .maxval
        default: .value(GetCommand.parseKey(text))
        }
    }
}
