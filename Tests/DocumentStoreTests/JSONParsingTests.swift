import Foundation
import Spawn
import Testing
@testable import DocumentStore

/// `Document(parsing:)`: what it accepts, the canonical text it produces, where it reports syntax
/// errors, and RethinkDB's messages for well-formed values it cannot hold.
@Suite("JSON parsing")
struct JSONParsingTests {
    // MARK: Valid input

    @Test("All JSON escapes decode")
    func escapes() throws {
        let doc = try Document(parsing: #"{"s": "q\" b\\ s\/ \b \f \n \r \t \u00e9 \u0041 \u20AC"}"#)
        #expect(doc["s"] == .string("q\" b\\ s/ \u{08} \u{0C} \n \r \t é A €"))
        #expect(doc.jsonString == #"{"s":"q\" b\\ s/ \b \f \n \r \t é A €"}"#)
    }

    @Test("Escaped control characters stay escaped, as \\u00XX when they have no short form")
    func controlEscapes() throws {
        let doc = try Document(parsing: #"["\u0000", "\u0001", "\u001F", "\u007f"]"#)
        #expect(doc == ["\u{0}", "\u{1}", "\u{1F}", "\u{7F}"])
        #expect(doc.jsonString == #"["\u0000","\u0001","\u001f","# + "\"\u{7F}\"]")
    }

    @Test("Surrogate pairs decode to one scalar, in either hex case")
    func surrogatePairs() throws {
        let lower = try Document(parsing: #""\ud83d\ude00""#)
        let upper = try Document(parsing: #""\uD83D\uDE00""#)
        #expect(lower == "😀")
        #expect(upper == "😀")
        #expect(lower.jsonString == "\"😀\"")
        #expect(try Document(parsing: #"{"\ud83d\ude00": 1}"#) == ["😀": 1])
    }

    @Test("Whitespace around every token is allowed")
    func whitespace() throws {
        let doc = try Document(parsing: " \n\t\r{ \"a\" :\n[ 1 ,\t2 ] ,\r\n\"b\" : { } , \"c\" : [ ] }\n ")
        #expect(doc == ["a": [1, 2], "b": [:], "c": []])
        #expect(doc.jsonString == #"{"a":[1,2],"b":{},"c":[]}"#)
    }

    @Test("Scalars parse at the top level", arguments: [
        ("null", Document.null), ("true", true), ("false", false), ("0", 0), ("-0", .number(-0.0)),
        ("-12", -12), ("1.5", 1.5), ("1E3", 1000), ("1e-7", 1e-7), ("2.5e+2", 250), ("\"x\"", "x"),
    ] as [(String, Document)])
    func scalars(text: String, value: Document) throws {
        let parsed = try Document(parsing: text)
        #expect(parsed == value)
        #expect(parsed.doubleValue?.sign == value.doubleValue?.sign)
    }

    @Test("Parsing gives the canonical text", arguments: [
        (#"{"b": 1.0, "a": [true, null]}"#, #"{"a":[true,null],"b":1}"#),
        (#"{"z":{"y":2,"x":1},"A":0}"#, #"{"A":0,"z":{"x":1,"y":2}}"#),
        (#"[1.50, 100e-2, 0.1, 1e300, 1E-7, -0.0, 0.0, 12.0]"#, #"[1.5,1,0.1,1e300,1e-7,-0.0,0,12]"#),
        (#"[9007199254740992.0, 9007199254740991]"#, #"[9007199254740992,9007199254740991]"#),
        (#"{"\u00e9":1,"e":2,"E":3,"\u00e9\u0301":4}"#, "{\"E\":3,\"e\":2,\"\u{E9}\":1,\"\u{E9}\u{301}\":4}"),
    ] as [(String, String)])
    func canonicalText(input: String, canonical: String) throws {
        let doc = try Document(parsing: input)
        #expect(doc.jsonString == canonical)
        #expect(try Document(parsing: doc.jsonString) == doc)
        #expect(try Document(parsing: doc.jsonString).jsonString == canonical)
    }

    /// A byte that needs care (a quote, a backslash, a control character, UTF-8) is found at
    /// every position of a string's first words, and a string cut off at the input's end fails.
    @Test("A byte that needs care is read the same at every position of a string", arguments: [
        (#"\""#, "\""), (#"\\"#, "\\"), (#"\u0001"#, "\u{1}"), ("é", "é"), ("\u{7F}", "\u{7F}"), ("😀", "😀"),
    ] as [(String, String)])
    func specialBytesAtEveryPosition(text: String, value: String) throws {
        for position in 0..<20 {
            let before = String(repeating: "a", count: position), after = String(repeating: "b", count: 19 - position)
            let parsed = try Document(parsing: "[\"\(before)\(text)\(after)\"]")
            #expect(parsed == [.string(before + value + after)], "at \(position)")
            #expect(parsed.jsonString == Document.array([.string(before + value + after)]).jsonString, "at \(position)")
            #expect(throws: JSONSyntaxError.self, "at \(position)") { try Document(parsing: "[\"\(before)\u{1F}\(after)\"]") }
            #expect(throws: JSONSyntaxError.self, "at \(position)") { try Document(parsing: "\"\(before)\(text)\(after)") }
        }
    }

    @Test("Documents built in Swift survive their own text", arguments: [
        ["id": 1, "name": "Zoë", "tags": ["a", "b"], "nested": ["x": .null, "y": [1.25, -3]]],
        ["k\"\\\n": "v\u{1}", "": ""], [1e-300, .number(.leastNonzeroMagnitude), -1.5e300, 0.1, 1e21],
        ["$reql_type$": "TIME", "epoch_time": 1.5, "timezone": "+01:00"],
    ] as [Document])
    func roundTrip(doc: Document) throws {
        let text = doc.jsonString
        let parsed = try Document(parsing: text)
        #expect(parsed == doc)
        #expect(parsed.jsonString == text)
        #expect(try Document(parsing: Array(text.utf8)) == doc)
    }

    // MARK: Syntax errors

    static let syntaxErrorCases: [(input: String, line: Int, column: Int, reason: String)] = [
        ("{\n  \"a\": 1,\n  \"b\": tru\n}", 3, 8, "Invalid literal, expected 'true'"),
        ("[\n  1,\n  2\n  3\n]", 4, 3, "Expected ',' or ']' after an array element"),
        ("{\"a\": \"abc", 1, 7, "Unterminated string"),
        ("{\n\"a\": \"abc\n\"}", 2, 10, "Unescaped control character 0xA in a string"),
        ("{} x", 1, 4, "Unexpected data after the JSON value"),
        ("{}\n\n  }", 3, 3, "Unexpected data after the JSON value"),
        ("\"\\x\"", 1, 2, "Invalid escape sequence in a string"),
        ("[\"ok\",\n \"\\u12G4\"]", 2, 3, "Invalid \\u escape in a string (expected 4 hex digits)"),
        ("01", 1, 2, "Unexpected data after the JSON value"),
        ("-01", 1, 3, "Unexpected data after the JSON value"),
        ("-", 1, 1, "Invalid number"),
        ("[1.]", 1, 4, "Invalid number: expected a digit after '.'"),
        ("1e", 1, 3, "Invalid number: expected a digit in the exponent"),
        (".5", 1, 1, "Unexpected character '.', expected a value"),
        ("+1", 1, 1, "Unexpected character '+', expected a value"),
        ("[1,]", 1, 4, "Unexpected character ']', expected a value"),
        ("", 1, 1, "Unexpected end of input, expected a value"),
        ("{\"a\" 1}", 1, 6, "Expected ':' after an object key"),
        ("{1:2}", 1, 2, "Expected a string key in an object"),
        ("{\"a\":1,}", 1, 8, "Expected a string key in an object"),
        ("{\"a\":1 \"b\":2}", 1, 8, "Expected ',' or '}' after an object member"),
    ]

    @Test("Syntax errors name the line and column", arguments: syntaxErrorCases)
    func syntaxError(input: String, line: Int, column: Int, reason: String) throws {
        let error = try #require(throws: JSONSyntaxError.self) { try Document(parsing: input) }
        #expect(error.line == line)
        #expect(error.column == column)
        #expect(error.reason == reason)
        #expect(error.description == "Invalid JSON at line \(line), column \(column): \(reason).")
    }

    @Test("Nesting up to 1000 levels is accepted, deeper is rejected")
    func depthLimit() throws {
        let deepest = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        let parsed = try Document(parsing: deepest)
        #expect(parsed.jsonString == deepest)
        let tooDeep = String(repeating: "[", count: 1001) + String(repeating: "]", count: 1001)
        let error = try #require(throws: JSONSyntaxError.self) { try Document(parsing: tooDeep) }
        #expect(error.reason == "Nesting depth limit exceeded (1000 levels)")
        #expect(error.column == 1001)
        let objects = String(repeating: #"{"a":"#, count: 1001) + "1" + String(repeating: "}", count: 1001)
        #expect(throws: JSONSyntaxError.self) { try Document(parsing: objects) }
    }

    // MARK: Values RethinkDB cannot hold

    static func bytes(_ prefix: String, _ bad: [UInt8], _ suffix: String) -> [UInt8] {
        Array(prefix.utf8) + bad + Array(suffix.utf8)
    }

    static let invalidUTF8Cases: [(bytes: [UInt8], message: String)] = [
        (bytes(#"{"s":"ab"#, [0xFF], #"cd"}"#),
         "String `ab` (truncated) is not a UTF-8 string; Invalid initial byte seen at position 2."),
        (bytes(#"{"s":""#, [0x80], #""}"#),
         "String `` (truncated) is not a UTF-8 string; Invalid initial byte seen at position 0."),
        (bytes(#"{"s":"x"#, [0xC3, 0x28], #""}"#),
         "String `x\u{FFFD}` (truncated) is not a UTF-8 string; Expected continuation byte, saw something else at position 2."),
        (bytes(#"{"s":"a"#, [0xC3], #""}"#),
         "String `a\u{FFFD}` (truncated) is not a UTF-8 string; Expected continuation byte, saw end of string at position 2."),
        (bytes(#"{"s":""#, [0xC0, 0xAF], #"!"}"#),
         "String `\u{FFFD}` (truncated) is not a UTF-8 string; Overlong encoding seen at position 1."),
        (bytes(#"{"s":"ok"#, [0xF4, 0x90, 0x80, 0x80], #""}"#),
         "String `ok\u{FFFD}\u{FFFD}\u{FFFD}` (truncated) is not a UTF-8 string; Non-Unicode character encoded (beyond U+10FFFF) at position 5."),
        (bytes(#"{"s":"abcdefghijklmnopqrstuvwxyz"#, [0xFF], #""}"#),
         "String `abcdefghijklmnopqrst` (truncated) is not a UTF-8 string; Invalid initial byte seen at position 26."),
        (bytes(#"{"k"#, [0xFF], #"":1}"#),
         "String `k` (truncated) is not a UTF-8 string; Invalid initial byte seen at position 1."),
        // RethinkDB checks the decoded string: an escape counts as the one byte it stands for.
        (bytes(#"{"s":"\t\u00e9"#, [0xFF], #""}"#),
         "String `\t\u{E9}` (truncated) is not a UTF-8 string; Invalid initial byte seen at position 3."),
    ]

    @Test("Invalid UTF-8 fails with RethinkDB's message", arguments: invalidUTF8Cases)
    func invalidUTF8(bytes: [UInt8], message: String) throws {
        let error = try #require(throws: DocumentStoreError.self) { try Document(parsing: bytes) }
        #expect(error.message == message)
        #expect(error.code == .queryLogic)
    }

    @Test("Non-finite numbers fail with RethinkDB's message", arguments: [
        ("NaN", "Non-finite number: nan"), (#"{"a": NaN}"#, "Non-finite number: nan"),
        (#"{"a": Infinity}"#, "Non-finite number: inf"), (#"{"a": -Infinity}"#, "Non-finite number: -inf"),
        (#"[1e999]"#, "Non-finite number: inf"), (#"{"a": [-1e999]}"#, "Non-finite number: -inf"),
    ] as [(String, String)])
    func nonFinite(text: String, message: String) throws {
        let error = try #require(throws: DocumentStoreError.self) { try Document(parsing: text) }
        #expect(error.message == message)
    }

    @Test("Repeated keys fail with RethinkDB's r.json message", arguments: [
        (#"{"a":1,"a":2}"#, #"Duplicate key "a" in JSON."#),
        (#"{"b":{"x":1,"y":0,"x":2}}"#, #"Duplicate key "x" in JSON."#),
        (#"{"a":1,"\u0061":2}"#, #"Duplicate key "a" in JSON."#),
        (#"[{"q\"":1,"q\"":1}]"#, #"Duplicate key "q\"" in JSON."#),
    ] as [(String, String)])
    func duplicateKeys(text: String, message: String) throws {
        let error = try #require(throws: DocumentStoreError.self) { try Document(parsing: text) }
        #expect(error.message == message)
    }

    // MARK: Fidelity against Python's json module

    /// Python's `json.dumps` writes whole floats as `12.0`; DocStore (like RethinkDB) writes `12`.
    /// Strips that `.0` from number tokens outside strings; everything else must already match.
    static func withoutWholeFloatSuffix(_ line: String) -> String {
        var out: [UInt8] = []
        var token: [UInt8] = []
        var inString = false
        var escaped = false
        func flush() {
            if token.count > 2, token.suffix(2) == Array(".0".utf8), token != Array("-0.0".utf8) {
                token.removeLast(2)
            }
            out += token
            token = []
        }
        for byte in line.utf8 {
            if inString {
                out.append(byte)
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+") {
                if token.isEmpty && (byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")) { out.append(byte) } else { token.append(byte) }
            } else {
                flush()
                out.append(byte)
                if byte == UInt8(ascii: "\"") { inString = true }
            }
        }
        flush()
        return String(decoding: out, as: UTF8.self)
    }

    static func checkFidelity(docs: String, canon: String) throws -> Int {
        let docLines = try String(contentsOfFile: docs, encoding: .utf8).split(separator: "\n")
        let canonLines = try String(contentsOfFile: canon, encoding: .utf8).split(separator: "\n")
        #expect(docLines.count == canonLines.count)
        var mismatches = 0
        for (docLine, canonLine) in zip(docLines, canonLines) {
            let parsed = try Document(parsing: String(docLine))
            if parsed.jsonString == canonLine { continue }
            // Only Python's whole floats may differ, and then the documents must still be equal.
            #expect(parsed.jsonString == withoutWholeFloatSuffix(String(canonLine)), "\(canonLine)")
            #expect(try Document(parsing: String(canonLine)) == parsed)
            mismatches += 1
            if mismatches > 20 { break }
        }
        return docLines.count
    }

    @Test("The whole-float normaliser only touches number tokens")
    func normaliser() {
        #expect(Self.withoutWholeFloatSuffix(#"{"a":12.0,"b":[1.0,-3.0,-0.0,1.05],"c":"x 2.0,"}"#)
                == #"{"a":12,"b":[1,-3,-0.0,1.05],"c":"x 2.0,"}"#)
    }

    /// `$SHARED_DIR/bench/gen.py`, else `shared/bench/gen.py` beside the package (where CI and
    /// the developers have it), as `Tests/Conformance/run.sh` and `Benchmarks/run.sh` find it.
    /// A clone elsewhere has no `shared/`: the test is then skipped, not failed.
    static let generator: String = {
        if let shared = ProcessInfo.processInfo.environment["SHARED_DIR"], !shared.isEmpty {
            return URL(fileURLWithPath: shared).appendingPathComponent("bench/gen.py").path
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/bench/gen.py").path
    }()

    @Test("Canonical text matches Python's on a generated data set",
          .enabled(if: FileManager.default.fileExists(atPath: generator), "needs shared/bench/gen.py (set SHARED_DIR)"))
    func fidelityGenerated() throws {
        let directory = try TemporaryDirectory()
        let status = try Spawn.run("/usr/bin/env", ["python3", Self.generator, "200"], directory: nil, stdinPath: nil,
                                   stdoutPath: "/dev/null", stderrPath: directory.path("gen.err"),
                                   environment: ["BENCH_DATA": directory.url.path])
        try #require(status == 0)
        let count = try Self.checkFidelity(docs: directory.path("docs_200.ndjson"), canon: directory.path("canon_200.ndjson"))
        #expect(count == 200)
    }

    static let benchData: String = {
        let base = ProcessInfo.processInfo.environment["BENCH_DIR"] ?? "/tmp/docstore-bench"
        return base + "/data"
    }()

    @Test("Canonical text matches Python's on the 10,000-document benchmark set",
          .enabled(if: FileManager.default.fileExists(atPath: benchData + "/docs_10000.ndjson")
                      && FileManager.default.fileExists(atPath: benchData + "/canon_10000.ndjson")))
    func fidelityBenchmark() throws {
        let count = try Self.checkFidelity(docs: Self.benchData + "/docs_10000.ndjson",
                                           canon: Self.benchData + "/canon_10000.ndjson")
        #expect(count == 10_000)
    }
}
