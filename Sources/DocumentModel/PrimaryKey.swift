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
        do {
            try KeyEncoder(.primary).encode(value, into: &encoded)
        } catch {
            throw Invalid(message: error.message, isNull: value.isNull)
        }
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

    /// RethinkDB's type letter of the key's encoding (`A`, `B`, `N`, `P` or `S`): the order of
    /// key types, which the SQL column's own order (numbers < text < blobs) does not follow.
    package var typeLetter: UInt8 {
        switch value {
        case .array: return UInt8(ascii: "A")
        case .bool: return UInt8(ascii: "B")
        case .number: return UInt8(ascii: "N")
        case .string: return UInt8(ascii: "S")
        default: return UInt8(ascii: "P")
        }
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
