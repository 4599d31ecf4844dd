#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension JSONCanonicalizer {
    // The parser's error texts, made out of line and static: a non-mutating method called from
    // the mutating parser copies the whole parser into the caller's stack frame, once per call
    // site, and the recursive functions' frames bound how deep a document can be.
    @inline(never)
    package static func syntaxError(_ reason: String, _ input: Input, _ index: Int) -> JSONSyntaxError {
        JSONSyntaxError(reason: reason, offset: index, input: input)
    }

    @inline(never)
    package static func depthError(_ maxDepth: Int, _ input: Input, _ index: Int) -> JSONSyntaxError {
        syntaxError("Nesting depth limit exceeded (\(maxDepth) levels)", input, index)
    }

    @inline(never)
    package static func unexpectedValue(_ input: Input, _ index: Int) -> JSONSyntaxError {
        if index >= input.count {
            return syntaxError("Unexpected end of input, expected a value", input, index)
        }
        return syntaxError("Unexpected character \(describe(input[index])), expected a value", input, index)
    }

    /// Reads a string and writes it quoted in canonical form (only `"`, `\` and control
    /// characters escaped; `\u` escapes of anything else written as the UTF-8 itself).
    /// Keys are also written decoded into `keyScratch`, where objects sort them.
    package mutating func string(_ input: Input, _ index: inout Int, isKey: Bool) throws(JSONSyntaxError) {
        let quoteIndex = index
        index += 1
        output.append(UInt8(ascii: "\""))
        var runStart = index
        while true {
            guard index < input.count else {
                throw Self.syntaxError("Unterminated string", input, quoteIndex)
            }
            let byte = input[index]
            if byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            if runStart < index {
                let run = UnsafeBufferPointer(rebasing: input[runStart..<index])
                output.append(contentsOf: run)
                if isKey { keyScratch.append(contentsOf: run) }
            }
            if byte == UInt8(ascii: "\"") {
                index += 1
                output.append(UInt8(ascii: "\""))
                if isKey, keyScratch.count >= 11 {
                    // `$reql_type$` makes a pseudotype (times compare by instant, not bytes).
                    let tail = keyScratch.suffix(11)
                    if tail.elementsEqual("$reql_type$".utf8) { needsSemanticCompare = true }
                }
                return
            } else if byte == UInt8(ascii: "\\") {
                try escape(input, &index, isKey: isKey)
            } else if byte < 0x20 {
                throw Self.syntaxError("Unescaped control character \(Self.describe(byte)) in a string", input, index)
            } else {
                let length = validateUTF8Sequence(input, index, stringStart: quoteIndex + 1)
                let sequence = UnsafeBufferPointer(rebasing: input[index..<(index + length)])
                output.append(contentsOf: sequence)
                if isKey { keyScratch.append(contentsOf: sequence) }
                index += length
            }
            runStart = index
        }
    }

    private mutating func escape(_ input: Input, _ index: inout Int, isKey: Bool) throws(JSONSyntaxError) {
        let escapeIndex = index
        index += 1
        let code = byte(input, index)
        index += 1
        var decoded: UInt8
        switch code {
        case UInt8(ascii: "\""): decoded = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): decoded = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): decoded = UInt8(ascii: "/")
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "n"): decoded = 0x0A
        case UInt8(ascii: "r"): decoded = 0x0D
        case UInt8(ascii: "t"): decoded = 0x09
        case UInt8(ascii: "u"):
            var scalar = try hex4(input, &index, escapeIndex)
            if scalar >= 0xD800 && scalar < 0xDC00 {
                // A high surrogate must be followed by an escaped low one; together they are one scalar.
                if byte(input, index) == UInt8(ascii: "\\") && byte(input, index + 1) == UInt8(ascii: "u") {
                    var next = index + 2
                    let low = try hex4(input, &next, index)
                    if low >= 0xDC00 && low < 0xE000 {
                        index = next
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        failDocument("Invalid \\u escape: lone surrogate \\u\(String(scalar, radix: 16)).")
                    }
                } else {
                    failDocument("Invalid \\u escape: lone surrogate \\u\(String(scalar, radix: 16)).")
                }
            } else if scalar >= 0xDC00 && scalar < 0xE000 {
                failDocument("Invalid \\u escape: lone surrogate \\u\(String(scalar, radix: 16)).")
            }
            if scalar < 0x80 {
                decoded = UInt8(scalar)
            } else {
                appendScalar(scalar, isKey: isKey)
                return
            }
        default:
            throw Self.syntaxError("Invalid escape sequence in a string", input, escapeIndex)
        }
        if decoded < 0x20 || decoded == UInt8(ascii: "\"") || decoded == UInt8(ascii: "\\") {
            JSONFormat.appendEscape(decoded, to: &output)
        } else {
            output.append(decoded)
        }
        if isKey { keyScratch.append(decoded) }
    }

    private func hex4(_ input: Input, _ index: inout Int, _ escapeIndex: Int) throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let digit = byte(input, index)
            let nibble: UInt32
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt32(digit - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt32(digit - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = UInt32(digit - UInt8(ascii: "A") + 10)
            default: throw Self.syntaxError("Invalid \\u escape in a string (expected 4 hex digits)", input, escapeIndex)
            }
            value = value << 4 | nibble
            index += 1
        }
        return value
    }

    private mutating func appendScalar(_ scalar: UInt32, isKey: Bool) {
        var bytes: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let count: Int
        if scalar < 0x800 {
            bytes = (UInt8(0xC0 | scalar >> 6), UInt8(0x80 | scalar & 0x3F), 0, 0)
            count = 2
        } else if scalar < 0x10000 {
            bytes = (UInt8(0xE0 | scalar >> 12), UInt8(0x80 | (scalar >> 6) & 0x3F), UInt8(0x80 | scalar & 0x3F), 0)
            count = 3
        } else {
            bytes = (UInt8(0xF0 | scalar >> 18), UInt8(0x80 | (scalar >> 12) & 0x3F),
                     UInt8(0x80 | (scalar >> 6) & 0x3F), UInt8(0x80 | scalar & 0x3F))
            count = 4
        }
        withUnsafeBytes(of: &bytes) { raw in
            let encoded = UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[0..<count])
            output.append(contentsOf: encoded)
            if isKey { keyScratch.append(contentsOf: encoded) }
        }
    }

    /// Checks one multi-byte UTF-8 sequence at `index` and returns its length. An invalid one fails
    /// the document with RethinkDB's message (`utf8::is_valid`'s explanations) and is stepped over.
    private mutating func validateUTF8Sequence(_ input: Input, _ index: Int, stringStart: Int) -> Int {
        let lead = input[index]
        let length: Int
        var scalar: UInt32
        switch lead {
        case 0xC0...0xDF: length = 2; scalar = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; scalar = UInt32(lead & 0x0F)
        case 0xF0...0xF7: length = 4; scalar = UInt32(lead & 0x07)
        default:
            invalidUTF8(input, stringStart: stringStart, at: index, "Invalid initial byte seen")
            return 1
        }
        for offset in 1..<length {
            let position = index + offset
            guard position < input.count, input[position] != UInt8(ascii: "\"") || (input[position] & 0xC0) == 0x80 else {
                invalidUTF8(input, stringStart: stringStart, at: position, "Expected continuation byte, saw end of string")
                return offset
            }
            guard input[position] & 0xC0 == 0x80 else {
                invalidUTF8(input, stringStart: stringStart, at: position, "Expected continuation byte, saw something else")
                return offset
            }
            scalar = scalar << 6 | UInt32(input[position] & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        if scalar < minimum {
            invalidUTF8(input, stringStart: stringStart, at: index + length - 1, "Overlong encoding seen")
        } else if scalar > 0x10FFFF {
            invalidUTF8(input, stringStart: stringStart, at: index + length - 1,
                        "Non-Unicode character encoded (beyond U+10FFFF)")
        } else if scalar >= 0xD800 && scalar < 0xE000 {
            // RethinkDB lets encoded surrogates through; they are not Unicode scalars, so no Swift
            // String (nor any JSON reader that checks) could hold them.
            invalidUTF8(input, stringStart: stringStart, at: index + length - 1, "Surrogate code point encoded")
        }
        return length
    }

    private mutating func invalidUTF8(_ input: Input, stringStart: Int, at index: Int, _ explanation: String) {
        guard documentError == nil else { return }
        // RethinkDB checks the decoded string (`fail_if_invalid`, datum.cc): the position counts
        // decoded bytes, and the message shows only the bytes before it, at most 20
        // (`min(position, 20)`), not the invalid bytes or what follows them.
        let decoded = JSONFormat.unescape(input, from: stringStart, to: index)
        let shown = String(decoding: decoded.prefix(20), as: UTF8.self)
        failDocument("String `\(shown)` (truncated) is not a UTF-8 string; \(explanation) at position \(decoded.count).")
    }

    /// Reads a number. Short integers (the common case) are copied as they are, since their text
    /// is already canonical; anything else goes through `strtod` and is printed shortest.
    package mutating func number(_ input: Input, _ index: inout Int) throws(JSONSyntaxError) {
        let start = index
        var negative = false
        if input[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
            if byte(input, index) == UInt8(ascii: "I") {
                try nonFiniteLiteral(input, &index, negative: true)
                return
            }
        }
        let digitsStart = index
        switch byte(input, index) {
        case UInt8(ascii: "0"): index += 1
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            index += 1
            while case UInt8(ascii: "0")...UInt8(ascii: "9") = byte(input, index) { index += 1 }
        default: throw Self.syntaxError("Invalid number", input, start)
        }
        var isInteger = true
        if byte(input, index) == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard case UInt8(ascii: "0")...UInt8(ascii: "9") = byte(input, index) else {
                throw Self.syntaxError("Invalid number: expected a digit after '.'", input, index)
            }
            while case UInt8(ascii: "0")...UInt8(ascii: "9") = byte(input, index) { index += 1 }
        }
        if byte(input, index) | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            if byte(input, index) == UInt8(ascii: "+") || byte(input, index) == UInt8(ascii: "-") { index += 1 }
            guard case UInt8(ascii: "0")...UInt8(ascii: "9") = byte(input, index) else {
                throw Self.syntaxError("Invalid number: expected a digit in the exponent", input, index)
            }
            while case UInt8(ascii: "0")...UInt8(ascii: "9") = byte(input, index) { index += 1 }
        }
        let digitCount = index - digitsStart
        if isInteger && digitCount <= 15 && !(negative && input[digitsStart] == UInt8(ascii: "0")) {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<index]))
            return
        }
        let value = Self.parseDouble(UnsafeBufferPointer(rebasing: input[start..<index]))
        guard value.isFinite else {
            failDocument("Non-finite number: \(value < 0 ? "-" : "")inf")
            output.append(contentsOf: JSONLiteral.null)
            return
        }
        if value == 0 && value.sign == .minus { needsSemanticCompare = true }
        JSONFormat.appendNumber(value, to: &output)
    }

    /// Correctly rounded decimal-to-double conversion of a validated JSON number.
    package static func parseDouble(_ text: UnsafeBufferPointer<UInt8>) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: text.count + 1) { buffer in
            for index in 0..<text.count { buffer[index] = CChar(bitPattern: text[index]) }
            buffer[text.count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    mutating func literal(_ input: Input, _ index: inout Int, _ word: StaticString, _ bytes: [UInt8]) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= input.count else {
            throw Self.syntaxError("Invalid literal, expected '\(word)'", input, index)
        }
        let expected = word.utf8Start
        for offset in 0..<count where input[index + offset] != expected[offset] {
            throw Self.syntaxError("Invalid literal, expected '\(word)'", input, index)
        }
        index += count
        output.append(contentsOf: bytes)
    }

    /// `NaN`, `Infinity` and `-Infinity` are not JSON, but JavaScript and Python write them; a
    /// document holding one fails with RethinkDB's message instead of failing the whole input.
    package mutating func nonFiniteLiteral(_ input: Input, _ index: inout Int, negative: Bool) throws(JSONSyntaxError) {
        let rest = UnsafeBufferPointer(rebasing: input[index...])
        if rest.starts(with: "NaN".utf8) {
            index += 3
            failDocument("Non-finite number: nan")
        } else if rest.starts(with: "Infinity".utf8) {
            index += 8
            failDocument("Non-finite number: \(negative ? "-" : "")inf")
        } else {
            throw Self.syntaxError("Invalid literal", input, index)
        }
        output.append(contentsOf: JSONLiteral.null)
    }
}
