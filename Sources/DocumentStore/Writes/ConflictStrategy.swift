import DocumentModel
/// What `insert` does when a document's primary key is already in the table (RethinkDB's
/// `conflict` option). A key that is not there yet is always inserted.
///
/// ```swift
/// try await marvel.insert(hero)                              // .error: "Duplicate primary key ..."
/// try await marvel.insert(hero, conflict: .replace)          // store the new document as it is
/// try await marvel.insert(patch, conflict: .update)          // deep-merge it into the old one
/// try await marvel.insert(hit, conflict: .resolve { key, old, new in
///     var merged = old
///     merged["hits"] = .number((old["hits"]?.doubleValue ?? 0) + 1)
///     return merged                                          // nil would delete the document
/// })
/// ```
///
/// The closure runs inside the write transaction, on the store's writer; keep it quick and do
/// not call the store from it. It receives the key *value* (RethinkDB's ReQL function receives
/// the key field's name, which in Swift is always at hand as `table.primaryKey`). An error it
/// throws fails that document only, with the error's text as the message.
public enum ConflictStrategy: Sendable {
    /// Count a "Duplicate primary key" error for the document and leave the stored one.
    case error
    /// Replace the stored document by the new one.
    case replace
    /// Merge the new document into the stored one (`old.merging(new)`).
    case update
    /// Decide with a closure: return the document to store, or nil (or `.null`) to delete the
    /// stored one.
    case resolve(@Sendable (_ key: Document, _ old: Document, _ new: Document) throws -> Document?)

    /// Parses RethinkDB's option text (`"error"`, `"replace"`, `"update"`), with its error.
    ///
    /// ```swift
    /// let conflict = try ConflictStrategy(option: "update")   // .update
    /// ```
    ///
    /// - Parameter text: the option as RethinkDB spells it; a function has no text form, so
    ///   ``resolve(_:)`` is never parsed.
    /// - Throws: `DocumentStoreError` (`.queryLogic`) "Conflict option \`merge\` unrecognized
    ///   (options are "error", "replace" and "update")." for any other text.
    public init(option text: String) throws {
        switch text {
        case "error": self = .error
        case "replace": self = .replace
        case "update": self = .update
        default:
            throw DocumentStoreError(.queryLogic, "Conflict option `\(text)` unrecognized (options are \"error\", \"replace\" and \"update\").")
        }
    }
}

/// Which changes a write reports in ``WriteResult/changes`` (RethinkDB's `return_changes`).
///
/// `true` and `false` literals work too: `returnChanges: true` is ``on``.
///
/// ```swift
/// let result = try await marvel.insert(hero, conflict: .replace, returnChanges: true)
/// result.changes?.first?.oldValue   // the document it replaced, or nil for a new one
/// ```
public enum ReturnChanges: Sendable, Equatable, ExpressibleByBooleanLiteral {
    /// No `changes` array.
    case off
    /// One `{old_val, new_val}` entry for each document that really changed.
    case on
    /// One entry for every document the call touched, unchanged and failed ones included
    /// (failed ones carry an `error` field).
    case always

    /// `true` is ``on`` and `false` is ``off``, so Swift calls read like RethinkDB's
    /// `return_changes=True`.
    ///
    /// ```swift
    /// try await marvel.document(1).update(["hits": 2], returnChanges: true)
    /// ```
    public init(booleanLiteral value: Bool) {
        self = value ? .on : .off
    }

    /// Parses RethinkDB's option value: `true`, `false` or `"always"`.
    ///
    /// Any value that is not a string, `false` or `null` counts as `true` (`0` and `{}`
    /// included), as in RethinkDB's `datum_t::as_bool`.
    ///
    /// ```swift
    /// let returnChanges = try ReturnChanges(option: "always")   // .always
    /// ```
    ///
    /// - Parameter value: the option as a ReQL value.
    /// - Throws: `DocumentStoreError` (`.queryLogic`) for a string other than `"always"`.
    public init(option value: Document) throws {
        switch value {
        case .string("always"): self = .always
        case .string(let other):
            throw DocumentStoreError(.queryLogic, "Invalid return_changes value `\(other)` (options are `true`, `false`, and `'always'`.)")
        case .bool(false), .null: self = .off
        default: self = .on
        }
    }
}
