import DocumentModel

/// What ``Table/setWriteHook(_:)`` did, as RethinkDB's `set_write_hook` reports it.
///
/// ```swift
/// let change = try await posts.setWriteHook(hook)
/// change.document.jsonString   // {"created":1}
/// ```
public enum WriteHookChange: String, Sendable, Hashable {
    /// The table had no hook and now has one.
    case created
    /// The table's hook was replaced by another.
    case replaced
    /// The hook was removed (RethinkDB says so also when the table had none).
    case deleted

    /// RethinkDB's result object: `{"created": 1}`, `{"replaced": 1}` or `{"deleted": 1}`.
    ///
    /// ```swift
    /// try await posts.setWriteHook(nil).document   // {"deleted": 1}
    /// ```
    public var document: Document {
        .object(DocumentObject(uniqueKeysWithValues: [(rawValue, .number(1))]))
    }
}
