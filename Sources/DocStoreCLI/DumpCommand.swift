import ArgumentParser
import DocumentStore
import Foundation

/// `docstore dump`: the file's tables as a `rethinkdb dump` archive, which `rethinkdb restore`
/// loads into a RethinkDB cluster and `docstore restore` into another file.
struct DumpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Write tables to a RethinkDB dump archive (tar.gz).",
        discussion: """
            The archive has RethinkDB's layout (rethinkdb_dump_<date>/<db>/<table>.json and .info), with each secondary index in RethinkDB's own binary form, so `rethinkdb restore` loads it into a RethinkDB cluster. The database is the file's (test). Without tables, every table is dumped.

            Examples:
              docstore dump -f backup.tar.gz
              docstore dump -f marvel.tar.gz test.marvel
              rethinkdb restore backup.tar.gz -c cluster:28015
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: [.customShort("f"), .customLong("file")],
            help: ArgumentHelp("The archive to write (default: rethinkdb_dump_<date>T<time>.tar.gz).", valueName: "FILE"))
    var file: String?

    @Flag(name: .customLong("overwrite-file"), help: "Replace FILE if it exists.")
    var overwrite = false

    @Argument(help: ArgumentHelp("Tables to dump: TABLE, DB.TABLE or DB.", valueName: "DB.TABLE"))
    var tables: [String] = []

    func run() async throws {
        try await reportingFailures {
            let path = file ?? DocumentStore.dumpDirectoryName(Date()) + ".tar.gz"
            if FileManager.default.fileExists(atPath: path) && !overwrite {
                throw CommandFailure("Output file already exists: \(path)")
            }
            let store = try global.openStore()
            let summary = try await store.dump(to: path, tables: tables)
            Output.line("Dumped \(summary.documents) documents, \(summary.indexes) indexes of \(summary.tables.count) tables to \(path).")
        }
    }
}
