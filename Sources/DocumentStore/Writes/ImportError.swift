/// Why an import stopped part way, and what it had committed by then.
///
/// An import commits chunk by chunk, so unlike a single `insert` it can fail after writing
/// something: the chunks before the failing one stay committed, the failing chunk and the rest
/// of the input are not written. ``committed`` says how far it got, so a caller can report it
/// or resume from ``line``.
///
/// ```swift
/// do {
///     try await logs.importDocuments(from: DocumentSource(fileDescriptor: descriptor))
/// } catch let error as ImportError {
///     if let syntax = error.cause as? JSONSyntaxError {
///         print(syntax)   // Invalid JSON at line 40213, column 17: ... (in the whole input)
///     }
///     print("\(error.committed.inserted) documents were inserted before it")
/// }
/// ```
///
/// Failures before anything is read (a missing table, a bad option) throw
/// ``DocumentStoreError`` itself, as `insert` does.
public struct ImportError: Error, CustomStringConvertible {
    /// What failed: a ``JSONSyntaxError`` (its line and column count in the whole input), a
    /// ``DocumentStoreError`` from writing a chunk, or the ``DocumentSource``'s own error.
    public var cause: any Error
    /// The results of the chunks committed before the failure, added up.
    public var committed: WriteResult
    /// The input line of the first document that was not committed: the failing chunk's first
    /// line.
    public var line: Int

    public init(cause: any Error, committed: WriteResult, line: Int) {
        self.cause = cause
        self.committed = committed
        self.line = line
    }

    /// The cause, then how much was committed before it.
    public var description: String {
        let count = committed.inserted + committed.replaced + committed.unchanged + committed.deleted
        return "\(cause) (\(count == 1 ? "1 document was" : "\(count) documents were") committed before it; "
            + "the input from line \(line) on was not written)"
    }
}
