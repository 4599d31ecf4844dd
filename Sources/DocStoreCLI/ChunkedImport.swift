import DocumentStore
import Foundation
import Synchronization

/// An import of a file or standard input, one transaction per chunk of documents.
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
        defer { if descriptor != 0 { close(descriptor) } }
        if options.returnValues == true {
            // RETURN_VALS needs the document in one call: read the input whole and insert it as
            // the same text given as an argument would be, so a JSON array is refused as a
            // multi-row insert here too (joining array chunks as NDJSON made it an ARRAY document).
            let bytes = try Self.readAll(descriptor)
            let first = bytes.first { ![UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r")].contains($0) }
            if first == UInt8(ascii: "[") {
                return try await options.insert(json: bytes, into: table)
            }
            return try await options.insert(ndjson: bytes, into: table)
        }
        let counters = ImportCounters()
        let reader = ChunkReader(DocumentChunker(maxDocuments: chunkSize) { buffer in
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 { throw CommandFailure("Cannot read the input: \(String(cString: strerror(errno))).") }
            counters.bytes.add(count, ordering: .relaxed)
            return count
        })
        var total = WriteResult()
        var committed = 0
        let progress = Output.stderrIsTerminal
            ? ImportProgress(counters: counters, totalBytes: Self.size(of: descriptor)) : nil
        defer { progress?.stop() }
        // The next chunk is read and cut while the current one is inserted.
        var next = Task.detached { try reader.next() }
        defer { next.cancel() }
        while let chunk = try await next.value {
            next = Task.detached { try reader.next() }
            let result: WriteResult
            do {
                switch chunk.format {
                case .array: result = try await options.insert(json: chunk.bytes, into: table)
                case .ndjson: result = try await options.insert(ndjson: chunk.bytes, into: table)
                }
            } catch let error as JSONSyntaxError {
                _ = try? await next.value  // let the read in flight finish before the file closes
                var located = error
                // On the chunk's first line, columns count from where the chunk starts.
                if located.line == 1 { located.column += chunk.firstColumn - 1 }
                located.line += chunk.firstLine - 1
                throw CommandFailure("\(located.description) \(Self.documents(committed)) committed before it; the rest of the input was not read.")
            } catch let error as DocumentStoreError {
                _ = try? await next.value
                throw CommandFailure("\(error.message) (in the documents from line \(chunk.firstLine); \(Self.documents(committed)) committed before them).")
            }
            total.merge(result)
            committed += result.inserted + result.replaced + result.deleted
            counters.documents.store(total.inserted + total.replaced + total.unchanged + total.errors + total.deleted,
                                     ordering: .relaxed)
        }
        return total
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

    /// All of the input, for the one-document `--return-vals` case.
    private static func readAll(_ descriptor: Int32) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 { throw CommandFailure("Cannot read the input: \(String(cString: strerror(errno))).") }
            if count == 0 { return bytes }
            bytes.append(contentsOf: block[0..<count])
        }
    }
}

/// The chunker behind a reference, so a detached task can read the next chunk while the
/// current one is inserted.
///
/// `@unchecked Sendable`: the import awaits each `next()` before it starts another, so the
/// chunker is never used by two tasks at once.
final class ChunkReader: @unchecked Sendable {
    private var chunker: DocumentChunker

    init(_ chunker: DocumentChunker) {
        self.chunker = chunker
    }

    func next() throws -> DocumentChunker.Chunk? {
        try chunker.next()
    }
}
