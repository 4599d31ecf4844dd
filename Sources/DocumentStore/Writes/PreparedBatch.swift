import DocumentModel
/// The documents of one write call, validated and in canonical form, ready for the writer.
///
/// Preparing runs on the caller's task, before the hop to the writer's queue: the JSON work of
/// one call overlaps the SQLite work of the call before it, and the writer does only B-tree work.
struct PreparedBatch: Sendable {
    /// The canonical text of every document, back to back.
    var bytes: [UInt8] = []
    var documents: [PreparedDocument] = []
    /// Keys generated for documents without one, in input order.
    var generatedKeys: [String] = []

    /// Stored arrays are capped at 100,000 elements whatever `array_limit` says (RethinkDB's
    /// `serialize_datum.cc`).
    static let maxStoredArray = 100_000

    init() {}

    mutating func append(bytes document: UnsafeBufferPointer<UInt8>, key: PrimaryKey, parsed: ParsedDocument) {
        let start = bytes.count
        bytes.append(contentsOf: document)
        documents.append(PreparedDocument(range: start..<bytes.count, key: key, validationError: nil,
                                          needsSemanticCompare: parsed.needsSemanticCompare,
                                          maxArrayCount: parsed.maxArrayCount))
    }

    mutating func appendFailure(_ message: String) {
        documents.append(PreparedDocument(range: bytes.count..<bytes.count, key: nil, validationError: message,
                                          needsSemanticCompare: false, maxArrayCount: 0))
    }
}

/// One document of a batch: where its text is, its key, or why it already failed.
struct PreparedDocument: Sendable {
    var range: Range<Int>
    var key: PrimaryKey?
    /// A failure found before storage (not an object, bad key, bad content). RethinkDB calls
    /// these "trivial" errors: they get a change entry even with `return_changes: true`, and
    /// their message is preferred for `first_error`.
    var validationError: String?
    var needsSemanticCompare: Bool
    var maxArrayCount: Int
}
