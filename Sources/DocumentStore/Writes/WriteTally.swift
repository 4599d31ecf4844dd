import DocumentModel

/// The outcome of each document of one write call, as the writer decides it, turned into the
/// call's ``WriteResult``: the counters, `first_error`, the `changes` entries that
/// `return_changes` asks for, the 1.x `return_vals`, and the array limit.
///
/// Every write (insert, update, replace, delete) records through this one type, so RethinkDB's
/// rules for what a change entry holds and which error is first live in one place.
struct WriteTally {
    let returnChanges: ReturnChanges
    /// The 1.x `return_vals`: `old_val`/`new_val` of the single document at the top level.
    let returnValues: Bool
    private var result: WriteResult
    /// Entries past the array limit are counted, not kept, so a huge write holds no more.
    private var changes: [WriteResult.Change] = []
    private var changeTotal = 0
    private var validationError: String?
    private var storageError: String?

    init(returnChanges: ReturnChanges, returnValues: Bool = false, arrayLimit: Int = ArrayLimit.default) {
        self.returnChanges = returnChanges
        self.returnValues = returnValues
        self.result = WriteResult(arrayLimit: arrayLimit)
    }

    /// Whether an outcome needs its documents at all: callers that hold canonical text skip
    /// decoding it when nothing will be reported.
    var wantsValues: Bool { returnChanges != .off || returnValues }

    var arrayLimit: Int { result.arrayLimit }

    /// What happened to one document that was written or left alone.
    enum Outcome {
        case inserted, replaced, unchanged, deleted, skipped

        /// RethinkDB's `return_changes: true` reports only documents that changed.
        var changed: Bool {
            switch self {
            case .inserted, .replaced, .deleted: return true
            case .unchanged, .skipped: return false
            }
        }
    }

    /// Counts one document's outcome; `old` and `new` are read only when they are reported.
    mutating func record(_ outcome: Outcome, old: @autoclosure () -> Document?, new: @autoclosure () -> Document?) {
        switch outcome {
        case .inserted: result.inserted += 1
        case .replaced: result.replaced += 1
        case .unchanged: result.unchanged += 1
        case .deleted: result.deleted += 1
        case .skipped: result.skipped += 1
        }
        guard wantsValues else { return }
        let oldValue = old()
        let newValue = outcome == .unchanged ? oldValue : new()
        if returnChanges == .always || (returnChanges == .on && outcome.changed) {
            addChange(WriteResult.Change(oldValue: oldValue, newValue: newValue))
        }
        if returnValues {
            result.legacyValues = WriteResult.LegacyValues(oldValue: oldValue, newValue: newValue)
        }
    }

    /// Why a document failed, which decides its change entry and whether it is `first_error`.
    enum Failure {
        /// Found before storage (not an object, a bad key, bad content): RethinkDB's "trivial"
        /// errors, which get a change entry even with `return_changes: true` and are preferred
        /// for `first_error`.
        case validation
        /// Found against the stored document (duplicate key, a conflict or update function's
        /// error, a replacement that breaks a rule).
        case storage
    }

    /// Counts one failed document; the stored document, if any, stays as it was.
    mutating func fail(_ message: String, _ kind: Failure, old: @autoclosure () -> Document? = nil) {
        result.errors += 1
        switch kind {
        case .validation:
            if validationError == nil { validationError = message }
            if returnChanges != .off {
                addChange(WriteResult.Change(oldValue: nil, newValue: nil, error: message))
            }
            if returnValues { result.legacyValues = WriteResult.LegacyValues(oldValue: nil, newValue: nil) }
        case .storage:
            if storageError == nil { storageError = message }
            guard wantsValues else { return }
            let oldValue = old()
            if returnChanges == .always {
                addChange(WriteResult.Change(oldValue: oldValue, newValue: oldValue, error: message))
            }
            // RethinkDB 1.x set new_val to old_val first and overwrote it only on success.
            if returnValues { result.legacyValues = WriteResult.LegacyValues(oldValue: oldValue, newValue: oldValue) }
        }
    }

    private mutating func addChange(_ change: WriteResult.Change) {
        changeTotal += 1
        if changes.count < result.arrayLimit { changes.append(change) }
    }

    /// Keys generated for documents that had none, in input order.
    mutating func generated(_ keys: [String]) {
        guard !keys.isEmpty else { return }
        result.append(generatedKeys: keys)
    }

    /// The result of everything recorded.
    ///
    /// - Parameters:
    ///   - includeChanges: whether the result has a `changes` array when `returnChanges` asks
    ///     for one (RethinkDB's insert of no documents has none).
    ///   - allFailedValidation: every one of several documents failed before storage;
    ///     RethinkDB then reports a single change entry.
    func finish(includeChanges: Bool = true, allFailedValidation: Bool = false) -> WriteResult {
        var final = result
        // A trivial failure is preferred for first_error (RethinkDB merges its stats to the left).
        final.firstError = validationError ?? storageError
        if returnChanges != .off && includeChanges {
            final.append(changes: changes, total: changeTotal)
            if allFailedValidation { final.keepFirstChangeOnly() }
        }
        return final
    }
}
