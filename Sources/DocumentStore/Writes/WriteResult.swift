import DocumentModel
/// What a write did, in RethinkDB's result object.
///
/// The six counters are always there; ``firstError``, ``generatedKeys``, ``changes`` and
/// ``warnings`` only when they apply, exactly as RethinkDB sends them, so ``document`` (and
/// ``jsonString``) is the JSON a RethinkDB driver would have printed:
///
/// ```swift
/// let result = try await marvel.insert(["superhero": "Iron Man"])
/// result.inserted        // 1
/// result.generatedKeys   // ["dd782b64-70a7-43e4-b65e-dd14ae61d947"]
/// result.jsonString      // {"deleted":0,"errors":0,"generated_keys":["dd78..."],"inserted":1,...}
/// ```
///
/// Per-document failures do not throw: they are counted in ``errors``, and the text of the first
/// one is in ``firstError``; the other documents of the call were written.
public struct WriteResult: Sendable, Equatable {
    public var inserted = 0
    public var replaced = 0
    public var unchanged = 0
    public var errors = 0
    public var deleted = 0
    public var skipped = 0
    /// The message of the first failed document (a validation failure wins over a storage one,
    /// as in RethinkDB).
    public var firstError: String?
    /// Keys DocStore generated for documents that had none, in input order.
    public var generatedKeys: [String]?
    /// `{old_val, new_val}` entries, when `returnChanges` asked for them.
    public var changes: [Change]?
    public var warnings: [String]?
    /// The 1.x API's `return_vals`: the single document before and after the write.
    public var legacyValues: LegacyValues?
    /// How many keys were generated in all, including those cut from ``generatedKeys``.
    var generatedKeyTotal = 0

    public init() {}

    /// One entry of ``changes``.
    public struct Change: Sendable, Equatable {
        public var oldValue: Document?
        public var newValue: Document?
        /// Why this document failed (only with ``ReturnChanges/always``, or for validation failures).
        public var error: String?

        public init(oldValue: Document?, newValue: Document?, error: String? = nil) {
            self.oldValue = oldValue
            self.newValue = newValue
            self.error = error
        }

        public var document: Document {
            var object: DocumentObject = ["new_val": newValue ?? .null, "old_val": oldValue ?? .null]
            if let error { object["error"] = .string(error) }
            return .object(object)
        }
    }

    /// `old_val` and `new_val` at the top level of the result, as RethinkDB 1.x returned them.
    public struct LegacyValues: Sendable, Equatable {
        public var oldValue: Document?
        public var newValue: Document?
    }

    /// The result as RethinkDB's JSON object (keys sorted, counters always present).
    public var document: Document {
        var object: DocumentObject = [
            "inserted": .number(Double(inserted)), "replaced": .number(Double(replaced)),
            "unchanged": .number(Double(unchanged)), "errors": .number(Double(errors)),
            "deleted": .number(Double(deleted)), "skipped": .number(Double(skipped)),
        ]
        if let firstError { object["first_error"] = .string(firstError) }
        if let generatedKeys { object["generated_keys"] = .array(generatedKeys.map(Document.string)) }
        if let changes { object["changes"] = .array(changes.map(\.document)) }
        if let warnings { object["warnings"] = .array(warnings.map(Document.string)) }
        if let legacyValues {
            object["old_val"] = legacyValues.oldValue ?? .null
            object["new_val"] = legacyValues.newValue ?? .null
        }
        return .object(object)
    }

    /// The canonical JSON of ``document``: one line, keys sorted.
    public var jsonString: String { document.jsonString }

    /// Adds up two results, as RethinkDB merges the results of its batches: counters add,
    /// arrays concatenate, and the earlier `first_error` stays.
    public mutating func merge(_ other: WriteResult) {
        inserted += other.inserted
        replaced += other.replaced
        unchanged += other.unchanged
        errors += other.errors
        deleted += other.deleted
        skipped += other.skipped
        if firstError == nil { firstError = other.firstError }
        // Arrays stay within RethinkDB's array limit, as its stats_merge keeps them: an import
        // of millions of keyless documents must not hold (or print) millions of keys.
        let limit = 100_000
        if let keys = other.generatedKeys {
            generatedKeyTotal = max(generatedKeyTotal, generatedKeys?.count ?? 0) + max(other.generatedKeyTotal, keys.count)
            generatedKeys = Array(((generatedKeys ?? []) + keys).prefix(limit))
            if generatedKeyTotal > limit {
                warnings = (warnings ?? []).filter { !$0.hasPrefix("Too many generated keys") }
                    + ["Too many generated keys (\(generatedKeyTotal)), array truncated to \(limit)."]
            }
        }
        if let more = other.changes {
            let combined = (changes ?? []) + more
            changes = Array(combined.prefix(limit))
            if combined.count > limit && !(warnings ?? []).contains(where: { $0.hasPrefix("Too many changes") }) {
                warnings = (warnings ?? []) + ["Too many changes, array truncated to \(limit)."]
            }
        }
        if let more = other.warnings {
            for warning in more where !(warnings ?? []).contains(warning) && !warning.hasPrefix("Too many generated keys") {
                warnings = (warnings ?? []) + [warning]
            }
        }
    }
}
