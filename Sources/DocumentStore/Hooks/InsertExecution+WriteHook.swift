import DocumentModel

extension InsertExecution {
    /// One document of an insert into a table with a write hook, as RethinkDB's
    /// `datum_replacer_t` does it: the conflict is resolved first (a duplicate key under
    /// `conflict: "error"` fails before the hook runs), the hook gets the stored document and
    /// the resolved one, and what it returns is checked and written as any replacement is.
    ///
    /// Tables without a hook keep the insert's own path, which writes the parsed text as it
    /// is; here every document is a value the hook may have changed.
    mutating func applyHooked(key: PrimaryKey, text: ArraySlice<UInt8>, hook: WriteHookRunner) throws {
        let new = Document(canonical: Array(text))
        let storedText = try rows.fetch(key)
        let old = storedText.map { Document(canonical: $0) }
        var resolved: Document? = new
        if let old, let storedText {
            switch request.options.conflict {
            case .error:
                duplicate(old: storedText, new: text)
                return
            case .replace:
                resolved = new
            case .update:
                resolved = old.merging(new)
            case .resolve(let function):
                do {
                    resolved = try function(key.value, old, new)
                } catch {
                    tally.fail(ReplacementCheck.message(of: error), .storage, old: old)
                    return
                }
            }
        }
        let hooked: Document?
        do {
            hooked = try hook.apply(old: old, new: resolved)
        } catch {
            tally.fail(ReplacementCheck.message(of: error), .storage, old: old)
            return
        }
        switch (old, hooked) {
        case (nil, nil):
            // The hook refuses to turn an insert into nothing, so only a resolved null gets here.
            tally.record(.skipped, old: nil, new: nil)
        case (let old?, nil):
            try rows.delete(key, old: old)
            tally.record(.deleted, old: old, new: nil)
        case (nil, let document?):
            guard let stored = checked(document, key: key, old: nil) else { return }
            if try rows.insertIfAbsent(key, stored.text[...], document: document) {
                tally.record(.inserted, old: nil, new: document)
            }
        case (let old?, let document?):
            guard let stored = checked(document, key: key, old: old), let storedText else { return }
            if ReplacementCheck.isUnchanged(old: storedText, new: stored.text, newNeedsSemanticCompare: stored.needsSemanticCompare) {
                tally.record(.unchanged, old: old, new: nil)
            } else {
                try rows.update(key, stored.text[...], old: old, new: document)
                tally.record(.replaced, old: old, new: document)
            }
        }
    }

    /// The stored form of what the hook returned, or nil after counting why it cannot be
    /// stored (not an object, a changed key, an array over the disk limit).
    private mutating func checked(_ document: Document, key: PrimaryKey, old: Document?) -> ReplacementCheck.Stored? {
        switch ReplacementCheck.check(document, key: key.value, primaryKey: request.table.primaryKey, old: old) {
        case .success(let stored):
            return stored
        case .failure(let message):
            tally.fail(message.text, .storage, old: old)
            return nil
        }
    }
}
