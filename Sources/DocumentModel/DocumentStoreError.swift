/// An error that fails a whole call: nothing of that call was written.
///
/// Per-document problems (a duplicate key, an invalid key, a non-object element) are *not*
/// thrown: RethinkDB counts them in `WriteResult.errors` and `WriteResult.firstError` and
/// writes the other documents, and so does DocStore. What is thrown is what RethinkDB throws
/// before writing anything (a bad option, a missing table, input that is not a sequence), plus
/// what the disk does (full, read-only, locked past the busy timeout).
///
/// The message is RethinkDB's text where RethinkDB has one, so code that matched on it keeps
/// working:
///
/// ```swift
/// do {
///     try await store.table("marvel").insert(["id": 1])
/// } catch let error as DocumentStoreError where error.code == .opFailed {
///     print(error.message)  // Table `test.marvel` does not exist.
/// }
/// ```
///
/// It lives in DocumentModel, not in the library, because the JSON parser here throws it
/// too, and the ReQL evaluator, which must not depend on storage, turns each ``Code`` into
/// ReQL's error type.
///
/// ## Topics
/// - ``code``
/// - ``message``
/// - ``reason``
/// - ``Code``
/// - ``Reason``
public struct DocumentStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The broad class of the failure; ReQL's error types, plus storage.
    public var code: Code
    /// What went wrong, and where possible how to fix it.
    public var message: String
    /// SQLite's extended result code when SQLite reported the failure.
    public var sqliteCode: Int32?
    /// The exact condition, for the few failures a caller handles rather than reports; `nil`
    /// for the rest.
    ///
    /// ``code`` is ReQL's broad class and stays what RethinkDB says (both "already exists" and
    /// "does not exist" are `.opFailed`), so a caller that must tell those two apart (a
    /// command-line import that creates its table, racing another process doing the same)
    /// reads this instead of matching the message's text.
    ///
    /// ```swift
    /// } catch let error as DocumentStoreError where error.reason == .tableExists {
    ///     // another process created it first: use it
    /// }
    /// ```
    public var reason: Reason?

    /// Makes an error from its parts; the library and the parser build theirs with it, and
    /// tests build the error they expect.
    ///
    /// ```swift
    /// let expected = DocumentStoreError(.opFailed, "Table `test.marvel` does not exist.")
    /// await #expect(throws: expected) { try await store.table("marvel").count() }
    /// ```
    ///
    /// - Parameters:
    ///   - code: the broad class (ReQL's error type, or ``Code/storage`` and its kin).
    ///   - message: the text a person reads; RethinkDB's wording where it has one.
    ///   - sqliteCode: SQLite's extended result code, when SQLite reported the failure.
    ///   - reason: the exact condition, for the failures a caller acts on (see ``reason``).
    public init(_ code: Code, _ message: String, sqliteCode: Int32? = nil, reason: Reason? = nil) {
        self.code = code
        self.message = message
        self.sqliteCode = sqliteCode
        self.reason = reason
    }

    /// The ``message``, so printing the error shows RethinkDB's text and nothing else.
    ///
    /// ```swift
    /// print(error)   // Table `test.marvel` does not exist.
    /// ```
    public var description: String { message }

    /// Equal when code, message and SQLite code are: ``reason`` only refines what the message
    /// already says, so an error built by hand in a test, without a reason, still equals the one
    /// the store throws.
    public static func == (lhs: DocumentStoreError, rhs: DocumentStoreError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.sqliteCode == rhs.sqliteCode
    }

    /// A classification that can grow without breaking `switch` statements (a struct over a
    /// private enum, as swift-nio does it).
    ///
    /// The first five are RethinkDB's error types (`ReqlQueryLogicError` and so on), so
    /// `docstore serve` sends each one with that type; the others are what a SQLite file adds
    /// (the server sends them as `ReqlOpFailedError`, and ``busy`` as `ReqlOpIndeterminateError`).
    /// Compare with `==` or match in a `catch ... where` clause:
    ///
    /// ```swift
    /// } catch let error as DocumentStoreError where error.code == .busy {
    ///     // another process held the write lock past the busy timeout: retry later
    /// }
    /// ```
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case queryLogic, nonExistence, opFailed, resourceLimit, compile, storage, busy, notADocStoreFile, newerSchema
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// ReqlQueryLogicError: a value of the wrong type or an invalid option.
        public static let queryLogic = Code(.queryLogic)
        /// ReqlNonExistenceError (e.g. `get(nil)`).
        public static let nonExistence = Code(.nonExistence)
        /// ReqlOpFailedError: the table does not exist, or already exists.
        public static let opFailed = Code(.opFailed)
        /// ReqlResourceLimitError: an array over the size limit.
        public static let resourceLimit = Code(.resourceLimit)
        /// ReqlCompileError: an unknown or repeated option.
        public static let compile = Code(.compile)
        /// SQLite failed (disk full, I/O error, read-only file); nothing of the call was written.
        public static let storage = Code(.storage)
        /// The file stayed locked by another connection for longer than the busy timeout.
        public static let busy = Code(.busy)
        /// The file is not a DocStore database (another application's, or not SQLite at all).
        public static let notADocStoreFile = Code(.notADocStoreFile)
        /// The file was written by a newer DocStore whose schema this version does not know.
        public static let newerSchema = Code(.newerSchema)

        /// The code's name as written in Swift (`opFailed`, `storage`, ...), for logs.
        ///
        /// ```swift
        /// DocumentStoreError.Code.busy.description   // "busy"
        /// ```
        public var description: String { "\(base)" }
    }

    /// A condition finer than ``Code`` that callers act on, as a struct over a private enum so
    /// it can grow without breaking `switch` statements.
    ///
    /// ```swift
    /// do {
    ///     try await store.tableCreate("marvel")
    /// } catch let error as DocumentStoreError where error.reason == .tableExists {
    ///     // already there: use it
    /// }
    /// ```
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case tableExists, tableDoesNotExist
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// `tableCreate` found a table of exactly that name (RethinkDB's "already exists").
        public static let tableExists = Reason(.tableExists)
        /// The table named by the call is not in the catalog.
        public static let tableDoesNotExist = Reason(.tableDoesNotExist)

        /// The reason's name as written in Swift (`tableExists`, ...), for logs.
        ///
        /// ```swift
        /// DocumentStoreError.Reason.tableExists.description   // "tableExists"
        /// ```
        public var description: String { "\(base)" }
    }
}

extension DocumentStoreError {
    package static func tableDoesNotExist(_ database: String, _ table: String) -> DocumentStoreError {
        DocumentStoreError(.opFailed, "Table `\(database).\(table)` does not exist.", reason: .tableDoesNotExist)
    }
}
