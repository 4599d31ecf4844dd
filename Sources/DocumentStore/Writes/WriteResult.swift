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
///
/// Arrays (``generatedKeys``, ``changes``) hold at most ``arrayLimit`` entries; past it they are
/// cut and ``warnings`` says so, in RethinkDB's words. A result knows how many entries it had
/// in all, so results added up with ``merge(_:)`` (the chunks of an import, the writes of a
/// `for_each`) warn with the true totals.
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
    public private(set) var generatedKeys: [String]?
    /// `{old_val, new_val}` entries, when `returnChanges` asked for them.
    public private(set) var changes: [Change]?
    /// The 1.x API's `return_vals`: the single document before and after the write.
    public var legacyValues: LegacyValues?
    /// The most entries ``generatedKeys`` and ``changes`` hold (RethinkDB's `array_limit`).
    public let arrayLimit: Int
    /// How many keys were generated and how many changes were reported, including those cut.
    private var generatedKeyTotal = 0
    private var changeTotal = 0

    /// An empty result, to add others to with ``merge(_:)``.
    ///
    /// - Parameter arrayLimit: the most entries its arrays keep (RethinkDB's default, 100,000).
    public init(arrayLimit: Int = ArrayLimit.default) {
        self.arrayLimit = max(1, arrayLimit)
    }

    /// RethinkDB's warnings for arrays cut at ``arrayLimit``.
    public var warnings: [String]? {
        var warnings: [String] = []
        if generatedKeyTotal > arrayLimit {
            warnings.append("Too many generated keys (\(generatedKeyTotal)), array truncated to \(arrayLimit).")
        }
        if changeTotal > arrayLimit {
            warnings.append("Too many changes, array truncated to \(arrayLimit).")
        }
        return warnings.isEmpty ? nil : warnings
    }

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

        /// The entry as RethinkDB's `{old_val, new_val}` object (with `error` when it failed).
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

        public init(oldValue: Document?, newValue: Document?) {
            self.oldValue = oldValue
            self.newValue = newValue
        }
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
    /// arrays concatenate up to ``arrayLimit``, and the earlier `first_error` stays.
    public mutating func merge(_ other: WriteResult) {
        inserted += other.inserted
        replaced += other.replaced
        unchanged += other.unchanged
        errors += other.errors
        deleted += other.deleted
        skipped += other.skipped
        if firstError == nil { firstError = other.firstError }
        if let keys = other.generatedKeys {
            append(generatedKeys: keys, total: other.generatedKeyTotal)
        }
        if let more = other.changes {
            append(changes: more, total: other.changeTotal)
        }
    }

    // MARK: Arrays, capped in one place

    /// Adds generated keys (of which `total` were made, the rest already cut).
    mutating func append(generatedKeys keys: [String], total: Int? = nil) {
        let room = max(0, arrayLimit - (generatedKeys?.count ?? 0))
        generatedKeys = (generatedKeys ?? []) + keys.prefix(room)
        generatedKeyTotal += total ?? keys.count
    }

    /// Adds change entries (of which there were `total`, the rest already cut). An empty array
    /// still marks the result as one that reports changes.
    mutating func append(changes more: [Change], total: Int? = nil) {
        let room = max(0, arrayLimit - (changes?.count ?? 0))
        changes = (changes ?? []) + more.prefix(room)
        changeTotal += total ?? more.count
    }

    /// Keeps only the first change entry: RethinkDB reports a single entry for a batch whose
    /// every document failed validation.
    mutating func keepFirstChangeOnly() {
        guard let changes, changes.count > 1 else { return }
        self.changes = [changes[0]]
        changeTotal = 1
    }
}
