import DocumentStore
import ReQL

/// A row written to a system table, read field by field the way RethinkDB's converter reads
/// it: each field must be there, and none may be left over once the table took its own.
///
/// ```swift
/// var row = try SystemRow(new)
/// let name = try row.field("name")
/// try row.checkNoExtraKeys()
/// ```
struct SystemRow {
    private var remaining: DocumentObject

    init(_ document: Document) throws(ReqlError) {
        guard case .object(let object) = document else {
            throw Self.failure("Expected an object; got \(Self.print(document))")
        }
        remaining = object
    }

    /// Takes a field, or RethinkDB's error naming it.
    mutating func field(_ name: String) throws(ReqlError) -> Document {
        guard let value = remaining[name] else {
            throw Self.failure("Expected a field named `\(name)`.")
        }
        remaining[name] = nil
        return value
    }

    /// Takes a field that may be missing.
    mutating func optionalField(_ name: String) -> Document? {
        defer { remaining[name] = nil }
        return remaining[name]
    }

    /// A field holding a RethinkDB name (`A-Z`, `a-z`, `0-9`, `_`, `-`); `what` is how the
    /// error calls it (`server name`, `table name`).
    mutating func name(_ field: String, what: String) throws(ReqlError) -> String {
        let value = try self.field(field)
        guard case .string(let text) = value else {
            throw Self.failure("In `\(field)`: Expected a \(what); got \(Self.print(value))")
        }
        guard ServerIdentity.isValidName(text) else {
            throw Self.failure("In `\(field)`: \(Self.print(value)) is not a valid \(what); Use A-Z, a-z, 0-9, _ and - only")
        }
        return text
    }

    /// Fails with the keys nobody took, as RethinkDB does.
    func checkNoExtraKeys() throws(ReqlError) {
        guard remaining.isEmpty else {
            throw Self.failure("Unexpected key(s): " + remaining.map(\.key).joined(separator: " "))
        }
    }

    static func failure(_ message: String) -> ReqlError {
        .runtime(.opFailed, message)
    }

    /// A datum as RethinkDB prints it in these errors (JSON).
    static func print(_ document: Document) -> String {
        document.jsonString
    }
}
