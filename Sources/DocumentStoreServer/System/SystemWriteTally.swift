import DocumentStore
import ReQL

/// A system table write's result, row by row, as RethinkDB counts an artificial table's
/// writes: each row inserted, replaced, deleted, unchanged or skipped, and a row's error
/// counted in `errors` with the first one kept in `first_error`.
struct SystemWriteTally {
    var inserted = 0, replaced = 0, deleted = 0, unchanged = 0, skipped = 0, errors = 0
    var firstError: String?
    var generatedKeys: [Document] = []
    var changes: [Document] = []
    let returnChanges: Document?

    init(returnChanges: Document?) {
        self.returnChanges = returnChanges
    }

    /// Writes one row through its table and counts what the write was.
    mutating func apply(_ table: any SystemTable, key: Document, old: Document?, new: Document?, _ context: SystemContext) throws(ReqlError) {
        switch (old, new) {
        case (nil, nil):
            skipped += 1
            return
        case (let old?, let new?) where old == new:
            unchanged += 1
            if returnChanges == .string("always") { changes.append(["old_val": old, "new_val": new]) }
            return
        default:
            break
        }
        try table.write(key: key, old: old, new: new, context)
        switch (old, new) {
        case (nil, _): inserted += 1
        case (_, nil): deleted += 1
        default: replaced += 1
        }
        if let returnChanges, returnChanges != .bool(false) {
            changes.append(["old_val": old ?? .null, "new_val": new ?? .null])
        }
    }

    mutating func fail(_ message: String) {
        errors += 1
        if firstError == nil { firstError = message }
    }

    var document: Document {
        var result: DocumentObject = [
            "deleted": .number(Double(deleted)), "errors": .number(Double(errors)), "inserted": .number(Double(inserted)),
            "replaced": .number(Double(replaced)), "skipped": .number(Double(skipped)), "unchanged": .number(Double(unchanged)),
        ]
        if let firstError { result["first_error"] = .string(firstError) }
        if !generatedKeys.isEmpty { result["generated_keys"] = .array(generatedKeys) }
        if let returnChanges, returnChanges != .bool(false) { result["changes"] = .array(changes) }
        return .object(result)
    }
}
