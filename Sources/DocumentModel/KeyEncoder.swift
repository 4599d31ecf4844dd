import Foundation

/// RethinkDB's byte encoding of key values (`datum_t::print_primary`, `print_secondary`,
/// `truncated_secondary`): a type letter, then the value, so that comparing two encodings
/// byte by byte (`memcmp`) orders them as ReQL orders the values.
///
/// The type letters sort as ReQL sorts the types: `A` arrays < `B` booleans < `N` numbers <
/// `P` pseudotypes (`PBINARY:` < `PTIME:`) < `S` strings; `r.minval` is `@` and `r.maxval` `[`,
/// below and above every letter. A number is its IEEE bits with the sign handled so that the 16
/// hex digits sort numerically, then `#` and its `%.20g` text. An array is its elements, each
/// followed by a NUL byte, so a shorter array sorts first.
///
/// Primary keys and secondary keys differ in one point: inside a secondary key, NUL and 0x01
/// in strings are escaped (`\x01\x01`, `\x01\x02`, RethinkDB 2.2+), so that `["a", "b"]` and
/// `["a\u{0}Sb"]` cannot collide; a primary key refuses NUL instead.
package struct KeyEncoder {
    /// Which of RethinkDB's encodings: they differ in strings, binary values and extrema.
    package enum Mode: Sendable {
        /// A stored primary key (`print_primary`, a NUL in a string is an error).
        case primary
        /// A value stored in a secondary index: NULs escaped, `r.minval`/`r.maxval` refused.
        case secondary
        /// A bound of a secondary-index read (`truncated_secondary` with extrema allowed).
        case secondaryBound
        /// A bound of a primary-key read (`print_primary_internal`: extrema allowed, no
        /// length limit).
        case primaryBound
    }

    /// Why a value cannot be a key, in RethinkDB's words.
    package struct Invalid: Error, Sendable {
        package let message: String
    }

    let mode: Mode

    package init(_ mode: Mode) {
        self.mode = mode
    }

    private var escapesNulls: Bool { mode == .secondary || mode == .secondaryBound }

    package func encode(_ value: Document, into out: inout [UInt8]) throws(Invalid) {
        switch value {
        case .number(let number):
            out.append(UInt8(ascii: "N"))
            Self.appendNumber(number, to: &out)
        case .string(let string):
            out.append(UInt8(ascii: "S"))
            var string = string
            string.withUTF8 { appendString($0, to: &out) }
            if !escapesNulls, let nul = string.utf8.firstIndex(of: 0) {
                let offset = string.utf8.distance(from: string.utf8.startIndex, to: nul)
                throw Invalid(message: Self.nulMessage(Array(string.utf8), offset: offset))
            }
        case .bool(let flag):
            out.append(contentsOf: [UInt8(ascii: "B"), UInt8(ascii: flag ? "t" : "f")])
        case .array(let elements):
            out.append(UInt8(ascii: "A"))
            // RethinkDB stops at its key size: what follows would be cut anyway, and is not
            // checked either.
            for element in elements where out.count < IndexKey.maxLength {
                let isPlainObject = element.objectValue.map { $0.reqlType == nil } ?? false
                if element.isNull || isPlainObject {
                    throw Invalid(message: "Array keys can only contain numbers, strings, bools,  pseudotypes, or arrays (got \(element.truncatedPrettyPrinted) of type \(element.typeName)).")
                }
                try encode(element, into: &out)
                out.append(0)
            }
        case .object(let object):
            try encodePseudotype(object, value, into: &out)
        case .null:
            throw invalidType(value)
        }
    }

    private func encodePseudotype(_ object: DocumentObject, _ value: Document, into out: inout [UInt8]) throws(Invalid) {
        switch object.reqlType {
        case "TIME":
            out.append(contentsOf: "PTIME:".utf8)
            Self.appendNumber(object.epochTime ?? 0, to: &out)
        case "BINARY":
            out.append(contentsOf: "PBINARY:".utf8)
            let text = object["data"]?.stringValue ?? ""
            if !escapesNulls {
                // Stored primary keys of binary values hold the base64 text (the first files
                // were written so); equal values still give equal keys.
                Self.appendEscaped(Array(text.utf8), to: &out)
            } else {
                Self.appendEscaped(object.binaryBytes ?? Array(text.utf8), to: &out)
            }
        case "MINVAL" where mode == .secondaryBound || mode == .primaryBound:
            out.append(UInt8(ascii: "A") - 1)
        case "MAXVAL" where mode == .secondaryBound || mode == .primaryBound:
            out.append(UInt8(ascii: "Z") + 1)
        case "MINVAL" where mode == .secondary, "MAXVAL" where mode == .secondary:
            throw Invalid(message: "Cannot use `r.minval` or `r.maxval` in an index key.")
        case "GEOMETRY":
            throw Invalid(message: "Cannot use a geometry value as a key value in a primary or non-geospatial secondary index.")
        case let type?:
            throw Invalid(message: "Cannot use pseudotype \(type) as a primary or secondary key value .")
        case nil:
            throw invalidType(value)
        }
    }

    private func invalidType(_ value: Document) -> Invalid {
        switch mode {
        case .primary, .primaryBound:
            return Invalid(message: "Primary keys must be either a number, string, bool, pseudotype or array (got type \(value.typeName)):\n\(value.truncatedPrettyPrinted)")
        case .secondary:
            return Invalid(message: "Secondary keys must be a number, string, bool, pseudotype, or array (got type \(value.typeName)):\n\(value.truncatedPrettyPrinted)")
        case .secondaryBound:
            return Invalid(message: "Secondary keys must be a number, string, bool, pseudotype, or array (got \(value.prettyPrinted) of type \(value.typeName)).")
        }
    }

    private func appendString(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        if escapesNulls {
            Self.appendEscaped(bytes, to: &out)
        } else {
            out.append(contentsOf: bytes)
        }
    }

    /// NUL becomes `\x01\x01` and 0x01 `\x01\x02`: the order of the bytes is kept, and no NUL
    /// is left to be taken for an array's separator.
    private static func appendEscaped<C: Collection>(_ bytes: C, to out: inout [UInt8]) where C.Element == UInt8 {
        // Most strings hold neither byte: one copy then.
        guard bytes.contains(where: { $0 <= 1 }) else {
            out.append(contentsOf: bytes)
            return
        }
        for byte in bytes {
            switch byte {
            case 0: out.append(contentsOf: [1, 1])
            case 1: out.append(contentsOf: [1, 2])
            default: out.append(byte)
            }
        }
    }

    /// The IEEE bits as 16 hex digits, ordered so bytes sort like numbers, + `#` + `%.20g`.
    package static func appendNumber(_ number: Double, to out: inout [UInt8]) {
        let value = number == 0 ? 0.0 : number
        var bits = value.bitPattern
        bits = value < 0 ? ~bits : bits ^ (1 << 63)
        for shift in stride(from: 60, through: 0, by: -4) {
            out.append(JSONFormat.hexDigits[Int((bits >> UInt64(shift)) & 0xF)])
        }
        out.append(UInt8(ascii: "#"))
        var buffer = [CChar](repeating: 0, count: 64)
        let count = withVaList([value]) { vsnprintf(&buffer, 64, "%.20g", $0) }
        out.append(contentsOf: buffer[0..<Int(max(0, min(count, 63)))].map { UInt8(bitPattern: $0) })
    }

    /// RethinkDB's NUL-in-key message: the string quoted, cut to 20 bytes, with C escapes.
    package static func nulMessage(_ bytes: [UInt8], offset: Int) -> String {
        var shown = ""
        for byte in bytes.prefix(20) {
            switch byte {
            case UInt8(ascii: "\""): shown += "\\\""
            case UInt8(ascii: "\\"): shown += "\\\\"
            case 0x20..<0x7F: shown.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                shown += "\\x" + String(decoding: [JSONFormat.hexDigits[Int(byte >> 4)], JSONFormat.hexDigits[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return "String \"\(shown)\" (truncated) contains NULL byte at offset \(offset) in index key."
    }
}

extension DocumentObject {
    /// The bytes of a BINARY pseudotype (its `data` field is base64), nil for anything else:
    /// RethinkDB orders and indexes binary values by their bytes, not by their base64 text.
    package var binaryBytes: [UInt8]? {
        guard reqlType == "BINARY", let text = self["data"]?.stringValue else { return nil }
        return Data(base64Encoded: text).map { Array($0) }
    }
}
