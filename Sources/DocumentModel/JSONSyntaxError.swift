/// JSON text that cannot be read at all: the parser stops, nothing is written, and the message
/// names the line and column so a person can find the spot.
///
/// Problems *inside* a well-formed value (invalid UTF-8 in a string, a number too large for a
/// double, a repeated key) are not syntax errors: they make only that document fail, with
/// RethinkDB's wording, and the other documents of the call go on.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. "Expected ',' or '}' after an object member".
    public var reason: String
    /// Byte offset into the input where the problem was seen.
    public var offset: Int
    /// 1-based line and column (columns count bytes) of `offset`.
    public var line: Int
    public var column: Int

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
