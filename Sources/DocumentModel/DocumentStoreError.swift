/// An error that fails a whole call: nothing of that call was written.
///
/// Per-document problems (a duplicate key, an invalid key, a non-object element) are *not*
/// thrown: RethinkDB counts them in ``WriteResult/errors`` and ``WriteResult/firstError`` and
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
public struct DocumentStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The broad class of the failure; ReQL's error types, plus storage.
    public var code: Code
    /// What went wrong, and where possible how to fix it.
    public var message: String
    /// SQLite's extended result code when SQLite reported the failure.
    public var sqliteCode: Int32?

    public init(_ code: Code, _ message: String, sqliteCode: Int32? = nil) {
        self.code = code
        self.message = message
        self.sqliteCode = sqliteCode
    }

    public var description: String { message }

    /// A classification that can grow without breaking `switch` statements (a struct over a
    /// private enum, as swift-nio does it).
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

        public var description: String { "\(base)" }
    }
}

package extension DocumentStoreError {
    package static func tableDoesNotExist(_ database: String, _ table: String) -> DocumentStoreError {
        DocumentStoreError(.opFailed, "Table `\(database).\(table)` does not exist.")
    }
}
