import DocumentModel
import ReQL

/// Where dumps meet write hooks (RethinkDB's `get_write_hook`/`set_write_hook`).
///
/// A dump's `.info` carries the hook as `get_write_hook()` gives it, `{"function": BINARY,
/// "query": "setWriteHook(...)"}`, so a DocStore dump restored into DocStore keeps its hook. The
/// BINARY is DocStore's own form (``WriteHook/binary``): a hook RethinkDB serialised is not
/// read (DocStore does not decode RethinkDB's write-hook bytes), and restore reports it in
/// ``ArchiveSummary/skippedWriteHooks`` with its query text, the documents restored all the same.
extension Table {
    /// The `write_hook` of the table's `.info` file: null when the table has none.
    func writeHookForDump() async throws -> Document {
        try await writeHook()?.document ?? .null
    }

    /// Sets the write hook of an archive's `.info` file (null: none); returns why it was not
    /// set, or nil when it was (or there was none).
    func restoreWriteHook(_ hook: Document) async throws -> String? {
        guard !hook.isNull else { return nil }
        guard let function = hook["function"], let bytes = Binary.bytes(of: function),
              let decoded = try? WriteHook(binary: bytes) else {
            return "DocStore cannot read this write hook's function (RethinkDB's serialised form); set it again from its definition: \(hook["query"]?.stringValue ?? hook.jsonString)."
        }
        _ = try await setWriteHook(decoded)
        return nil
    }
}
