import DocumentStore
import Foundation
import Synchronization

/// An import of a file or standard input through the library's
/// `Table.importDocuments(from:chunkSize:options:progress:)`, which reads, parses and commits
/// it chunk by chunk; this opens the input, counts its bytes for the progress line and words
/// the failures for a shell.
struct ChunkedImport {
    let table: Table
    let options: InsertArguments
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
        // The library reads nothing after `importDocuments` returns, so closing here is safe.
        defer { if descriptor != 0 { close(descriptor) } }
        let counters = ImportCounters()
        let source = DocumentSource { buffer in
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 { throw CommandFailure("Cannot read the input: \(String(cString: strerror(errno))).") }
            counters.bytes.add(count, ordering: .relaxed)
            return count
        }
        let totalBytes = Self.size(of: descriptor)
        let progress = Output.stderrIsTerminal ? TerminalProgress { elapsed, width in
            ProgressLine.render(bytesDone: counters.bytes.load(ordering: .relaxed), totalBytes: totalBytes, elapsed: elapsed,
                                documents: counters.documents.load(ordering: .relaxed), width: width)
        } : nil
        defer { progress?.stop() }
        do {
            return try await table.importDocuments(from: source, chunkSize: chunkSize, options: options.combined()) { total in
                counters.documents.store(total.inserted + total.replaced + total.unchanged + total.errors + total.deleted,
                                         ordering: .relaxed)
            }
        } catch let error as ImportError {
            let committed = Self.documents(error.committed.inserted + error.committed.replaced + error.committed.deleted)
            switch error.cause {
            case let syntax as JSONSyntaxError:
                throw CommandFailure("\(syntax.description) \(committed) committed before it; the rest of the input was not read.")
            case let failure as DocumentStoreError:
                throw CommandFailure("\(failure.message) (in the documents from line \(error.line); \(committed) committed before them).")
            default:
                throw error.cause
            }
        }
    }

    /// "1 document was" / "N documents were", for the failure messages.
    static func documents(_ count: Int) -> String {
        count == 1 ? "1 document was" : "\(count) documents were"
    }

    /// The size of a regular file (standard input redirected from one included), nil for a
    /// pipe or a terminal, whose end is not known in advance.
    static func size(of descriptor: Int32) -> Int? {
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(status.st_size)
    }
}

/// What an import has done so far, shared between the reading task, the inserting loop and the
/// progress line's ticker.
final class ImportCounters: Sendable {
    /// Bytes read from the input (the library reads ahead by at most a block and a chunk).
    let bytes = Atomic<Int>(0)
    /// Documents committed (inserted, replaced, unchanged, failed or deleted).
    let documents = Atomic<Int>(0)
}
