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
    /// Documents written under a key that was not stored before, RethinkDB's `inserted`.
    ///
    /// A `replace` of a missing key counts here too, since it stores a new document.
    ///
    /// ```swift
    /// try await marvel.insert([["id": 1], ["id": 2]]).inserted   // 2
    /// ```
    public var inserted = 0
    /// Stored documents overwritten with a different value, RethinkDB's `replaced`: by
    /// `update` or `replace`, or by an insert under `conflict: .replace`, `.update` or
    /// `.resolve`.
    ///
    /// ```swift
    /// try await marvel.insert(["id": 1, "hits": 2], conflict: .replace).replaced   // 1
    /// ```
    public var replaced = 0
    /// Documents a write would have changed into an equal value, RethinkDB's `unchanged`;
    /// they are not written again.
    ///
    /// ```swift
    /// try await marvel.document(1).update(["hits": 2]).unchanged   // 1 when hits was already 2
    /// ```
    public var unchanged = 0
    /// Documents that failed (a duplicate key, an invalid key, a value that is not an
    /// object, ...), RethinkDB's `errors`; ``firstError`` has the first message. They do not
    /// throw, and the call's other documents are written.
    ///
    /// ```swift
    /// let result = try await marvel.insert([["id": 1], ["id": 1]])
    /// result.errors       // 1: the second one is a duplicate
    /// result.firstError   // "Duplicate primary key `id`: ..."
    /// ```
    public var errors = 0
    /// Documents removed, RethinkDB's `deleted`: by `delete`, by a `replace` with nil, or by
    /// a conflict closure that returned nil.
    ///
    /// ```swift
    /// try await marvel.document("Loki").delete().deleted   // 1, or 0 if Loki was not there
    /// ```
    public var deleted = 0
    /// Keys selected for a write that have no document, RethinkDB's `skipped`: an `update` or
    /// `delete` of a missing key, for example.
    ///
    /// ```swift
    /// try await marvel.document("Nobody").delete().skipped   // 1
    /// ```
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
    /// ```swift
    /// var total = WriteResult()
    /// for chunk in chunks { total.merge(try await logs.insert(json: chunk)) }
    /// ```
    ///
    /// - Parameter arrayLimit: the most entries its arrays keep (RethinkDB's default, 100,000).
    public init(arrayLimit: Int = ArrayLimit.default) {
        self.arrayLimit = max(1, arrayLimit)
    }

    /// RethinkDB's warnings for arrays cut at ``arrayLimit``; nil when nothing was cut.
    ///
    /// Computed from the true totals rather than stored, so results added with ``merge(_:)``
    /// warn once, with the numbers of the whole.
    ///
    /// ```swift
    /// result.warnings   // ["Too many generated keys (150000), array truncated to 100000."]
    /// ```
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
    ///
    /// ```swift
    /// let result = try await marvel.document(1).update(["hits": 2], returnChanges: .on)
    /// let change = result.changes?.first
    /// change?.oldValue?["hits"]   // the value before
    /// change?.newValue?["hits"]   // 2
    /// ```
    public struct Change: Sendable, Equatable {
        /// The document before the write, RethinkDB's `old_val`; nil (`null` on the wire) when
        /// there was none, as for an insert.
        public var oldValue: Document?
        /// The document after the write, RethinkDB's `new_val`; nil (`null` on the wire) when
        /// there is none, as for a delete.
        public var newValue: Document?
        /// Why this document failed (only with ``ReturnChanges/always``, or for validation failures).
        public var error: String?

        /// An entry with these values; the library makes them, and tests build the ones they
        /// expect.
        ///
        /// ```swift
        /// let inserted = WriteResult.Change(oldValue: nil, newValue: ["id": 1])
        /// ```
        ///
        /// - Parameters:
        ///   - oldValue: the document before, or nil.
        ///   - newValue: the document after, or nil.
        ///   - error: why the document failed, for a failed document's entry.
        public init(oldValue: Document?, newValue: Document?, error: String? = nil) {
            self.oldValue = oldValue
            self.newValue = newValue
            self.error = error
        }

        /// The entry as RethinkDB's `{old_val, new_val}` object (with `error` when it failed).
        ///
        /// ```swift
        /// WriteResult.Change(oldValue: nil, newValue: ["id": 1]).document.jsonString
        /// // {"new_val":{"id":1},"old_val":null}
        /// ```
        public var document: Document {
            var object: DocumentObject = ["new_val": newValue ?? .null, "old_val": oldValue ?? .null]
            if let error { object["error"] = .string(error) }
            return .object(object)
        }
    }

    /// `old_val` and `new_val` at the top level of the result, as RethinkDB 1.x returned them.
    ///
    /// Only a single-document insert with `returnValues: true` (the 1.x `return_vals`) fills
    /// it; later code asks for ``changes`` instead.
    ///
    /// ```swift
    /// let result = try await marvel.insert(["id": 1, "superhero": "Iron Man"], upsert: true, returnValues: true)
    /// result.legacyValues?.newValue?["superhero"]   // "Iron Man"
    /// ```
    public struct LegacyValues: Sendable, Equatable {
        /// The stored document before the insert, `old_val`; nil (`null`) for a new key.
        public var oldValue: Document?
        /// The document after the insert, `new_val`; nil (`null`) when nothing was stored.
        public var newValue: Document?

        /// Values to report; the library makes them, and tests build the ones they expect.
        ///
        /// ```swift
        /// let values = WriteResult.LegacyValues(oldValue: nil, newValue: ["id": 1])
        /// ```
        ///
        /// - Parameters:
        ///   - oldValue: the document before, or nil.
        ///   - newValue: the document after, or nil.
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
