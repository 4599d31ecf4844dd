import DocumentStore
import Foundation
import Testing

/// One bad input and what must come of it: a clear error, RethinkDB's text where RethinkDB has
/// one, and the file unchanged (the tests compare the sqlite3 shell's `.dump` before and after).
struct BadInput: Sendable, CustomTestStringConvertible {
    enum Input: Sendable {
        /// Text for `insert(json:)` into table `t` (and for `docstore insert t`).
        case json([UInt8])
        /// A document built in Swift, for `insert(_:)`.
        case document(Document)
        /// A key for `get`.
        case key(Document)
        /// A table name for `tableCreate`, `insert` and `get`.
        case tableName(String)
        /// Any other call on table `t`: options, option texts, the size of a call.
        case call(@Sendable (Table) async throws -> Void)
    }

    enum Outcome: Sendable {
        /// `JSONSyntaxError` at this line and column.
        case syntax(line: Int, column: Int, reason: String)
        /// The call returns `errors: 1` with this `first_error`; nothing is written.
        case documentError(String)
        /// The call throws `DocumentStoreError` with this code and message.
        case callError(DocumentStoreError.Code, String)
    }

    let name: String
    let input: Input
    let outcome: Outcome

    var testDescription: String { name }

    init(_ name: String, _ input: Input, _ outcome: Outcome) {
        self.name = name
        self.input = input
        self.outcome = outcome
    }

    /// Text input given as a Swift string.
    static func json(_ name: String, _ text: String, _ outcome: Outcome) -> BadInput {
        BadInput(name, .json(Array(text.utf8)), outcome)
    }

    /// Text with raw bytes spliced in (invalid UTF-8, NUL).
    static func bytes(_ name: String, _ prefix: String, _ raw: [UInt8], _ suffix: String, _ outcome: Outcome) -> BadInput {
        BadInput(name, .json(Array(prefix.utf8) + raw + Array(suffix.utf8)), outcome)
    }
}

/// The catalogue, by kind. Every entry is tried one by one through the library
/// (`BadInputLibraryTests`) and, where a shell can pass it, through `docstore insert`
/// (`BadInputCLITests`).
enum BadInputCatalogue {
    static var all: [BadInput] { syntax + encoding + numbers + nesting + keys + documents + tableNames + calls }

    /// Every kind of JSON syntax error, each with its line and column.
    static let syntax: [BadInput] = [
        .json("empty input", "", .syntax(line: 1, column: 1, reason: "Unexpected end of input, expected a value")),
        .json("only whitespace", " \n\t ", .syntax(line: 2, column: 3, reason: "Unexpected end of input, expected a value")),
        .json("unterminated object", #"{"a": 1"#, .syntax(line: 1, column: 8, reason: "Expected ',' or '}' after an object member")),
        .json("unterminated array", #"[{"a": 1}"#, .syntax(line: 1, column: 10, reason: "Expected ',' or ']' after an array element")),
        .json("unterminated string", #"{"a": "abc"#, .syntax(line: 1, column: 7, reason: "Unterminated string")),
        .json("unterminated key", #"{"ab"#, .syntax(line: 1, column: 2, reason: "Unterminated string")),
        .json("missing colon", #"{"a" 1}"#, .syntax(line: 1, column: 6, reason: "Expected ':' after an object key")),
        .json("number as key", #"{1: 2}"#, .syntax(line: 1, column: 2, reason: "Expected a string key in an object")),
        .json("unquoted key", #"{a: 1}"#, .syntax(line: 1, column: 2, reason: "Expected a string key in an object")),
        .json("single quotes", #"{'a': 1}"#, .syntax(line: 1, column: 2, reason: "Expected a string key in an object")),
        .json("trailing comma in an object", #"{"a": 1,}"#, .syntax(line: 1, column: 9, reason: "Expected a string key in an object")),
        .json("trailing comma in an array", #"[{"a": 1},]"#, .syntax(line: 1, column: 11, reason: "Unexpected character ']', expected a value")),
        .json("missing comma between members", #"{"a": 1 "b": 2}"#, .syntax(line: 1, column: 9, reason: "Expected ',' or '}' after an object member")),
        .json("missing comma between documents", #"[{"a": 1} {"b": 2}]"#, .syntax(line: 1, column: 11, reason: "Expected ',' or ']' after an array element")),
        .json("misspelt true", #"{"a": tru}"#, .syntax(line: 1, column: 7, reason: "Invalid literal, expected 'true'")),
        .json("misspelt null", #"{"a": nul}"#, .syntax(line: 1, column: 7, reason: "Invalid literal, expected 'null'")),
        .json("Python's True", #"{"a": True}"#, .syntax(line: 1, column: 7, reason: "Unexpected character 'T', expected a value")),
        .json("JavaScript's undefined", #"{"a": undefined}"#, .syntax(line: 1, column: 7, reason: "Unexpected character 'u', expected a value")),
        .json("a comment", "{\"a\": 1 // note\n}", .syntax(line: 1, column: 9, reason: "Expected ',' or '}' after an object member")),
        .json("a leading zero", #"{"a": 01}"#, .syntax(line: 1, column: 8, reason: "Expected ',' or '}' after an object member")),
        .json("a leading dot", #"{"a": .5}"#, .syntax(line: 1, column: 7, reason: "Unexpected character '.', expected a value")),
        .json("a plus sign", #"{"a": +1}"#, .syntax(line: 1, column: 7, reason: "Unexpected character '+', expected a value")),
        .json("a trailing dot", #"{"a": 1.}"#, .syntax(line: 1, column: 9, reason: "Invalid number: expected a digit after '.'")),
        .json("an empty exponent", #"{"a": 1e}"#, .syntax(line: 1, column: 9, reason: "Invalid number: expected a digit in the exponent")),
        .json("a lone minus", #"{"a": -}"#, .syntax(line: 1, column: 7, reason: "Invalid number")),
        .json("hexadecimal", #"{"a": 0x1F}"#, .syntax(line: 1, column: 8, reason: "Expected ',' or '}' after an object member")),
        .json("an unknown escape", #"{"a": "\x41"}"#, .syntax(line: 1, column: 8, reason: "Invalid escape sequence in a string")),
        .json("a bad \\u escape", #"{"a": "\u12G4"}"#, .syntax(line: 1, column: 8, reason: "Invalid \\u escape in a string (expected 4 hex digits)")),
        .json("a short \\u escape", #"{"a": "\u12"}"#, .syntax(line: 1, column: 8, reason: "Invalid \\u escape in a string (expected 4 hex digits)")),
        .json("an escape at the end", #"{"a": "\"#, .syntax(line: 1, column: 8, reason: "Invalid escape sequence in a string")),
        .json("a raw newline in a string", "{\"a\": \"x\ny\"}", .syntax(line: 1, column: 9, reason: "Unescaped control character 0xA in a string")),
        .json("a raw tab in a string", "{\"a\": \"x\ty\"}", .syntax(line: 1, column: 9, reason: "Unescaped control character 0x9 in a string")),
        .bytes("a raw NUL in a string", #"{"a": "x"#, [0], #"y"}"#, .syntax(line: 1, column: 9, reason: "Unescaped control character 0x0 in a string")),
        .bytes("a NUL after the document", #"{"a": 1}"#, [0], "", .syntax(line: 1, column: 9, reason: "Unexpected data after the JSON value")),
        .json("a second document without an array", #"{"a": 1} {"b": 2}"#, .syntax(line: 1, column: 10, reason: "Unexpected data after the JSON value")),
        .json("a stray closing bracket", #"{"a": 1}]"#, .syntax(line: 1, column: 9, reason: "Unexpected data after the JSON value")),
        .json("a lone opening brace", "{", .syntax(line: 1, column: 2, reason: "Expected a string key in an object")),
        .json("a lone opening bracket", "[", .syntax(line: 1, column: 2, reason: "Unexpected end of input, expected a value")),
        .json("a lone closing bracket", "]", .syntax(line: 1, column: 1, reason: "Unexpected character ']', expected a value")),
        .json("plain text", "hello", .syntax(line: 1, column: 1, reason: "Unexpected character 'h', expected a value")),
        .json("a byte-order mark", "\u{FEFF}{\"a\": 1}", .syntax(line: 1, column: 1, reason: "Unexpected character 0xEF, expected a value")),
        .json("an error on the third line", "[\n  {\"a\": 1},\n  {\"b\" 2}\n]", .syntax(line: 3, column: 8, reason: "Expected ':' after an object key")),
        .json("an error after CRLF lines", "[\r\n{\"a\": 1},\r\n{\"b\": [1 2]}\r\n]", .syntax(line: 3, column: 10, reason: "Expected ',' or ']' after an array element")),
    ]

    /// Invalid UTF-8 and lone surrogates: RethinkDB's `utf8::is_valid` messages, per document.
    static let encoding: [BadInput] = [
        .bytes("an invalid lead byte", #"{"s": "ab"#, [0xFF], #"cd"}"#,
               .documentError("String `ab` (truncated) is not a UTF-8 string; Invalid initial byte seen at position 2.")),
        .bytes("a lone continuation byte", #"{"s": ""#, [0x80], #""}"#,
               .documentError("String `` (truncated) is not a UTF-8 string; Invalid initial byte seen at position 0.")),
        .bytes("a truncated sequence", #"{"s": "x"#, [0xC3, 0x28], #""}"#,
               .documentError("String `x\u{FFFD}` (truncated) is not a UTF-8 string; Expected continuation byte, saw something else at position 2.")),
        .bytes("a sequence cut by the closing quote", #"{"s": "a"#, [0xC3], #""}"#,
               .documentError("String `a\u{FFFD}` (truncated) is not a UTF-8 string; Expected continuation byte, saw end of string at position 2.")),
        .bytes("an overlong encoding", #"{"s": ""#, [0xC0, 0xAF], #"!"}"#,
               .documentError("String `\u{FFFD}` (truncated) is not a UTF-8 string; Overlong encoding seen at position 1.")),
        .bytes("beyond U+10FFFF", #"{"s": "ok"#, [0xF4, 0x90, 0x80, 0x80], #""}"#,
               .documentError("String `ok\u{FFFD}\u{FFFD}\u{FFFD}` (truncated) is not a UTF-8 string; Non-Unicode character encoded (beyond U+10FFFF) at position 5.")),
        .bytes("an encoded surrogate", #"{"s": ""#, [0xED, 0xA0, 0x80], #""}"#,
               .documentError("String `\u{FFFD}\u{FFFD}` (truncated) is not a UTF-8 string; Surrogate code point encoded at position 2.")),
        .bytes("invalid UTF-8 in a key", #"{"k"#, [0xFF], #"": 1}"#,
               .documentError("String `k` (truncated) is not a UTF-8 string; Invalid initial byte seen at position 1.")),
        .bytes("invalid UTF-8 deep inside", #"{"a": {"b": ["#, [0x22, 0xFE, 0x22], #"]}}"#,
               .documentError("String `` (truncated) is not a UTF-8 string; Invalid initial byte seen at position 0.")),
        .json("a lone high surrogate escape", #"{"s": "\uD800"}"#, .documentError("Invalid \\u escape: lone surrogate \\ud800.")),
        .json("a lone low surrogate escape", #"{"s": "\uDC00x"}"#, .documentError("Invalid \\u escape: lone surrogate \\udc00.")),
        .json("a high surrogate before a non-surrogate", #"{"s": "\uD800\u0041"}"#, .documentError("Invalid \\u escape: lone surrogate \\ud800.")),
    ]

    /// NaN and the infinities, which JavaScript and Python write but JSON has not.
    static let numbers: [BadInput] = [
        .json("NaN", #"{"a": NaN}"#, .documentError("Non-finite number: nan")),
        .json("Infinity", #"{"a": Infinity}"#, .documentError("Non-finite number: inf")),
        .json("-Infinity", #"{"a": -Infinity}"#, .documentError("Non-finite number: -inf")),
        .json("an overflowing number", #"{"a": 1e999}"#, .documentError("Non-finite number: inf")),
        .json("an overflowing negative number", #"{"a": [-1e400]}"#, .documentError("Non-finite number: -inf")),
        .json("misspelt NaN", #"{"a": Nan}"#, .syntax(line: 1, column: 7, reason: "Invalid literal")),
        BadInput("a Swift NaN", .document(["id": 1, "a": .number(.nan)]), .documentError("Non-finite number: nan")),
        BadInput("a Swift infinity", .document(["id": 1, "a": ["b": .number(-.infinity)]]), .documentError("Non-finite number: -inf")),
    ]
}
