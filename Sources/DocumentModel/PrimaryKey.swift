#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A validated primary-key value and the form it takes in the SQL `id` column.
///
/// Strings are stored as TEXT and numbers as INTEGER or REAL, so `SELECT doc FROM marvel WHERE
/// id = 'Iron Man'` works in the `sqlite3` shell, and SQLite's own comparison already makes `1`
/// and `1.0` (and `-0.0` and `0`) one key while `"1"` stays another. Booleans, arrays, times and
/// binary values are stored as a BLOB holding RethinkDB's key encoding (`print_primary`), which
/// no TEXT or number can collide with and which makes two times at the same instant one key.
package struct PrimaryKey: Sendable {
    package enum Column: Sendable, Equatable {
        case text(String)
        case integer(Int64)
        case real(Double)
        case blob([UInt8])
    }

    package let value: Document
    package let column: Column

    /// RethinkDB's `MAX_PRIMARY_KEY_SIZE`: the encoded key may not be longer.
    package static let maxEncodedSize = 128

    /// Why a value cannot be a key, in RethinkDB's words; `isNull` marks `null`, which `get`
    /// reports as a non-existence error.
    package struct Invalid: Error, Sendable {
        package let message: String
        package let isNull: Bool
    }

    private init(value: Document, column: Column) {
        self.value = value
        self.column = column
    }

    package init(_ value: Document) throws(Invalid) {
        self.value = value
        var encoded: [UInt8] = []
        try Self.encode(value, into: &encoded)
        if encoded.count > Self.maxEncodedSize {
            throw Invalid(message: "Primary key too long (max \(Self.maxEncodedSize - 1) characters): \(value.prettyPrinted)",
                          isNull: false)
        }
        switch value {
        case .string(let string): column = .text(string)
        case .number(let number):
            if number.rounded(.towardZero) == number && abs(number) < JSONFormat.exactIntegerLimit {
                column = .integer(Int64(number))
            } else {
                column = .real(number)
            }
        default: column = .blob(encoded)
        }
    }

    private static func encode(_ value: Document, into out: inout [UInt8]) throws(Invalid) {
        switch value {
        case .number(let number):
            out.append(UInt8(ascii: "N"))
            appendNumberKey(number, to: &out)
        case .string(let string):
            out.append(UInt8(ascii: "S"))
            let start = out.count
            out.append(contentsOf: string.utf8)
            if let nul = out[start...].firstIndex(of: 0) {
                throw Invalid(message: nulMessage(Array(string.utf8), offset: nul - start), isNull: false)
            }
        case .bool(let flag):
            out.append(contentsOf: [UInt8(ascii: "B"), UInt8(ascii: flag ? "t" : "f")])
        case .array(let elements):
            out.append(UInt8(ascii: "A"))
            for element in elements {
                let isPlainObject = element.objectValue.map { $0.reqlType == nil } ?? false
                if element.isNull || isPlainObject {
                    throw Invalid(message: "Array keys can only contain numbers, strings, bools,  pseudotypes, or arrays (got \(element.truncatedPrettyPrinted) of type \(element.typeName)).", isNull: false)
                }
                try encode(element, into: &out)
                out.append(0)
            }
        case .object(let object):
            switch object.reqlType {
            case "TIME":
                out.append(contentsOf: "PTIME:".utf8)
                appendNumberKey(object.epochTime ?? 0, to: &out)
            case "BINARY":
                out.append(contentsOf: "PBINARY:".utf8)
                for byte in (object["data"]?.stringValue ?? "").utf8 {
                    switch byte {
                    case 0: out.append(contentsOf: [1, 1])
                    case 1: out.append(contentsOf: [1, 2])
                    default: out.append(byte)
                    }
                }
            case "GEOMETRY":
                throw Invalid(message: "Cannot use a geometry value as a key value in a primary or non-geospatial secondary index.", isNull: false)
            case let type?:
                throw Invalid(message: "Cannot use pseudotype \(type) as a primary or secondary key value .", isNull: false)
            case nil:
                throw invalidType(value)
            }
        case .null:
            throw invalidType(value)
        }
    }

    package static func invalidType(_ value: Document) -> Invalid {
        Invalid(message: "Primary keys must be either a number, string, bool, pseudotype or array (got type \(value.typeName)):\n\(value.truncatedPrettyPrinted)",
                isNull: value.isNull)
    }

    /// `N` + the IEEE bits as 16 hex digits, ordered so bytes sort like numbers, + `#` + `%.20g`.
    private static func appendNumberKey(_ number: Double, to out: inout [UInt8]) {
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

extension PrimaryKey {
    /// The key found in canonical text. A plain string (the common case) is taken straight from
    /// the bytes; anything else is read into a value and validated.
    package init(canonical text: UnsafeBufferPointer<UInt8>) throws(Invalid) {
        if text.count >= 2, text[0] == UInt8(ascii: "\""), !text.contains(UInt8(ascii: "\\")) {
            let string = String(decoding: UnsafeBufferPointer(rebasing: text[1..<(text.count - 1)]), as: UTF8.self)
            // "S" + the bytes must fit; a raw NUL cannot be in canonical text (it is escaped).
            if text.count - 1 > Self.maxEncodedSize {
                throw Invalid(message: "Primary key too long (max \(Self.maxEncodedSize - 1) characters): \(Document.string(string).prettyPrinted)",
                              isNull: false)
            }
            self.init(value: .string(string), column: .text(string))
            return
        }
        try self.init(Document(canonical: text))
    }
}
