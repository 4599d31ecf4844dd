/// RethinkDB's limit on the elements of an array a query builds or returns (`array_limit`).
///
/// Every place that caps an array uses this one value and this one message: a write's
/// `changes` and `generated_keys`, an insert of an array, and the ReQL evaluator's arrays. A
/// call may raise or lower it, as RethinkDB's `run(array_limit=...)` does:
///
/// ```swift
/// let options = InsertOptions(returnChanges: .on, arrayLimit: 500_000)
/// ```
public enum ArrayLimit {
    /// RethinkDB's default, 100,000 elements.
    ///
    /// ```swift
    /// var result = WriteResult(arrayLimit: ArrayLimit.default)
    /// ```
    public static let `default` = 100_000

    /// RethinkDB's error for an array over `limit`, word for word.
    ///
    /// It is the text of ``exceeded(_:)``, which both the library and the ReQL evaluator
    /// throw, so a driver sees the same message from an insert and from a query.
    ///
    /// ```swift
    /// ArrayLimit.exceededMessage(3)
    /// // "Array over size limit `3`.  To raise the number of allowed elements, modify ..."
    /// ```
    ///
    /// - Parameter limit: the limit the array went over.
    /// - Returns: RethinkDB's message naming `limit`.
    public static func exceededMessage(_ limit: Int) -> String {
        "Array over size limit `\(limit)`.  To raise the number of allowed elements, modify the `array_limit` option to `.run` (not available in the Data Explorer), or use an index."
    }

    /// RethinkDB's error for a limit below 1, given as the caller wrote it.
    public static func illegalMessage(_ limit: String) -> String {
        "Illegal array size limit `\(limit)`.  (Must be >= 1.)"
    }

    /// The error a library call throws for an array over `limit`.
    ///
    /// ```swift
    /// guard documents.count <= limit else { throw ArrayLimit.exceeded(limit) }
    /// ```
    ///
    /// - Parameter limit: the limit the array went over.
    /// - Returns: a ``DocumentStoreError/Code/resourceLimit`` error (RethinkDB's
    ///   `ReqlResourceLimitError`) with ``exceededMessage(_:)``.
    public static func exceeded(_ limit: Int) -> DocumentStoreError {
        DocumentStoreError(.resourceLimit, exceededMessage(limit))
    }
}
