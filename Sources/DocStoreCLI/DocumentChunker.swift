#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts a stream of JSON documents into chunks of whole documents, so an import of any size
/// is parsed and committed a bounded piece at a time and memory stays flat.
///
/// The input is either one JSON array of documents (the first non-blank byte is `[`) or NDJSON
/// (documents one after another, one per line; a pretty-printed document may span lines). The
/// chunker only tracks strings and nesting depth to find where documents end; the library's
/// parser does the real validation, and its line numbers are mapped back with `firstLine`.
struct DocumentChunker {
    enum Format { case array, ndjson }

    struct Chunk {
        /// Whole documents: a JSON array text for `.array`, NDJSON text for `.ndjson`.
        var bytes: [UInt8]
        var format: Format
        /// The input line the chunk's first byte is on (1-based).
        var firstLine: Int
        var documentCount: Int
        /// The input column (1-based, in bytes) of the chunk's first byte. For an array chunk
        /// that is the `[` the chunker put in front, which stands where the opening `[` or the
        /// separating `,` was, so a parser error on the chunk's first line maps back to the
        /// input's column (array chunks rarely start a line).
        var firstColumn = 1
    }

    private let read: (inout [UInt8]) throws -> Int
    let maxDocuments: Int
    let maxBytes: Int
    private(set) var format: Format?
    private var pending: [UInt8] = []
    private var scanned = 0
    private var chunkDocuments = 0
    private var lastBoundary = 0
    private var inString = false
    private var escaped = false
    private var depth = 0
    private var lineHasContent = false
    private var endOfInput = false
    private var arrayClosed = false
    private var afterComma = false
    private var line = 1
    /// The input column of `pending[0]`.
    private var column = 1
    private var block = [UInt8](repeating: 0, count: 1 << 20)

    /// - Parameter read: fills the buffer it is given and returns how many bytes it wrote (0 at
    ///   the end of the input).
    init(maxDocuments: Int = 10_000, maxBytes: Int = 8 << 20, read: @escaping (inout [UInt8]) throws -> Int) {
        self.maxDocuments = max(1, maxDocuments)
        self.maxBytes = max(1, maxBytes)
        self.read = read
    }

    /// A chunker over a file descriptor (a file or standard input).
    init(fileDescriptor: Int32, maxDocuments: Int = 10_000, maxBytes: Int = 8 << 20) {
        self.init(maxDocuments: maxDocuments, maxBytes: maxBytes) { buffer in
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress, $0.count) }
            if count < 0 { throw CommandFailure("Cannot read the input: \(String(cString: strerror(errno))).") }
            return count
        }
    }

    /// The next chunk, or nil at the end of the input.
    mutating func next() throws -> Chunk? {
        while true {
            if let chunk = try scan() { return chunk }
            if endOfInput { return finalChunk() }
            let count = try read(&block)
            if count == 0 {
                endOfInput = true
            } else {
                pending.append(contentsOf: block[0..<count])
            }
        }
    }

    /// Scans new bytes; returns a chunk once enough whole documents are pending.
    private mutating func scan() throws -> Chunk? {
        if arrayClosed { return nil }
        if format == nil {
            guard let first = pending.firstIndex(where: { !Self.isBlank($0) }) else { return nil }
            if pending[first] == UInt8(ascii: "[") {
                format = .array
                advancePosition(over: pending[...first])
                pending.removeSubrange(...first)
            } else {
                format = .ndjson
            }
        }
        while scanned < pending.count {
            // Most bytes are string contents or plain values; skip runs of them in a tight loop
            // instead of going through the state machine byte by byte.
            if !escaped {
                let (next, sawContent) = Self.skipRun(pending, from: scanned, inString: inString)
                if sawContent { lineHasContent = true }
                scanned = next
                if scanned >= pending.count { break }
            }
            let byte = pending[scanned]
            scanned += 1
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true; lineHasContent = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; lineHasContent = true
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if format == .array && depth == 0 && byte == UInt8(ascii: "]") {
                    if afterComma && !lineHasContent {
                        let at = line + pending[..<scanned].count(where: { $0 == UInt8(ascii: "\n") })
                        throw CommandFailure("Invalid JSON at line \(at): a ',' before the array's closing ']' (a trailing comma is not JSON).")
                    }
                    arrayClosed = true
                    if lineHasContent { chunkDocuments += 1 }
                    lastBoundary = scanned - 1
                    let chunk = makeChunk(upTo: lastBoundary, skipping: 1)
                    return chunk.documentCount > 0 || !chunk.bytes.isEmpty ? chunk : nil
                }
                depth -= 1
            case UInt8(ascii: ","):
                if format == .array && depth == 0 {
                    afterComma = true
                    chunkDocuments += 1
                    lastBoundary = scanned
                    lineHasContent = false
                    if chunkDocuments >= maxDocuments || lastBoundary >= maxBytes {
                        return makeChunk(upTo: lastBoundary - 1, skipping: 1)
                    }
                }
            case UInt8(ascii: "\n"):
                if format == .ndjson && depth == 0 {
                    if lineHasContent { chunkDocuments += 1 }
                    lineHasContent = false
                    lastBoundary = scanned
                    if chunkDocuments >= maxDocuments || lastBoundary >= maxBytes {
                        return makeChunk(upTo: lastBoundary, skipping: 0)
                    }
                }
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): break
            default: lineHasContent = true
            }
        }
        return nil
    }

    /// Cuts `pending[..<end]` off as a chunk and drops `skipping` separator bytes after it.
    private mutating func makeChunk(upTo end: Int, skipping: Int) -> Chunk {
        let body = pending[..<end]
        var bytes: [UInt8]
        if format == .array {
            bytes = [UInt8(ascii: "[")]
            bytes.append(contentsOf: body)
            bytes.append(UInt8(ascii: "]"))
        } else {
            bytes = Array(body)
        }
        let chunk = Chunk(bytes: bytes, format: format ?? .ndjson, firstLine: line, documentCount: chunkDocuments,
                          firstColumn: format == .array ? column - 1 : column)
        advancePosition(over: pending[..<min(pending.count, end + skipping)])
        pending.removeSubrange(..<min(pending.count, end + skipping))
        scanned -= end + skipping
        lastBoundary = 0
        chunkDocuments = 0
        return chunk
    }

    /// Whatever is left at the end of the input: the last documents, or text the parser will
    /// reject with a precise message (an unclosed array, a cut-off document).
    private mutating func finalChunk() -> Chunk? {
        if format == .array && arrayClosed {
            guard let garbage = pending.firstIndex(where: { !Self.isBlank($0) }) else { return nil }
            // Hand the parser the stray text after the array, so it reports it with its line.
            let bytes = Array(pending[garbage...])
            advancePosition(over: pending[..<garbage])
            pending.removeAll()
            return Chunk(bytes: bytes, format: .ndjson, firstLine: line, documentCount: 0, firstColumn: column)
        }
        guard pending.contains(where: { !Self.isBlank($0) }) || format == .array else { return nil }
        if lineHasContent { chunkDocuments += 1 }
        var bytes = pending
        if format == .array {
            // No closing bracket: give the parser the unclosed array so it says so.
            bytes.insert(UInt8(ascii: "["), at: 0)
        }
        let chunk = Chunk(bytes: bytes, format: format ?? .ndjson, firstLine: line, documentCount: chunkDocuments,
                          firstColumn: format == .array ? column - 1 : column)
        pending.removeAll()
        chunkDocuments = 0
        format = format ?? .ndjson
        arrayClosed = true
        return chunk
    }

    /// Moves `line` and `column` past bytes cut off the front of `pending`.
    private mutating func advancePosition(over removed: ArraySlice<UInt8>) {
        if let lastNewline = removed.lastIndex(of: UInt8(ascii: "\n")) {
            line += removed.count(where: { $0 == UInt8(ascii: "\n") })
            column = removed.endIndex - lastNewline
        } else {
            column += removed.count
        }
    }

    /// Bytes outside strings that change no state: everything but quotes, brackets, braces,
    /// commas and white space.
    private static let plainOutsideStrings: [Bool] = (0...255).map { byte in
        !"\"{}[],\n\r\t ".utf8.contains(UInt8(byte))
    }

    /// Where the run of state-free bytes starting at `start` ends, and whether it held any.
    private static func skipRun(_ bytes: [UInt8], from start: Int, inString: Bool) -> (Int, Bool) {
        bytes.withUnsafeBufferPointer { buffer in
            var index = start
            if inString {
                while index < buffer.count && buffer[index] != UInt8(ascii: "\"") && buffer[index] != UInt8(ascii: "\\") {
                    index += 1
                }
                return (index, false)
            }
            plainOutsideStrings.withUnsafeBufferPointer { plain in
                while index < buffer.count && plain[Int(buffer[index])] { index += 1 }
            }
            return (index, index > start)
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
}
