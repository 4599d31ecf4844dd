import ArgumentParser
import DocumentStore

/// `docstore scan`: RethinkDB's `table`, or `table.order_by(index=...)`, with `limit`.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Print a table's documents, one per line, in storage order or an index's order.",
        discussion: """
            Documents are read a page at a time and each is printed as soon as it is read, so a large table never sits in memory and --limit reads no more than it prints. Without --order-by the order is the storage order (unspecified, as in RethinkDB); with it, the order of the index's values (the primary key's name orders by key).

            Examples:
              docstore scan users --limit 5
              docstore scan users --order-by age --desc --limit 10
              docstore scan users --order-by id > users.ndjson
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The table to read.")
    var table: String

    @Option(help: ArgumentHelp("Read in the order of this index (or of the primary key, by its name).", valueName: "index"))
    var orderBy: String?

    @OptionGroup var range: RangeOptions

    func validate() throws {
        if range.desc && orderBy == nil {
            throw ValidationError("--desc needs --order-by <index> (the primary key's name orders by key).")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let limit = try range.checkedLimit()
            let store = try global.openStore()
            let table = store.table(table)
            let pageSize = RangeOptions.pageSize(for: limit)
            if let orderBy {
                let documents = table.orderBy(index: orderBy, range.desc ? .descending : .ascending).pageSize(pageSize)
                try await Output.documents(documents, limit: limit)
            } else {
                try await Output.documents(table.documents(pageSize: pageSize), limit: limit)
            }
        }
    }
}
