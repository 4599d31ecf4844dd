import DocumentModel

/// RethinkDB's checks on a document that a write computed to replace a stored one (a conflict
/// function's result, an update's merge, a replace's document): `rcheck_row_replacement` and
/// `rcheck_valid_replace`. Insert and replace both use it, so the rules and their messages are
/// written once.
enum ReplacementCheck {
    /// The stored form of a document the write path computed.
    struct Stored {
        var text: [UInt8]
        var maxArrayCount: Int
        var needsSemanticCompare: Bool
    }

    /// Checks `new` as the replacement of the row whose key is `key` (`old` is the stored
    /// document, nil when the key is absent): the stored text, or the message to fail it with.
    ///
    /// - Parameter old: read only to word an error.
    static func check(_ new: Document, key: Document, primaryKey: String,
                      old: @autoclosure () -> Document?) -> Result<Stored, Message> {
        guard case .object(let object) = new else {
            return .failure(Message("Inserted value must be an OBJECT (got \(new.typeName)):\n\(new.truncatedPrettyPrinted)"))
        }
        guard let newKey = object[primaryKey] else {
            return .failure(Message("Inserted object must have primary key `\(primaryKey)`:\n\(new.truncatedPrettyPrinted)"))
        }
        if !sameKey(newKey, key) {
            if let old = old() {
                return .failure(Message("Primary key `\(primaryKey)` cannot be changed (`\(old.truncatedPrettyPrinted)` -> `\(new.truncatedPrettyPrinted)`)."))
            }
            return .failure(Message("Primary key `\(primaryKey)` cannot be changed (null -> \(new.truncatedPrettyPrinted))"))
        }
        var check = DocumentCheck()
        if let error = check.validate(new) { return .failure(Message(error)) }
        if check.maxArrayCount > PreparedBatch.maxStoredArray { return .failure(Message(arrayTooLarge)) }
        return .success(Stored(text: new.jsonBytes, maxArrayCount: check.maxArrayCount,
                               needsSemanticCompare: check.needsSemanticCompare))
    }

    /// Keys are the same when they address the same row: SQLite's comparison of their column
    /// form (so `1` and `1.0`, or two times at one instant, are one key).
    private static func sameKey(_ a: Document, _ b: Document) -> Bool {
        guard let x = try? PrimaryKey(a), let y = try? PrimaryKey(b) else { return a == b }
        return x.column == y.column
    }

    /// RethinkDB's limit on arrays written to disk, whatever `array_limit` says.
    static let arrayTooLarge = "Array too large for disk writes (limit 100,000 elements)."

    /// Why a replacement was refused, in RethinkDB's words.
    struct Message: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }

    /// The text a thrown error contributes to `first_error`.
    static func message(of error: any Error) -> String {
        if let error = error as? DocumentStoreError { return error.message }
        return String(describing: error)
    }

    /// Equal text is equal documents. Unequal text can still be equal documents when `-0.0`
    /// meets `0` or two times differ only in timezone, so those (rare) cases compare values.
    static func isUnchanged(old: [UInt8], new: [UInt8], newNeedsSemanticCompare: Bool) -> Bool {
        if old == new { return true }
        guard newNeedsSemanticCompare || containsSemanticMarker(old) else { return false }
        return Document(canonical: old) == Document(canonical: new)
    }

    private static let negativeZero = Array("-0.0".utf8)
    private static let reqlType = Array("$reql_type$".utf8)

    private static func containsSemanticMarker(_ text: [UInt8]) -> Bool {
        contains(text, negativeZero) || contains(text, reqlType)
    }

    private static func contains(_ text: [UInt8], _ needle: [UInt8]) -> Bool {
        guard text.count >= needle.count, let first = needle.first else { return false }
        var index = 0
        while index <= text.count - needle.count {
            if text[index] == first && text[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
