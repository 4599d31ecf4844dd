import DocumentStore
import ReQL

extension LibraryTables {
    /// The library's parse of the options: its error texts are the ones the client sees.
    private struct ParsedOptions {
        var durability: Durability?
        var returnChanges: ReturnChanges?
        var conflict: ConflictStrategy?
    }

    private func parse(_ options: WriteOptions) throws(ReqlError) -> ParsedOptions {
        do {
            var parsed = ParsedOptions()
            parsed.durability = try options.durability.map(Durability.init(option:))
            parsed.returnChanges = try options.returnChanges.map(ReturnChanges.init(option:))
            switch options.conflict {
            case .named(let text)?:
                parsed.conflict = try ConflictStrategy(option: text)
            case .resolve(let resolve)?:
                parsed.conflict = .resolve { _, old, new in try resolve(old, new) }
            case nil:
                break
            }
            return parsed
        } catch {
            throw ReqlError(error)
        }
    }

    func checkWriteOptions(_ options: WriteOptions) throws(ReqlError) {
        _ = try parse(options)
    }

    func insert(_ documents: Document, into reference: TableRef, options: WriteOptions) throws(ReqlError) -> any WriteSummary {
        let parsed = try parse(options)
        let table = self.table(reference)
        // `upsert` and `conflict` both go to the library, which refuses the pair; the 1.x
        // `return_vals` wins over a `return_changes` that came from the query's global optargs.
        let returnChanges = options.returnValues == nil ? parsed.returnChanges : nil
        let result = try call {
            try await table.insert(documents, conflict: parsed.conflict, durability: parsed.durability,
                                   returnChanges: returnChanges, upsert: options.upsert, returnValues: options.returnValues)
        }
        return LibraryWriteResult(result: result)
    }

    func replace(
        _ target: WriteTarget, in reference: TableRef, options: WriteOptions,
        transform: @escaping @Sendable (Document?) throws -> Document?
    ) throws(ReqlError) -> any WriteSummary {
        let parsed = try parse(options)
        let selection = self.selection(target, of: reference)
        let result = try call {
            try await selection.replace(durability: parsed.durability, returnChanges: parsed.returnChanges ?? .off, transform)
        }
        return LibraryWriteResult(result: result)
    }

    func delete(_ target: WriteTarget, in reference: TableRef, options: WriteOptions) throws(ReqlError) -> any WriteSummary {
        let parsed = try parse(options)
        let selection = self.selection(target, of: reference)
        let result = try call {
            try await selection.delete(durability: parsed.durability, returnChanges: parsed.returnChanges ?? .off)
        }
        return LibraryWriteResult(result: result)
    }

    func writeSummary(_ document: Document) -> any WriteSummary {
        LibraryWriteResult(result: WriteResult(resultObject: document))
    }

    private func selection(_ target: WriteTarget, of reference: TableRef) -> Selection {
        let table = self.table(reference)
        switch target {
        case .key(let key): return table.document(key)
        case .keys(let keys): return table.getAll(keys)
        case .all: return table.all
        }
    }
}

/// A library write result as the evaluator sees it; `for_each` adds results up with
/// `WriteResult.merge`, caps included.
struct LibraryWriteResult: WriteSummary {
    let result: WriteResult

    var document: Document { result.document }

    func merged(with other: any WriteSummary) -> any WriteSummary {
        var total = result
        total.merge((other as? LibraryWriteResult)?.result ?? WriteResult(resultObject: other.document))
        return LibraryWriteResult(result: total)
    }
}

extension WriteResult {
    /// A result rebuilt from its JSON object, for `for_each` over results given as data. The
    /// counters, `first_error`, `generated_keys`, `changes` and `warnings` are read; anything
    /// else is not a write result's and is dropped.
    init(resultObject document: Document) {
        self.init()
        let count = { (name: String) in Int(document[name]?.doubleValue ?? 0) }
        inserted = count("inserted")
        replaced = count("replaced")
        unchanged = count("unchanged")
        errors = count("errors")
        deleted = count("deleted")
        skipped = count("skipped")
        firstError = document["first_error"]?.stringValue
        generatedKeys = document["generated_keys"]?.arrayValue?.compactMap(\.stringValue)
        changes = document["changes"]?.arrayValue?.map { change in
            Change(oldValue: change["old_val"].flatMap { $0.isNull ? nil : $0 },
                   newValue: change["new_val"].flatMap { $0.isNull ? nil : $0 },
                   error: change["error"]?.stringValue)
        }
        warnings = document["warnings"]?.arrayValue?.compactMap(\.stringValue)
    }
}
