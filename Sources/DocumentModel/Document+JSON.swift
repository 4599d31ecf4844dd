extension Document {
    /// The canonical JSON text: object keys sorted bytewise, no whitespace, numbers in their
    /// shortest round-trip form (whole numbers within 2^53 without a fraction). This is exactly
    /// the text DocStore stores in the `doc` column, so two equal documents have the same text
    /// (except `-0.0` and `0`, which RethinkDB treats as equal but keeps apart).
    ///
    /// ```swift
    /// let doc: Document = ["b": 1.0, "a": [true, .null]]
    /// doc.jsonString   // {"a":[true,null],"b":1}
    /// ```
    public var jsonString: String {
        String(decoding: jsonBytes, as: UTF8.self)
    }

    /// The canonical JSON text as UTF-8 bytes (see ``jsonString``).
    public var jsonBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        appendJSON(to: &out)
        return out
    }

    package func appendJSON(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: JSONLiteral.null)
        case .bool(let value): out.append(contentsOf: value ? JSONLiteral.true : JSONLiteral.false)
        case .number(let value): JSONFormat.appendNumber(value, to: &out)
        case .string(let value): JSONFormat.appendQuoted(value, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                element.appendJSON(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for index in object.keys.indices {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONFormat.appendQuoted(object.keys[index], to: &out)
                out.append(UInt8(ascii: ":"))
                object.values[index].appendJSON(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}

package enum JSONLiteral {
    package static let null: [UInt8] = Array("null".utf8)
    package static let `true`: [UInt8] = Array("true".utf8)
    package static let `false`: [UInt8] = Array("false".utf8)
}

/// The pieces of JSON text that both the tree writer and the single-pass canonicaliser emit,
/// kept in one place so the two can never disagree on a byte.
package enum JSONFormat {
    /// 2^53: whole numbers up to it in magnitude print as integers, as RethinkDB prints them
    /// (`number_as_integer` in datum.cc accepts `-2^53 <= d <= 2^53`).
    package static let exactIntegerLimit = 9_007_199_254_740_992.0

    package static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        if value == 0 {
            if value.sign == .minus {
                out.append(contentsOf: [UInt8(ascii: "-"), UInt8(ascii: "0"), UInt8(ascii: "."), UInt8(ascii: "0")])
            } else {
                out.append(UInt8(ascii: "0"))
            }
            return
        }
        if value.rounded(.towardZero) == value && abs(value) <= exactIntegerLimit {
            appendInteger(Int64(value), to: &out)
            return
        }
        // Swift's description is the shortest text that round-trips; only its exponent needs
        // reshaping ("1e-07" -> "1e-7", "1.5e+300" -> "1.5e300"), as RethinkDB prints it.
        let text = value.description
        var afterExponent = false
        var leadingZero = true
        for byte in text.utf8 {
            if afterExponent {
                if byte == UInt8(ascii: "+") { continue }
                if byte == UInt8(ascii: "-") { out.append(byte); continue }
                if leadingZero && byte == UInt8(ascii: "0") { continue }
                leadingZero = false
                out.append(byte)
            } else {
                out.append(byte)
                if byte == UInt8(ascii: "e") { afterExponent = true }
            }
        }
        if afterExponent && leadingZero { out.append(UInt8(ascii: "0")) }
    }

    package static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        var magnitude = value.magnitude
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch on the stack
        withUnsafeMutableBytes(of: &digits) { scratch in
            var position = scratch.count
            repeat {
                position -= 1
                scratch[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: scratch[position...])
        }
    }

    package static func appendQuoted(_ string: String, to out: inout [UInt8]) {
        var string = string
        string.withUTF8 { appendQuoted(bytes: $0, to: &out) }
    }

    /// Quotes valid UTF-8 bytes: `"` and `\` and control characters are escaped (as RethinkDB's
    /// writer does), everything else, non-ASCII included, is copied as it is.
    package static func appendQuoted(bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            appendEscape(byte, to: &out)
            runStart = index + 1
        }
        if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        out.append(UInt8(ascii: "\""))
    }

    package static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    @inline(__always)
    package static func appendEscape(_ byte: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default:
            out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                    hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]])
        }
    }

    /// The bytes that the string text in `start..<end` (between its quotes) stands for, escapes
    /// decoded. The text must already have been read once by the canonicaliser, so its escapes
    /// are well-formed; readers of canonical text and error messages use it.
    package static func unescape(_ input: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> [UInt8] {
        func hex4(_ at: Int) -> UInt32 {
            var value: UInt32 = 0
            for digit in input[at..<(at + 4)] {
                let nibble = digit <= UInt8(ascii: "9") ? digit - UInt8(ascii: "0") : (digit | 0x20) - UInt8(ascii: "a") + 10
                value = value << 4 | UInt32(nibble)
            }
            return value
        }
        var out: [UInt8] = []
        var index = start
        while index < end {
            guard input[index] == UInt8(ascii: "\\") else {
                out.append(input[index])
                index += 1
                continue
            }
            let code = input[index + 1]
            index += 2
            switch code {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(index)
                index += 4
                if scalar >= 0xD800 && scalar < 0xDC00 && index + 6 <= end && input[index] == UInt8(ascii: "\\")
                    && input[index + 1] == UInt8(ascii: "u") {
                    let low = hex4(index + 2)
                    if low >= 0xDC00 && low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                out.append(contentsOf: Unicode.Scalar(scalar).map { Array(String($0).utf8) } ?? [0xEF, 0xBF, 0xBD])
            default: out.append(code)  // \" \\ \/
            }
        }
        return out
    }
}
