import Foundation
import Testing
@testable import DocStoreCLI

/// Hands the chunker an input a few bytes per read, so documents, strings and escapes are
/// split across reads.
private final class Feeder {
    private let bytes: [UInt8]
    private let step: Int
    private var offset = 0

    init(_ text: String, step: Int) {
        bytes = Array(text.utf8)
        self.step = step
    }

    func read(into buffer: inout [UInt8]) -> Int {
        let count = min(step, bytes.count - offset, buffer.count)
        for index in 0..<count { buffer[index] = bytes[offset + index] }
        offset += count
        return count
    }
}

/// A chunk as plain values, to compare with what a test expects.
private struct Piece: Equatable, CustomStringConvertible {
    let text: String
    let format: DocumentChunker.Format
    let firstLine: Int
    let documentCount: Int
    let firstColumn: Int

    init(_ text: String, _ format: DocumentChunker.Format, line firstLine: Int, column firstColumn: Int = 1,
         count documentCount: Int) {
        self.text = text
        self.format = format
        self.firstLine = firstLine
        self.firstColumn = firstColumn
        self.documentCount = documentCount
    }

    var description: String {
        "(\(format) line \(firstLine) column \(firstColumn), \(documentCount) docs: \(text.debugDescription))"
    }
}

/// Every chunk of `text`, read `step` bytes at a time.
private func pieces(_ text: String, step: Int = 3, maxDocuments: Int = 10_000, maxBytes: Int = 8 << 20) throws -> [Piece] {
    let feeder = Feeder(text, step: step)
    var chunker = DocumentChunker(maxDocuments: maxDocuments, maxBytes: maxBytes) { feeder.read(into: &$0) }
    var result: [Piece] = []
    while let chunk = try chunker.next() {
        result.append(Piece(String(decoding: chunk.bytes, as: UTF8.self), chunk.format,
                            line: chunk.firstLine, column: chunk.firstColumn, count: chunk.documentCount))
        if result.count > 100 { break }   // a runaway chunker fails the test instead of hanging it
    }
    return result
}

@Suite("DocumentChunker: cutting input into chunks of whole documents")
struct DocumentChunkerTests {
    static let steps = [1, 3, 7, 1 << 20]

    @Test("NDJSON is cut after every maxDocuments-th line", arguments: steps)
    func ndjsonBoundaries(step: Int) throws {
        let chunks = try pieces("{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n", step: step, maxDocuments: 2)
        #expect(chunks == [Piece("{\"id\":1}\n{\"id\":2}\n", .ndjson, line: 1, count: 2),
                           Piece("{\"id\":3}\n", .ndjson, line: 3, count: 1)])
    }

    @Test("the last NDJSON document needs no newline", arguments: steps)
    func ndjsonWithoutFinalNewline(step: Int) throws {
        let chunks = try pieces("{\"id\":1}\n{\"id\":2}", step: step, maxDocuments: 1)
        #expect(chunks == [Piece("{\"id\":1}\n", .ndjson, line: 1, count: 1),
                           Piece("{\"id\":2}", .ndjson, line: 2, count: 1)])
    }

    @Test("blank lines are not documents, and a chunk's first line is where its first byte is", arguments: steps)
    func ndjsonBlankLines(step: Int) throws {
        let chunks = try pieces("{\"id\":1}\n\n\n{\"id\":2}\n\n", step: step, maxDocuments: 1)
        #expect(chunks == [Piece("{\"id\":1}\n", .ndjson, line: 1, count: 1),
                           Piece("\n\n{\"id\":2}\n", .ndjson, line: 2, count: 1)])
    }

    @Test("a pretty-printed document spanning lines stays whole", arguments: steps)
    func ndjsonMultiLineDocument(step: Int) throws {
        let chunks = try pieces("{\n  \"id\": 1,\n  \"a\": [1,\n 2]\n}\n{\"id\": 2}\n", step: step, maxDocuments: 1)
        #expect(chunks == [Piece("{\n  \"id\": 1,\n  \"a\": [1,\n 2]\n}\n", .ndjson, line: 1, count: 1),
                           Piece("{\"id\": 2}\n", .ndjson, line: 6, count: 1)])
    }

    @Test("brackets, commas, escaped newlines and quotes inside NDJSON strings are not structure", arguments: steps)
    func ndjsonStrings(step: Int) throws {
        let lines = [#"{"id":1,"s":"}\n{\"id\":9}\n,]["}"#,
                     #"{"id":2,"s":"ends with a backslash\\"}"#,
                     #"{"id":3,"s":"\\\"{"}"#]
        let chunks = try pieces(lines.joined(separator: "\n") + "\n", step: step, maxDocuments: 1)
        #expect(chunks == [Piece(lines[0] + "\n", .ndjson, line: 1, count: 1),
                           Piece(lines[1] + "\n", .ndjson, line: 2, count: 1),
                           Piece(lines[2] + "\n", .ndjson, line: 3, count: 1)])
    }

    @Test("all of a small NDJSON input is one chunk with its document count", arguments: steps)
    func ndjsonOneChunk(step: Int) throws {
        let text = (1...5).map { "{\"id\":\($0)}\n" }.joined()
        #expect(try pieces(text, step: step) == [Piece(text, .ndjson, line: 1, count: 5)])
    }

    @Test("maxBytes cuts a chunk at the first document boundary past it")
    func ndjsonMaxBytes() throws {
        let chunks = try pieces("{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n", maxBytes: 10)
        #expect(chunks == [Piece("{\"id\":1}\n{\"id\":2}\n", .ndjson, line: 1, count: 2),
                           Piece("{\"id\":3}\n", .ndjson, line: 3, count: 1)])
    }

    @Test("a JSON array is cut into smaller arrays of whole elements", arguments: steps)
    func arrayChunks(step: Int) throws {
        let chunks = try pieces(#"[{"id":1},{"id":2},{"id":3}]"#, step: step, maxDocuments: 2)
        #expect(chunks == [Piece(#"[{"id":1},{"id":2}]"#, .array, line: 1, count: 2),
                           Piece(#"[{"id":3}]"#, .array, line: 1, column: 19, count: 1)])
    }

    @Test("a multi-line array's chunks start on the line after the previous comma", arguments: steps)
    func arrayLines(step: Int) throws {
        let chunks = try pieces("\n\n[\n  {\"id\": 1},\n  {\"id\": 2},\n  {\"id\": 3}\n]\n", step: step, maxDocuments: 1)
        #expect(chunks == [Piece("[\n  {\"id\": 1}]", .array, line: 3, count: 1),
                           Piece("[\n  {\"id\": 2}]", .array, line: 4, column: 12, count: 1),
                           Piece("[\n  {\"id\": 3}\n]", .array, line: 5, column: 12, count: 1)])
    }

    @Test("brackets, commas and escaped quotes inside array strings are not structure", arguments: steps)
    func arrayStrings(step: Int) throws {
        let chunks = try pieces(#"[{"s":"a,b]"},{"s":"\"],[\\"},{"s":"{\n}"}]"#, step: step, maxDocuments: 1)
        #expect(chunks == [Piece(#"[{"s":"a,b]"}]"#, .array, line: 1, count: 1),
                           Piece(#"[{"s":"\"],[\\"}]"#, .array, line: 1, column: 14, count: 1),
                           Piece(#"[{"s":"{\n}"}]"#, .array, line: 1, column: 30, count: 1)])
    }

    @Test("nested arrays and objects inside elements do not end them", arguments: steps)
    func arrayNesting(step: Int) throws {
        let chunks = try pieces(#"[{"a":[[1,2],[3]],"b":{"c":[]}},[4,5]]"#, step: step, maxDocuments: 1)
        #expect(chunks == [Piece(#"[{"a":[[1,2],[3]],"b":{"c":[]}}]"#, .array, line: 1, count: 1),
                           Piece(#"[[4,5]]"#, .array, line: 1, column: 32, count: 1)])
    }

    @Test("an array that does not start a line gives its first chunk the column of its [")
    func arrayIndented() throws {
        let chunks = try pieces("\n   [{\"id\":1},  {\"id\":2}]", maxDocuments: 1)
        #expect(chunks == [Piece("[{\"id\":1}]", .array, line: 2, column: 4, count: 1),
                           Piece("[  {\"id\":2}]", .array, line: 2, column: 13, count: 1)])
    }

    @Test("a trailing comma before ] is refused with its line",
          arguments: [("[{\"id\":1},]", 1, 10_000), ("[\n{\"id\":1},\n]", 3, 10_000), ("[\n{\"id\":1},\n  ]\n", 3, 1)])
    func trailingComma(text: String, line: Int, maxDocuments: Int) throws {
        let error = #expect(throws: CommandFailure.self) {
            _ = try pieces(text, maxDocuments: maxDocuments)
        }
        #expect(error?.message == "Invalid JSON at line \(line): a ',' before the array's closing ']' (a trailing comma is not JSON).")
    }

    @Test("empty input gives no chunk; an empty array gives one with no documents",
          arguments: [("", []), ("  \n\n", []), ("[]", [Piece("[]", .array, line: 1, count: 0)])])
    fileprivate func emptyInputs(text: String, expected: [Piece]) throws {
        #expect(try pieces(text) == expected)
    }

    @Test("text after the closing ] is handed on as its own chunk for the parser to reject")
    func textAfterArray() throws {
        let chunks = try pieces("[{\"id\":1}]\n\nx")
        #expect(chunks == [Piece("[{\"id\":1}]", .array, line: 1, count: 1),
                           Piece("x", .ndjson, line: 3, count: 0)])
        #expect(try pieces("[1] x") == [Piece("[1]", .array, line: 1, count: 1),
                                         Piece("x", .ndjson, line: 1, column: 5, count: 0)])
    }

    @Test("an unclosed array is handed on whole")
    func unclosedArray() throws {
        #expect(try pieces("[{\"id\":1},{\"id\":2}", maxDocuments: 10) ==
                [Piece("[{\"id\":1},{\"id\":2}", .array, line: 1, count: 2)])
    }

    @Test("a read error ends the input with that error")
    func readError() throws {
        var chunker = DocumentChunker(maxDocuments: 10) { _ in throw CommandFailure("Cannot read the input: boom.") }
        let error = #expect(throws: CommandFailure.self) { _ = try chunker.next() }
        #expect(error?.message == "Cannot read the input: boom.")
    }
}
