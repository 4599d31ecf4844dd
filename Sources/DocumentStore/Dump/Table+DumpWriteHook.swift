import DocumentModel
import ReQL

/// Where dumps meet write hooks (RethinkDB's `get_write_hook`/`set_write_hook`).
///
/// A dump's `.info` carries the hook as `get_write_hook()` gives it, `{"function": BINARY,
/// "query": "setWriteHook(...)"}`. The BINARY is RethinkDB 2.4's own bytes (``WriteHook/binary``),
/// so the hook moves between DocStore and a RethinkDB cluster in either direction. A hook DocStore
/// cannot set (one that captured query variables, or whose function DocStore does not evaluate)
/// is reported in ``ArchiveSummary/skippedWriteHooks`` with why and its query text, the documents
/// restored all the same.
extension Table {
    /// The `write_hook` of the table's `.info` file: null when the table has none.
    func writeHookForDump() async throws -> Document {
        try await writeHook()?.document ?? .null
    }

    /// Sets the write hook of an archive's `.info` file (null: none); returns why it was not
    /// set, or nil when it was (or there was none).
    func restoreWriteHook(_ hook: Document) async throws -> String? {
        guard !hook.isNull else { return nil }
        let query = hook["query"]?.stringValue ?? hook.jsonString
        guard let function = hook["function"], let bytes = Binary.bytes(of: function) else {
            return "This write hook has no BINARY function; set it again from its definition: \(query)."
        }
        let decoded: WriteHook
        do {
            decoded = try WriteHook(binary: bytes)
        } catch let error as DocumentStoreError {
            return "DocStore cannot set this write hook (\(error.message)); set it again from its definition: \(query)."
        }
        _ = try await setWriteHook(decoded)
        return nil
    }
}
