import Foundation
import Synchronization
import Testing
@testable import DocumentStore

/// Hands out an input `step` bytes per read, so documents, strings, escapes and numbers are
/// cut at every place across reads.
final class Feeder: Sendable {
    private let bytes: [UInt8]
    private let step: Int
    private let offset = Mutex(0)
    let reads = Atomic<Int>(0)

    init(_ bytes: [UInt8], step: Int) {
        self.bytes = bytes
        self.step = step
    }

    convenience init(_ text: String, step: Int) {
        self.init(Array(text.utf8), step: step)
    }

    var source: DocumentSource {
        DocumentSource { buffer in self.read(into: buffer) }
    }

    private func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        reads.add(1, ordering: .relaxed)
        return offset.withLock { offset in
            let count = min(step, bytes.count - offset, buffer.count)
            for index in 0..<count { buffer[index] = bytes[offset + index] }
            offset += count
            return count
        }
    }
}

/// One document of a chunk as plain text: its canonical JSON, or `!` and why it failed.
private func texts(_ batch: PreparedBatch) -> [String] {
    batch.documents.map { document in
        document.validationError.map { "!" + $0 } ?? String(decoding: batch.bytes[document.range], as: UTF8.self)
    }
}

/// A chunk as plain values, to compare with what a test expects.
private struct Piece: Equatable, CustomStringConvertible {
    var documents: [String]
    var format: DocumentStreamReader.Format
    var line: Int

    init(_ documents: [String], _ format: DocumentStreamReader.Format, line: Int) {
        self.documents = documents
        self.format = format
        self.line = line
    }

    var description: String { "(\(format) from line \(line): \(documents))" }
}

/// Every chunk of `text`, read `step` bytes at a time through a buffer refilled `step` bytes
/// at a time.
private func pieces(_ text: String, step: Int, maxDocuments: Int = 10_000, maxBytes: Int = 8 << 20) throws -> [Piece] {
    let reader = DocumentStreamReader(source: Feeder(text, step: step).source, primaryKey: "id", keys: .uuidV4,
                                      maxDocuments: maxDocuments, maxBytes: maxBytes, blockSize: step)
    var result: [Piece] = []
    while let chunk = try reader.nextChunk() {
        result.append(Piece(texts(chunk.batch), chunk.format, line: chunk.firstLine))
        if result.count > 100 { break }   // a runaway reader fails the test instead of hanging it
    }
    return result
}

/// The syntax error reading all of `text` gives.
private func syntaxError(_ text: String, step: Int, maxDocuments: Int = 10_000) -> JSONSyntaxError? {
    #expect(throws: JSONSyntaxError.self) { _ = try pieces(text, step: step, maxDocuments: maxDocuments) }
}

@Suite("DocumentStreamReader: an import's documents, chunk by chunk, parsed once")
struct DocumentStreamReaderTests {
    static let steps = [1, 7, 4096]

    @Test("NDJSON is cut after every maxDocuments-th document, each chunk knowing its first line", arguments: steps)
    func ndjsonChunks(step: Int) throws {
        let chunks = try pieces("{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n", step: step, maxDocuments: 2)
        #expect(chunks == [Piece([#"{"id":1}"#, #"{"id":2}"#], .ndjson, line: 1), Piece([#"{"id":3}"#], .ndjson, line: 3)])
    }

    @Test("The last NDJSON document needs no newline, and blank lines are no documents", arguments: steps)
    func ndjsonBlankLines(step: Int) throws {
        let chunks = try pieces("\n{\"id\":1}\n\n \n{\"id\":2}", step: step, maxDocuments: 1)
        #expect(chunks == [Piece([#"{"id":1}"#], .ndjson, line: 2), Piece([#"{"id":2}"#], .ndjson, line: 5)])
    }

    @Test("A pretty-printed NDJSON document spanning lines stays one document", arguments: steps)
    func ndjsonMultiLineDocument(step: Int) throws {
        let chunks = try pieces("{\n  \"id\": 1,\n  \"a\": [1,\n 2]\n}\n{\"id\": 2}\n", step: step, maxDocuments: 1)
        #expect(chunks == [Piece([#"{"a":[1,2],"id":1}"#], .ndjson, line: 1), Piece([#"{"id":2}"#], .ndjson, line: 6)])
    }

    @Test("Brackets, commas, escaped newlines and quotes inside strings are not structure", arguments: steps)
    func strings(step: Int) throws {
        let ndjson = [#"{"id":1,"s":"}\n{\"id\":9}\n,]["}"#, #"{"id":2,"s":"ends with a backslash\\"}"#, #"{"id":3,"s":"\\\"{"}"#]
        #expect(try pieces(ndjson.joined(separator: "\n") + "\n", step: step, maxDocuments: 1)
                == zip(ndjson, 1...).map { Piece([$0], .ndjson, line: $1) })
        let array = #"[{"id":1,"s":"a,b]"},{"id":2,"s":"\"],[\\"},{"id":3,"s":"{\n}"}]"#
        #expect(try pieces(array, step: step, maxDocuments: 1).flatMap(\.documents)
                == [#"{"id":1,"s":"a,b]"}"#, #"{"id":2,"s":"\"],[\\"}"#, #"{"id":3,"s":"{\n}"}"#])
    }

    @Test("A JSON array is cut into chunks of whole elements, nesting included", arguments: steps)
    func arrayChunks(step: Int) throws {
        let chunks = try pieces("\n\n[\n  {\"id\": 1, \"a\": [[1,2],[3]], \"b\": {\"c\": []}},\n  {\"id\": 2},\n  {\"id\": 3}\n]\n",
                                step: step, maxDocuments: 2)
        #expect(chunks == [Piece([#"{"a":[[1,2],[3]],"b":{"c":[]},"id":1}"#, #"{"id":2}"#], .array, line: 4),
                           Piece([#"{"id":3}"#], .array, line: 6)])
    }

    @Test("Empty input, blank input and empty arrays give no chunk", arguments: ["", "  \n\n", "[]", " [ ]\n", "[\n]"])
    func emptyInputs(text: String) throws {
        for step in Self.steps {
            #expect(try pieces(text, step: step).isEmpty)
        }
    }

    @Test("A document many reads long is parsed whole")
    func largeDocument() throws {
        let long = String(repeating: "ab\\n\\u00e9", count: 20_000)
        let text = "{\"id\":1,\"s\":\"\(long)\"}\n{\"id\":2}\n"
        let chunks = try pieces(text, step: 7)
        #expect(chunks.flatMap(\.documents) == ["{\"id\":1,\"s\":\"\(long.replacing("\\u00e9", with: "é"))\"}", #"{"id":2}"#])
    }

    @Test("maxBytes ends a chunk at the first document past it", arguments: steps)
    func maxBytes(step: Int) throws {
        let chunks = try pieces("{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n", step: step, maxBytes: 10)
        #expect(chunks.map(\.documents.count) == [2, 1])
    }

    // MARK: Errors, with their place in the whole input

    @Test("A syntax error names its line and column in the whole input, in any chunk",
          arguments: steps, [1, 2, 10_000])
    func errorPosition(step: Int, maxDocuments: Int) {
        let ndjson = syntaxError("{\"id\": 1}\n{\"id\": 2}\n{\"id\": 3}\n{\"id\": 4,, \"x\": 1}\n{\"id\": 5}\n", step: step,
                                 maxDocuments: maxDocuments)
        #expect(ndjson == JSONSyntaxError(reason: "Expected a string key in an object", offset: 39, line: 4, column: 10))
        let array = syntaxError("[\n{\"id\": 1},\n{\"id\": 2},\n{\"id\": 3},\n{\"id\": 4 \"x\": 1},\n{\"id\": 5}\n]\n", step: step,
                                maxDocuments: maxDocuments)
        #expect(array == JSONSyntaxError(reason: "Expected ',' or '}' after an object member", offset: 44, line: 5, column: 10))
        let midLine = syntaxError("  [{\"id\": 1}, {\"id\" 2}]\n", step: step, maxDocuments: maxDocuments)
        #expect(midLine == JSONSyntaxError(reason: "Expected ':' after an object key", offset: 20, line: 1, column: 21))
    }

    @Test("A trailing comma before ] is refused at the ], with its line and column",
          arguments: [("[{\"id\":1},]", 1, 11), ("[\n{\"id\":1},\n]", 3, 1), ("[\n{\"id\":1},\n  ]\n", 3, 3)])
    func trailingComma(text: String, line: Int, column: Int) {
        for step in Self.steps {
            let error = syntaxError(text, step: step, maxDocuments: 1)
            #expect(error?.reason == DocumentStreamReader.trailingComma)
            #expect(error?.line == line && error?.column == column, "\(String(describing: error))")
        }
    }

    @Test("Text after the closing ] is refused where it starts", arguments: [("[{\"id\":1}]\n\nx", 3, 1), ("[1] {\"id\": 2}", 1, 5)])
    func textAfterArray(text: String, line: Int, column: Int) {
        for step in Self.steps {
            let error = syntaxError(text, step: step)
            #expect(error?.reason == "Unexpected data after the JSON value")
            #expect(error?.line == line && error?.column == column, "\(String(describing: error))")
        }
    }

    @Test("An array left open, a cut-off document and a second value on a line are refused at their place", arguments: [
        ("[{\"id\":1},{\"id\":2}", "Expected ',' or ']' after an array element", 1, 19),
        ("[", "Unexpected end of input, expected a value", 1, 2),
        ("{\"id\":1}\n{\"id\":", "Unexpected end of input, expected a value", 2, 7),
        ("{\"id\":1}\n{\"s\":\"abc", "Unterminated string", 2, 6),
        ("{\"a\": 1} {\"b\": 2}", DocumentStreamReader.ndjsonLineEnd, 1, 10),
        ("{\"a\": 1}\n{\"a\": tru}", "Invalid literal, expected 'true'", 2, 7),
    ])
    func truncated(text: String, reason: String, line: Int, column: Int) {
        for step in Self.steps {
            let error = syntaxError(text, step: step)
            #expect(error?.reason == reason)
            #expect(error?.line == line && error?.column == column, "\(String(describing: error))")
        }
    }

    @Test("A read error ends the stream with that error")
    func readError() {
        struct Boom: Error {}
        let reader = DocumentStreamReader(source: DocumentSource { _ in throw Boom() }, primaryKey: "id", keys: .uuidV4,
                                          maxDocuments: 10)
        #expect(throws: Boom.self) { _ = try reader.nextChunk() }
    }

    // MARK: The same documents as the one-call parser, cut anywhere

    /// Every kind of token, to be cut at every byte: literals, numbers, escapes, surrogate
    /// pairs, raw UTF-8, non-finite numbers (a document error), scalars at the root.
    static let corpus = [
        #"{"id":1,"t":true,"f":false,"n":null,"x":[1.5e-3,-0,0.25,-12345678901234567890,1E+2]}"#,
        #"{"id":"é😀","s":"q\" b\\ s\/ \b \f \n \r \t \u00e9 \u20AC \ud83d\ude00 \uD83D\uDE00"}"#,
        #"{"id":3,"nan":NaN}"#, #"{"id":4,"inf":-Infinity,"also":Infinity}"#,
        "12345", "-0.5e10", "\"root string\"", "true", "null", "[1,[2,[3]]]",
        #"{"id":5,"lone":"\ud83d tail","dup":1,"dup":2}"#, #"{"id":6,"deep":{"a":{"b":{"c":[{},[],""]}}}}"#,
    ]

    @Test("NDJSON read a few bytes at a time gives what one insert(ndjson:) parse gives", arguments: [1, 2, 3, 7, 64])
    func ndjsonMatchesOneCall(step: Int) throws {
        let text = Self.corpus.joined(separator: "\n") + "\n"
        #expect(try pieces(text, step: step, maxDocuments: 3).flatMap(\.documents) == Self.oneCall(text, ndjson: true))
    }

    @Test("A JSON array read a few bytes at a time gives what one insert(json:) parse gives", arguments: [1, 2, 3, 7, 64])
    func arrayMatchesOneCall(step: Int) throws {
        let text = "[" + Self.corpus.joined(separator: " ,\n ") + "]"
        #expect(try pieces(text, step: step, maxDocuments: 3).flatMap(\.documents) == Self.oneCall(text, ndjson: false))
    }

    private static func oneCall(_ text: String, ndjson: Bool) throws -> [String] {
        let sink = BatchSink()
        try Array(text.utf8).withUnsafeBufferPointer { input in
            if ndjson {
                try BatchBuilder.ndjson(input, primaryKey: "id", keys: .uuidV4, into: sink)
            } else {
                try BatchBuilder.json(input, primaryKey: "id", keys: .uuidV4, into: sink)
            }
        }
        return texts(sink.batch)
    }
}
