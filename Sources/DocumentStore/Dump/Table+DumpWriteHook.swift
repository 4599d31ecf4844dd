import DocumentModel

/// The one place where dumps meet write hooks (RethinkDB's `get_write_hook`/`set_write_hook`).
///
/// Write hooks are being added on another branch; until they are wired in here, a dump writes
/// `"write_hook": null` (what RethinkDB writes for a table without one) and a restore reports
/// each hook of an archive in ``ArchiveSummary/skippedWriteHooks`` instead of setting it.
/// Wiring them is these two functions only: read the table's hook as RethinkDB's
/// `{"function": BINARY, "query": "setWriteHook(...)"}` object, and set one from its BINARY
/// `function`.
extension Table {
    /// The `write_hook` of the table's `.info` file: `get_write_hook()` with raw binaries.
    func writeHookForDump() async throws -> Document {
        .null
    }

    /// Sets the write hook of an archive's `.info` file (null: none); returns why it was not
    /// set, or nil when it was (or there was none).
    func restoreWriteHook(_ hook: Document) async throws -> String? {
        guard !hook.isNull else { return nil }
        return "DocStore does not run write hooks yet; set it again once it does (its definition: \(hook["query"]?.stringValue ?? hook.jsonString))."
    }
}
