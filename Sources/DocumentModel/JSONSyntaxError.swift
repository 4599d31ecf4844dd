/// JSON text that cannot be read at all: the parser stops, nothing is written, and the message
/// names the line and column so a person can find the spot.
///
/// Problems *inside* a well-formed value (invalid UTF-8 in a string, a number too large for a
/// double, a repeated key) are not syntax errors: they make only that document fail, with
/// RethinkDB's wording, and the other documents of the call go on.
///
/// ```swift
/// do {
///     _ = try Document(parsing: "{\"id\": 1,\n \"name\" \"Thor\"}")
/// } catch let error as JSONSyntaxError {
///     print(error.line, error.column)   // 2 9
///     print(error)                      // Invalid JSON at line 2, column 9: Expected ':' after an object key.
/// }
/// ```
///
/// RethinkDB never sees JSON text (its drivers parse it), so it has no such error; the
/// message is DocStore's own.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. "Expected ',' or '}' after an object member".
    public var reason: String
    /// Byte offset into the input where the problem was seen.
    public var offset: Int
    /// The 1-based line of ``offset``; for NDJSON input, counted from the start of the whole
    /// input, not of the line being parsed.
    public var line: Int
    /// The 1-based column of ``offset`` within its line, in bytes (not characters), so it is
    /// exact for any text an editor opens as UTF-8.
    public var column: Int

    /// `Invalid JSON at line L, column C: reason.`, the text the command-line tool prints.
    ///
    /// ```swift
    /// print(error)   // Invalid JSON at line 2, column 9: Expected ':' after an object key.
    /// ```
    public var description: String {
        "Invalid JSON at line \(line), column \(column): \(reason)."
    }

    package init(reason: String, offset: Int, input: UnsafeBufferPointer<UInt8>) {
        self.reason = reason
        self.offset = offset
        var line = 1
        var lineStart = 0
        var index = 0
        let end = min(offset, input.count)
        while index < end {
            if input[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        self.line = line
        self.column = offset - lineStart + 1
    }

    /// An error whose position was worked out by the caller: a streaming reader, which parses
    /// a window of the input and knows where in the whole input that window lies.
    package init(reason: String, offset: Int, line: Int, column: Int) {
        self.reason = reason
        self.offset = offset
        self.line = line
        self.column = column
    }
}
