import DocumentModel
/// One insert call as the writer runs it: inside one `BEGIN IMMEDIATE` transaction, each
/// document in input order is looked up, resolved against the stored one, written or skipped,
/// and counted, exactly as RethinkDB's `batched_insert` and `resolve_insert_conflict` do.
struct InsertRequest: Sendable {
    let table: TableInfo
    let database: String
    let conflict: ConflictStrategy
    let durability: Durability
    let returnChanges: ReturnChanges
    /// The 1.x `return_vals`: put `old_val`/`new_val` of the single document at the top level.
    let returnValues: Bool
}

struct InsertExecution {
    let request: InsertRequest
    let rows: RowStatements
    private var result = WriteResult()
    private var changes: [WriteResult.Change] = []
    private var validationError: String?
    private var storageError: String?
    private var generatedKeys: [String] = []
    private var documentCount = 0
    private var validDocumentCount = 0
    private var wantsValues: Bool { request.returnChanges != .off || request.returnValues }

    init(request: InsertRequest, rows: RowStatements) {
        self.request = request
        self.rows = rows
    }

    /// Applies one batch (a whole call, or one chunk of a large one, in input order); the
    /// caller owns the transaction around it.
    mutating func apply(_ batch: PreparedBatch) throws {
        generatedKeys.append(contentsOf: batch.generatedKeys)
        documentCount += batch.documents.count
        for document in batch.documents {
            guard let key = document.key else {
                failValidation(document.validationError ?? "Invalid document.")
                continue
            }
            validDocumentCount += 1
            try apply(document, key: key, text: batch.bytes[document.range])
        }
    }

    private mutating func apply(_ document: PreparedDocument, key: PrimaryKey, text: ArraySlice<UInt8>) throws {
        let tooLarge = document.maxArrayCount > PreparedBatch.maxStoredArray
        if case .error = request.conflict, !tooLarge {
            if try rows.insertIfAbsent(key, text) {
                inserted(text)
            } else if let old = try rows.fetch(key) {
                duplicate(old: old, new: text)
            }
            return
        }
        guard let old = try rows.fetch(key) else {
            if tooLarge {
                failStorage(Self.arrayTooLarge, old: nil)
            } else if try rows.insertIfAbsent(key, text) {
                inserted(text)
            }
            return
        }
        let final: Resolution
        switch request.conflict {
        case .error:
            duplicate(old: old, new: text)
            return
        case .replace:
            final = Resolution(text: Array(text), maxArrayCount: document.maxArrayCount,
                               needsSemanticCompare: document.needsSemanticCompare)
        case .update:
            // Merged on the canonical text: stored arrays fit the limit, so the merge's largest
            // array is at most the new document's.
            var merged: [UInt8] = []
            merged.reserveCapacity(old.count + text.count)
            old.withUnsafeBufferPointer { base in
                text.withUnsafeBufferPointer { patch in CanonicalMerge.merge(base, patch, into: &merged) }
            }
            final = Resolution(text: merged, maxArrayCount: document.maxArrayCount,
                               needsSemanticCompare: document.needsSemanticCompare)
        case .resolve(let function):
            let outcome: Document?
            do {
                outcome = try function(key.value, Document(canonical: old), Document(canonical: Array(text)))
            } catch {
                failStorage(Self.message(of: error), old: old)
                return
            }
            // A returned `.null` deletes as nil does: it is ReQL's null, which a RethinkDB
            // conflict function returns to delete the row.
            guard let outcome, !outcome.isNull else {
                try rows.delete(key)
                result.deleted += 1
                record(old: old, new: nil, changed: true)
                return
            }
            guard let resolution = checkedReplacement(outcome, key: key, old: old) else { return }
            final = resolution
        }
        if final.maxArrayCount > PreparedBatch.maxStoredArray {
            failStorage(Self.arrayTooLarge, old: old)
        } else if Self.isUnchanged(old: old, new: final) {
            result.unchanged += 1
            record(old: old, new: old, changed: false)
        } else {
            try rows.update(key, final.text[...])
            result.replaced += 1
            record(old: old, new: final.text, changed: true)
        }
    }

    /// The stored form of a document the write path computed (a merge or a conflict function's).
    private struct Resolution {
        var text: [UInt8]
        var maxArrayCount: Int
        var needsSemanticCompare: Bool
    }

    private mutating func resolved(_ value: Document, old: [UInt8]) -> Resolution? {
        var check = DocumentCheck()
        if let error = check.validate(value) {
            failStorage(error, old: old)
            return nil
        }
        return Resolution(text: value.jsonBytes, maxArrayCount: check.maxArrayCount,
                          needsSemanticCompare: check.needsSemanticCompare)
    }

    /// RethinkDB's checks on a replacement (`rcheck_row_replacement`, `rcheck_valid_replace`).
    private mutating func checkedReplacement(_ value: Document, key: PrimaryKey, old: [UInt8]) -> Resolution? {
        let primaryKey = request.table.primaryKey
        guard case .object(let object) = value else {
            failStorage("Inserted value must be an OBJECT (got \(value.typeName)):\n\(value.truncatedPrettyPrinted)", old: old)
            return nil
        }
        guard let newKey = object[primaryKey] else {
            failStorage("Inserted object must have primary key `\(primaryKey)`:\n\(value.truncatedPrettyPrinted)", old: old)
            return nil
        }
        guard (try? PrimaryKey(newKey).column) == key.column else {
            let oldValue = Document(canonical: old)
            failStorage("Primary key `\(primaryKey)` cannot be changed (`\(oldValue.truncatedPrettyPrinted)` -> `\(value.truncatedPrettyPrinted)`).", old: old)
            return nil
        }
        return resolved(value, old: old)
    }

    /// Equal text is equal documents. Unequal text can still be equal documents when `-0.0`
    /// meets `0` or two times differ only in timezone, so those (rare) cases compare values.
    private static func isUnchanged(old: [UInt8], new: Resolution) -> Bool {
        if old == new.text { return true }
        guard new.needsSemanticCompare || containsSemanticMarker(old) else { return false }
        return Document(canonical: old) == Document(canonical: new.text)
    }

    private static let negativeZero = Array("-0.0".utf8)
    private static let reqlType = Array("$reql_type$".utf8)

    private static func containsSemanticMarker(_ text: [UInt8]) -> Bool {
        contains(text, negativeZero) || contains(text, reqlType)
    }

    private static func contains(_ text: [UInt8], _ needle: [UInt8]) -> Bool {
        guard text.count >= needle.count, let first = needle.first else { return false }
        var index = 0
        while index <= text.count - needle.count {
            if text[index] == first && text[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }

    static let arrayTooLarge = "Array too large for disk writes (limit 100,000 elements)."

    static func message(of error: any Error) -> String {
        if let error = error as? DocumentStoreError { return error.message }
        return String(describing: error)
    }

    // MARK: Counting

    private mutating func inserted(_ text: ArraySlice<UInt8>) {
        result.inserted += 1
        record(old: nil, new: Array(text), changed: true)
    }

    private mutating func duplicate(old: [UInt8], new: ArraySlice<UInt8>) {
        let message = "Duplicate primary key `\(request.table.primaryKey)`:\n\(Document(canonical: old).prettyPrinted)\n\(Document(canonical: Array(new)).prettyPrinted)"
        failStorage(message, old: old)
    }

    private mutating func record(old: [UInt8]?, new: [UInt8]?, changed: Bool) {
        guard wantsValues else { return }
        let oldValue = old.map { Document(canonical: $0) }
        let newValue = new.map { $0 == old ? oldValue! : Document(canonical: $0) }
        if request.returnChanges == .always || (request.returnChanges == .on && changed) {
            changes.append(WriteResult.Change(oldValue: oldValue, newValue: newValue))
        }
        if request.returnValues {
            result.legacyValues = WriteResult.LegacyValues(oldValue: oldValue, newValue: newValue)
        }
    }

    private mutating func failValidation(_ message: String) {
        result.errors += 1
        if validationError == nil { validationError = message }
        if request.returnChanges != .off {
            changes.append(WriteResult.Change(oldValue: nil, newValue: nil, error: message))
        }
        if request.returnValues {
            result.legacyValues = WriteResult.LegacyValues(oldValue: nil, newValue: nil)
        }
    }

    private mutating func failStorage(_ message: String, old: [UInt8]?) {
        result.errors += 1
        if storageError == nil { storageError = message }
        guard wantsValues else { return }
        let oldValue = old.map { Document(canonical: $0) }
        if request.returnChanges == .always {
            changes.append(WriteResult.Change(oldValue: oldValue, newValue: oldValue, error: message))
        }
        if request.returnValues {
            // RethinkDB 1.x set new_val to old_val first and overwrote it only on success.
            result.legacyValues = WriteResult.LegacyValues(oldValue: oldValue, newValue: oldValue)
        }
    }

    /// The result of everything applied.
    mutating func finish() -> WriteResult {
        // A trivial failure is preferred for first_error (RethinkDB merges its stats to the left).
        result.firstError = validationError ?? storageError
        let limit = PreparedBatch.arrayLimit
        if !generatedKeys.isEmpty {
            result.generatedKeys = Array(generatedKeys.prefix(limit))
            result.generatedKeyTotal = generatedKeys.count
            if generatedKeys.count > limit {
                result.warnings = ["Too many generated keys (\(generatedKeys.count)), array truncated to \(limit)."]
            }
        }
        if request.returnChanges != .off && documentCount > 0 {
            if documentCount > 1 && validDocumentCount == 0 {
                // RethinkDB adds a single entry when every document of a batch failed validation.
                changes = Array(changes.prefix(1))
            }
            if changes.count > limit {
                changes = Array(changes.prefix(limit))
                result.warnings = (result.warnings ?? []) + ["Too many changes, array truncated to \(limit)."]
            }
            result.changes = changes
        }
        return result
    }
}
