import DocumentModel

/// Reads an import's documents from a ``DocumentSource`` into prepared batches of at most
/// `maxDocuments`, parsing each document once, straight from the read buffer.
///
/// The input is one JSON array of documents when its first non-blank byte is `[`, otherwise
/// NDJSON: documents one after another, each ending its line (a pretty-printed document may
/// span lines; a second value on a document's last line is refused). The parser finds where a
/// document ends, so nothing scans the text before it; a document cut by the end of the buffer
/// makes the parse fail or stop at that end, and is parsed again after a refill.
///
/// `@unchecked Sendable`: an import hands each ``nextChunk()`` to one serial queue and awaits it
/// before asking for the next, so the reader is never used by two threads at once.
final class DocumentStreamReader: @unchecked Sendable {
    enum Format: Sendable { case array, ndjson }

    private enum State {
        case start, ndjson, arrayStart, arrayElement, arrayAfterComma, afterArray, done
    }

    /// What follows a parsed document.
    private enum Ending {
        case complete
        case needMore
        case invalid(String, Int)
    }

    private let buffer: ImportBuffer
    private let primaryKey: String
    private let keys: DocumentStore.KeyGeneration
    let maxDocuments: Int
    let maxBytes: Int
    private var parser: JSONCanonicalizer
    private var generator = UUIDGenerator()
    private var state = State.start
    private(set) var format: Format?
    /// The position in `buffer.input`.
    private var index = 0
    /// The line of the first document of the chunk being read (or of where it starts, before
    /// its first document), for errors about the chunk.
    private(set) var chunkLine = 1
    private var lastShape = (bytes: 0, documents: 0)

    /// The longest token the parser can fail on before reaching its end (`Infinity`): a parse
    /// that fails this close to the end of the buffer may only be short of bytes.
    private static let lookahead = 8
    static let ndjsonLineEnd = "Expected the end of the line after a document (NDJSON holds one document per line)"
    static let arrayElementEnd = "Expected ',' or ']' after an array element"
    static let trailingComma = "A ',' before the array's closing ']' (a trailing comma is not JSON)"

    /// - Parameters:
    ///   - maxDocuments: the most documents a chunk holds.
    ///   - maxBytes: a chunk ends at the first document past this much canonical text, so a
    ///     file of large documents is still committed in pieces of bounded memory.
    ///   - blockSize: how much the buffer reads at a time (small in tests, to cut documents).
    init(source: DocumentSource, primaryKey: String, keys: DocumentStore.KeyGeneration, maxDocuments: Int,
         maxBytes: Int = 8 << 20, blockSize: Int = 1 << 20) {
        buffer = ImportBuffer(source: source, blockSize: blockSize)
        self.primaryKey = primaryKey
        self.keys = keys
        self.maxDocuments = max(1, maxDocuments)
        self.maxBytes = max(1, maxBytes)
        parser = JSONCanonicalizer(primaryKey: primaryKey)
    }

    /// The next documents, or nil when the input holds no more.
    ///
    /// - Throws: ``JSONSyntaxError`` with the line and column in the whole input (what was read
    ///   of this chunk is dropped), or the source's error.
    func nextChunk() throws -> ImportChunk? {
        var batch = PreparedBatch()
        batch.bytes.reserveCapacity(lastShape.bytes + lastShape.bytes / 8)
        batch.documents.reserveCapacity(lastShape.documents)
        chunkLine = buffer.location(of: index).line
        while batch.documents.count < maxDocuments && batch.bytes.count < maxBytes {
            guard try advanceToDocument() else { break }
            if batch.documents.isEmpty { chunkLine = buffer.location(of: index).line }
            try readDocument(into: &batch)
        }
        guard !batch.documents.isEmpty, let format else { return nil }
        lastShape = (batch.bytes.count, batch.documents.count)
        return ImportChunk(batch: batch, format: format, firstLine: chunkLine)
    }

    /// Moves to the first byte of the next document, through the array's punctuation; false
    /// when no document is left.
    private func advanceToDocument() throws -> Bool {
        while true {
            switch state {
            case .done:
                return false
            case .start:
                guard try skipBlanks() else {
                    state = .done
                    return false
                }
                if buffer.input[index] == UInt8(ascii: "[") {
                    index += 1
                    format = .array
                    state = .arrayStart
                } else {
                    format = .ndjson
                    state = .ndjson
                }
            case .ndjson:
                guard try skipBlanks() else {
                    state = .done
                    return false
                }
                return true
            case .arrayStart:
                if try skipBlanks(), buffer.input[index] == UInt8(ascii: "]") {
                    index += 1
                    state = .afterArray
                } else {
                    state = .arrayElement  // at the end of the input, the parser says a value is missing
                }
            case .arrayAfterComma:
                if try skipBlanks(), buffer.input[index] == UInt8(ascii: "]") {
                    throw syntaxError(Self.trailingComma, at: index)
                }
                state = .arrayElement
            case .arrayElement:
                return true
            case .afterArray:
                guard try skipBlanks() else {
                    state = .done
                    return false
                }
                throw syntaxError("Unexpected data after the JSON value", at: index)
            }
        }
    }

    /// Parses the document at `index` and what must follow it (the end of its line, or the
    /// array's `,` or `]`), parsing it again after a refill when the buffer ended first.
    private func readDocument(into batch: inout PreparedBatch) throws {
        while true {
            let start = index
            let mark = (documents: batch.documents.count, bytes: batch.bytes.count, keys: batch.generatedKeys.count)
            // The parser sees the buffer from the document on, so the line count an error of
            // its own makes covers the document only; the whole input's line is worked out below.
            let input = UnsafeBufferPointer(rebasing: buffer.input[start...])
            var position = 0
            let ending: Ending
            do throws(JSONSyntaxError) {
                try batch.appendParsed(input, &position, parser: &parser, primaryKey: primaryKey, generator: &generator, keys: keys)
                ending = format == .array ? endOfElement(input, &position) : endOfLine(input, &position)
            } catch {
                // On a throw, `position` is where the parser stopped (inout is written back): a
                // document cut by the buffer's end fails there or up to a token before it.
                let near = max(position, error.offset) + Self.lookahead >= input.count
                ending = near && !buffer.isAtEnd ? .needMore : .invalid(error.reason, error.offset)
            }
            switch ending {
            case .complete:
                index = start + position
                return
            case .invalid(let reason, let offset):
                throw syntaxError(reason, at: start + offset)
            case .needMore:
                batch.documents.removeSubrange(mark.documents...)
                batch.bytes.removeSubrange(mark.bytes...)
                batch.generatedKeys.removeSubrange(mark.keys...)
                _ = try buffer.refill(keeping: start)
                index = 0
            }
        }
    }

    /// NDJSON: only blanks may follow a document on its line.
    private func endOfLine(_ input: UnsafeBufferPointer<UInt8>, _ position: inout Int) -> Ending {
        while position < input.count {
            switch input[position] {
            case UInt8(ascii: "\n"):
                position += 1
                return .complete
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                position += 1
            default:
                return .invalid(Self.ndjsonLineEnd, position)
            }
        }
        // A root number ending at the buffer's end may go on in the next bytes.
        return buffer.isAtEnd ? .complete : .needMore
    }

    /// A JSON array: a `,` or the closing `]` follows an element.
    private func endOfElement(_ input: UnsafeBufferPointer<UInt8>, _ position: inout Int) -> Ending {
        while position < input.count && Self.isBlank(input[position]) { position += 1 }
        guard position < input.count else {
            return buffer.isAtEnd ? .invalid(Self.arrayElementEnd, position) : .needMore
        }
        switch input[position] {
        case UInt8(ascii: ","):
            position += 1
            state = .arrayAfterComma
            return .complete
        case UInt8(ascii: "]"):
            position += 1
            state = .afterArray
            return .complete
        default:
            return .invalid(Self.arrayElementEnd, position)
        }
    }

    /// Skips blanks, refilling as needed; false when the input ends first.
    private func skipBlanks() throws -> Bool {
        while true {
            let input = buffer.input
            while index < input.count && Self.isBlank(input[index]) { index += 1 }
            if index < input.count { return true }
            let more = try buffer.refill(keeping: index)
            index = 0
            guard more else { return false }
        }
    }

    private func syntaxError(_ reason: String, at index: Int) -> JSONSyntaxError {
        let (line, column, offset) = buffer.location(of: index)
        return JSONSyntaxError(reason: reason, offset: offset, line: line, column: column)
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
}

/// Documents of an import ready for one transaction, and where they came from.
struct ImportChunk: Sendable {
    var batch: PreparedBatch
    var format: DocumentStreamReader.Format
    /// The input line of the chunk's first document.
    var firstLine: Int
}
