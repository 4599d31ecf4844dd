import ArgumentParser
import DocumentStore
import Foundation

/// `docstore export`: every document of a table, in a format `rethinkdb import` reads.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write all documents of a table to standard output.",
        discussion: """
            --format json writes one JSON array (a document per line), which `rethinkdb import -f FILE --table db.table` reads; ndjson writes one document per line.

            Examples:
              docstore export marvel > marvel.json
              docstore export marvel --format ndjson |
                docstore --db copy.sqlite insert marvel -
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, ndjson

        static var allValueDescriptions: [String: String] {
            ["json": "one JSON array, a document per line", "ndjson": "a document per line"]
        }
    }

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The table to export.")
    var table: String

    @Option(help: "The output format.")
    var format: Format = .json

    func run() async throws {
        try await reportingFailures {
            let store = try global.openStore()
            var writer = BufferedOutput()
            var first = true
            if format == .json { writer.write("[") }
            for try await document in store.table(table).documents() {
                switch format {
                case .json: writer.write(first ? "\n" : ",\n")
                case .ndjson: if !first { writer.write("\n") }
                }
                writer.write(document.jsonBytes)
                first = false
            }
            switch format {
            case .json: writer.write(first ? "]\n" : "\n]\n")
            case .ndjson: if !first { writer.write("\n") }
            }
            writer.flush()
        }
    }
}

/// Collects output and writes it to stdout in large pieces: one write per document would
/// make a large export spend its time in system calls.
struct BufferedOutput {
    private var buffer: [UInt8] = []

    mutating func write(_ text: String) { write(Array(text.utf8)) }

    mutating func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
