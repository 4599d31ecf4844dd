import DocumentModel
import ReQL

/// The BINARY `function` of `get_write_hook`, in RethinkDB 2.4's own bytes: the prefix
/// `$reql_write_hook_function$`, then the function serialised as a `ql::wire_func_t`
/// (``ReqlWireFunctionBlob``) with no version header (`convert_write_hook_to_datum` writes it
/// at `cluster_version_t::LATEST_DISK`, and `set_write_hook` reads it back the same way). Write
/// hooks are new in 2.4, so there is no older RethinkDB form to read.
extension WriteHook {
    /// The hook inside the `function` that ``Table/writeHook()`` gave as ``binary``, or that a
    /// RethinkDB 2.4 cluster's `get_write_hook` gave, so a hook can be copied to another table,
    /// file or cluster, as `rethinkdb dump`/`restore` carry it.
    ///
    /// ```swift
    /// if let hook = try await posts.writeHook() {
    ///     try await drafts.setWriteHook(try WriteHook(binary: hook.binary))
    /// }
    /// ```
    ///
    /// The JSON form earlier DocStore versions wrote (the prefix, `docstore:`, then
    /// `{"function":[69,...]}`) is still read, since dumps and clients may have kept it.
    ///
    /// - Throws: RethinkDB's "Cannot create a write hook except from a
    ///   reql_write_hook_function returned from \`get_write_hook\`." for bytes without its
    ///   prefix; "Binary blob passed to set_write_hook could not be interpreted as a
    ///   reql_write_hook_function (...)" for malformed or truncated bytes; DocStore's own text
    ///   for a function that captured variables of the query that set it; and the errors of
    ///   ``init(reql:)`` for a function that is not a deterministic one of three arguments
    ///   (an `r.js` function among them).
    public init(binary: [UInt8]) throws {
        guard binary.starts(with: Self.prefix) else {
            throw DocumentStoreError(.queryLogic, "Cannot create a write hook except from a reql_write_hook_function returned from `get_write_hook`.")
        }
        let rest = binary.dropFirst(Self.prefix.count)
        guard rest.starts(with: Self.legacyMarker) else {
            try self.init(reql: try Self.decodeRethinkDB(binary))
            return
        }
        guard let payload = try? Document(parsing: Array(rest.dropFirst(Self.legacyMarker.count))),
              let term = payload["function"] else {
            throw Self.uninterpretable("a DocStore hook that is not JSON")
        }
        try self.init(reql: term)
    }

    /// RethinkDB's prefix of a write hook's BINARY form (`write_hook_blob_prefix`).
    static let prefix = Array("$reql_write_hook_function$".utf8)
    /// What follows the prefix in the blobs of earlier DocStore versions.
    private static let legacyMarker = Array("docstore:".utf8)

    /// The hook as RethinkDB 2.4's `get_write_hook` gives it, byte for byte, so a DocStore
    /// dump's `write_hook` restores into a RethinkDB cluster and ``init(binary:)`` reads it back.
    ///
    /// ```swift
    /// let copy = try WriteHook(binary: hook.binary)   // copy == hook
    /// ```
    public var binary: [UInt8] {
        // Checked when the hook was made, so compiling cannot fail here.
        guard let compiled = try? Term.compile(term), compiled.args.count == 2 else {
            preconditionFailure("a WriteHook holds a compiled FUNC term")
        }
        var writer = BlobWriter()
        writer.append(Self.prefix)
        ReqlWireFunctionBlob.write(compiled, to: &writer)
        return writer.bytes
    }

    /// The FUNC term of RethinkDB's bytes. RethinkDB itself ignores the archive's result
    /// there; DocStore refuses what it cannot read whole rather than set a broken hook.
    private static func decodeRethinkDB(_ bytes: [UInt8]) throws -> Document {
        var reader = BlobReader(bytes, offset: prefix.count)
        do {
            // A JavaScript hook fails RethinkDB's `assert_deterministic` once compiled.
            let term = try ReqlWireFunctionBlob.read(
                &reader, field: "write hook function",
                javaScript: DocumentStoreError(.queryLogic, "Could not prove function deterministic.  Write hook functions must be deterministic."),
                capturedScope: DocumentStoreError(.queryLogic, "DocStore cannot read a write hook function that captured variables of the query that set it; set the hook again from its function."))
            guard reader.isAtEnd else { throw BlobFormatError("bytes follow the function") }
            return term
        } catch let error as BlobFormatError {
            throw uninterpretable(error.reason)
        }
    }

    private static func uninterpretable(_ reason: String) -> DocumentStoreError {
        DocumentStoreError(.queryLogic, "Binary blob passed to set_write_hook could not be interpreted as a reql_write_hook_function (\(reason)).")
    }
}
