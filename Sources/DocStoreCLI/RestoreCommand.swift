import ArgumentParser
import DocumentStore

/// `docstore restore`: a `rethinkdb dump` archive (from a RethinkDB cluster or `docstore
/// dump`) into the file.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Load a RethinkDB dump archive (tar.gz) into the file.",
        discussion: """
            Creates each table of the archive with its primary key, inserts its documents and creates its secondary indexes from RethinkDB's definitions. The tables must come from one database of the archive (choose with -i). An index DocStore cannot read is reported and skipped; the documents are restored all the same.

            Examples:
              rethinkdb dump -c cluster:28015 -e heroes -f heroes.tar.gz
              docstore --db heroes.sqlite restore heroes.tar.gz
              docstore restore backup.tar.gz -i test.marvel --force
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The archive to read.", valueName: "FILE"))
    var file: String

    @Option(name: [.customShort("i"), .customLong("import")],
            help: ArgumentHelp("Restore only this database or table (may be given more than once).", valueName: "DB|DB.TABLE"))
    var tables: [String] = []

    @Flag(help: "Import into tables that already exist (documents with the same key are replaced).")
    var force = false

    @Flag(name: .customLong("no-secondary-indexes"), help: "Do not create secondary indexes.")
    var noSecondaryIndexes = false

    func run() async throws {
        try await reportingFailures {
            let store = try global.openStore()
            let options = RestoreOptions(force: force, secondaryIndexes: !noSecondaryIndexes, tables: tables)
            let summary = try await store.restore(from: file, options: options)
            for (index, reason) in summary.skippedIndexes.sorted(by: { $0.key < $1.key }) {
                Output.error("Warning: index \(index) was not created: \(reason)")
            }
            for (table, reason) in summary.skippedWriteHooks.sorted(by: { $0.key < $1.key }) {
                Output.error("Warning: the write hook of \(table) was not set: \(reason)")
            }
            Output.line("Restored \(summary.documents) documents, \(summary.indexes) indexes of \(summary.tables.count) tables from \(file).")
        }
    }
}
