import DocumentStore
import Foundation

/// An import of a file or standard input, one transaction per chunk of documents.
struct ChunkedImport {
    let table: Table
    let options: InsertOptionsParser
    let chunkSize: Int

    func run(path: String) async throws -> WriteResult {
        let descriptor: Int32
        if path == "-" {
            descriptor = 0
        } else {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                let reason = String(cString: strerror(errno))
                throw CommandFailure("Cannot read `\(path)`: \(reason). Give a readable file, - for standard input, or the JSON itself (starting with { or [).")
            }
        }
        defer { if descriptor != 0 { close(descriptor) } }
        var chunker = DocumentChunker(fileDescriptor: descriptor, maxDocuments: chunkSize)
        var total = WriteResult()
        var committed = 0
        var progress = Progress(enabled: Output.stderrIsTerminal)
        let single = options.returnValues == true
        if single {
            // RETURN_VALS needs the document in one call: read it whole (it is one document).
            var bytes: [UInt8] = []
            while let chunk = try chunker.next() { bytes.append(contentsOf: chunk.bytes) }
            return try await options.insert(ndjson: bytes, into: table)
        }
        while let chunk = try chunker.next() {
            let result: WriteResult
            do {
                switch chunk.format {
                case .array: result = try await options.insert(json: chunk.bytes, into: table)
                case .ndjson: result = try await options.insert(ndjson: chunk.bytes, into: table)
                }
            } catch let error as JSONSyntaxError {
                var located = error
                located.line += chunk.firstLine - 1
                throw CommandFailure("\(located.description) \(committed) documents were committed before it; the rest of the input was not read.")
            } catch let error as DocumentStoreError {
                throw CommandFailure("\(error.message) (in the documents from line \(chunk.firstLine); \(committed) documents were committed before them).")
            }
            total.merge(result)
            committed += result.inserted + result.replaced + result.deleted
            progress.update(documents: total.inserted + total.replaced + total.unchanged + total.errors + total.deleted)
        }
        progress.finish()
        return total
    }
}

/// A one-line progress report on stderr, only when stderr is a terminal.
struct Progress {
    let enabled: Bool
    private let start = ContinuousClock.now
    private var lastDraw = ContinuousClock.now

    init(enabled: Bool) { self.enabled = enabled }

    mutating func update(documents: Int) {
        guard enabled else { return }
        let now = ContinuousClock.now
        guard now - lastDraw > .milliseconds(200) else { return }
        lastDraw = now
        draw(documents: documents, now: now)
    }

    private func draw(documents: Int, now: ContinuousClock.Instant) {
        let elapsed = now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Int(Double(documents) / seconds) : 0
        let text = "\r\(documents) documents  \(rate) docs/s  \(String(format: "%.1f", seconds)) s"
        FileHandle.standardError.write(Data(text.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
