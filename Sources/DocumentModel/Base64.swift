/// Base64 as RethinkDB reads and writes the `data` of a `BINARY` pseudotype (`base64.cc`):
/// standard alphabet, `=` padding on output; on input whitespace is skipped, padding may be
/// left out, and anything else is refused with RethinkDB's message.
///
/// ```swift
/// Base64.encode(Array("foo".utf8))        // "Zm9v"
/// try Base64.decode("Zm9v")               // [102, 111, 111]
/// try Base64.decode("A^CD")               // throws "Invalid base64 character found: '^'."
/// ```
package enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    package static func encode(_ bytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let chunk = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            out.append(alphabet[Int(chunk >> 18 & 63)])
            out.append(alphabet[Int(chunk >> 12 & 63)])
            out.append(second == nil ? UInt8(ascii: "=") : alphabet[Int(chunk >> 6 & 63)])
            out.append(third == nil ? UInt8(ascii: "=") : alphabet[Int(chunk & 63)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    package static func decode(_ text: String) throws(DocumentStoreError) -> [UInt8] {
        var out: [UInt8] = []
        var chunk: [UInt32] = []
        var sawPadding = false
        for byte in text.utf8 {
            if isSpace(byte) { continue }
            if byte == UInt8(ascii: "=") {
                sawPadding = true
                continue
            }
            // Data after the first padding character: RethinkDB stops at the padding and
            // then finds something other than padding or whitespace.
            if sawPadding {
                throw DocumentStoreError(.queryLogic, "Invalid base64 format, data found after padding character '='.")
            }
            chunk.append(try value(of: byte))
            if chunk.count == 4 {
                append(chunk, to: &out)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if chunk.count == 1 {
            throw DocumentStoreError(.queryLogic, "Invalid base64 length: 1 character remaining, cannot decode a full byte.")
        }
        if !chunk.isEmpty { append(chunk, to: &out) }
        return out
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    private static func value(of byte: UInt8) throws(DocumentStoreError) -> UInt32 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(byte - UInt8(ascii: "a")) + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0")) + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default:
            let shown = byte < 0x80 ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
            throw DocumentStoreError(.queryLogic, "Invalid base64 character found: '\(shown)'.")
        }
    }

    /// Two to four sextets make one to three bytes.
    private static func append(_ chunk: [UInt32], to out: inout [UInt8]) {
        var bits: UInt32 = 0
        for (index, sextet) in chunk.enumerated() { bits |= sextet << (18 - 6 * UInt32(index)) }
        let bytes = [UInt8(bits >> 16 & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits & 0xFF)]
        out.append(contentsOf: bytes.prefix(chunk.count - 1))
    }
}
