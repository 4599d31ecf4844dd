import DocumentModel

/// One insert call as the writer runs it: inside one `BEGIN IMMEDIATE` transaction, each
/// document in input order is looked up, resolved against the stored one, written or skipped,
/// and counted, exactly as RethinkDB's `batched_insert` and `resolve_insert_conflict` do.
struct InsertRequest: Sendable {
    let table: TableInfo
    let options: InsertOptions
    /// The table's write hook for this call; nil when it has none or the call skips it.
    let writeHook: WriteHookRunner?

    init(table: TableInfo, options: InsertOptions, through handle: Table) throws {
        self.table = table
        self.options = options
        writeHook = try WriteHookRunner.forWrite(to: table, through: handle)
    }
}

struct InsertExecution {
    let request: InsertRequest
    let rows: RowStatements
    var tally: WriteTally
    private var documentCount = 0
    private var validDocumentCount = 0

    init(request: InsertRequest, rows: RowStatements) {
        self.request = request
        self.rows = rows
        self.tally = WriteTally(returnChanges: request.options.returnChanges, returnValues: request.options.returnValues,
                                arrayLimit: request.options.arrayLimit)
    }

    /// Applies one batch (a whole call, or one chunk of a large one, in input order); the
    /// caller owns the transaction around it.
    mutating func apply(_ batch: PreparedBatch) throws {
        tally.generated(batch.generatedKeys)
        documentCount += batch.documents.count
        for document in batch.documents {
            guard let key = document.key else {
                tally.fail(document.validationError ?? "Invalid document.", .validation)
                continue
            }
            validDocumentCount += 1
            try apply(document, key: key, text: batch.bytes[document.range])
        }
    }

    private mutating func apply(_ document: PreparedDocument, key: PrimaryKey, text: ArraySlice<UInt8>) throws {
        if let hook = request.writeHook { return try applyHooked(key: key, text: text, hook: hook) }
        let tooLarge = document.maxArrayCount > PreparedBatch.maxStoredArray
        if case .error = request.options.conflict, !tooLarge {
            if try rows.insertIfAbsent(key, text, document: text.withUnsafeBufferPointer { Document(canonical: $0) }) {
                tally.record(.inserted, old: nil, new: Document(canonical: Array(text)))
            } else if let old = try rows.fetch(key) {
                duplicate(old: old, new: text)
            }
            return
        }
        guard let old = try rows.fetch(key) else {
            if tooLarge {
                tally.fail(ReplacementCheck.arrayTooLarge, .storage)
            } else if try rows.insertIfAbsent(key, text, document: text.withUnsafeBufferPointer { Document(canonical: $0) }) {
                tally.record(.inserted, old: nil, new: Document(canonical: Array(text)))
            }
            return
        }
        let final: ReplacementCheck.Stored
        switch request.options.conflict {
        case .error:
            duplicate(old: old, new: text)
            return
        case .replace:
            final = .init(text: Array(text), maxArrayCount: document.maxArrayCount,
                          needsSemanticCompare: document.needsSemanticCompare)
        case .update:
            // Merged on the canonical text: stored arrays fit the limit, so the merge's largest
            // array is at most the new document's.
            var merged: [UInt8] = []
            merged.reserveCapacity(old.count + text.count)
            old.withUnsafeBufferPointer { base in
                text.withUnsafeBufferPointer { patch in CanonicalMerge.merge(base, patch, into: &merged) }
            }
            final = .init(text: merged, maxArrayCount: document.maxArrayCount,
                          needsSemanticCompare: document.needsSemanticCompare)
        case .resolve(let function):
            let outcome: Document?
            do {
                outcome = try function(key.value, Document(canonical: old), Document(canonical: Array(text)))
            } catch {
                tally.fail(ReplacementCheck.message(of: error), .storage, old: Document(canonical: old))
                return
            }
            // A returned `.null` deletes as nil does: it is ReQL's null, which a RethinkDB
            // conflict function returns to delete the row.
            guard let outcome, !outcome.isNull else {
                try rows.delete(key, old: Document(canonical: old))
                tally.record(.deleted, old: Document(canonical: old), new: nil)
                return
            }
            switch ReplacementCheck.check(outcome, key: key.value, primaryKey: request.table.primaryKey,
                                          old: Document(canonical: old)) {
            case .success(let stored): final = stored
            case .failure(let message):
                tally.fail(message.text, .storage, old: Document(canonical: old))
                return
            }
        }
        if final.maxArrayCount > PreparedBatch.maxStoredArray {
            tally.fail(ReplacementCheck.arrayTooLarge, .storage, old: Document(canonical: old))
        } else if ReplacementCheck.isUnchanged(old: old, new: final.text, newNeedsSemanticCompare: final.needsSemanticCompare) {
            tally.record(.unchanged, old: Document(canonical: old), new: nil)
        } else {
            try rows.update(key, final.text[...], old: Document(canonical: old), new: Document(canonical: final.text))
            tally.record(.replaced, old: Document(canonical: old), new: Document(canonical: final.text))
        }
    }

    mutating func duplicate(old: [UInt8], new: ArraySlice<UInt8>) {
        let oldValue = Document(canonical: old)
        let message = "Duplicate primary key `\(request.table.primaryKey)`:\n\(oldValue.prettyPrinted)\n\(Document(canonical: Array(new)).prettyPrinted)"
        tally.fail(message, .storage, old: oldValue)
    }

    /// The result of everything applied.
    func finish() -> WriteResult {
        tally.finish(includeChanges: documentCount > 0, allFailedValidation: documentCount > 1 && validDocumentCount == 0)
    }
}
