import DocumentStore
import Foundation
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
        let (table, insertOptions) = try insertion(into: reference, options: options)
        let result = try call { try await table.insert(documents, options: insertOptions) }
        return LibraryWriteResult(result: result)
    }

    /// Documents as JSON text go to the library's text path, which parses them straight into
    /// its batch (canonical text, no `Document` per value).
    func insert(json: [UInt8], into reference: TableRef, options: WriteOptions) throws(ReqlError) -> any WriteSummary {
        let (table, insertOptions) = try insertion(into: reference, options: options)
        let result = try call { try await table.insert(json: json, options: insertOptions) }
        return LibraryWriteResult(result: result)
    }

    private func insertion(into reference: TableRef, options: WriteOptions) throws(ReqlError) -> (Table, InsertOptions) {
        let parsed = try parse(options)
        let table = writer(of: reference, options)
        // The library refuses `upsert` with `conflict` and `return_vals` with `return_changes`.
        let insertOptions: InsertOptions
        do {
            insertOptions = try InsertOptions.combining(conflict: parsed.conflict, durability: parsed.durability,
                                                        returnChanges: parsed.returnChanges, upsert: options.upsert,
                                                        returnValues: options.returnValues, arrayLimit: options.arrayLimit)
        } catch {
            throw ReqlError(error)
        }
        return (table, insertOptions)
    }

    func replace(
        _ target: WriteTarget, in reference: TableRef, options: WriteOptions,
        transform: @escaping @Sendable (Document?) throws -> Document?
    ) throws(ReqlError) -> any WriteSummary {
        let parsed = try parse(options)
        let selection = self.selection(target, of: reference, options)
        let result = try call {
            try await selection.replace(durability: parsed.durability, returnChanges: parsed.returnChanges ?? .off,
                                        arrayLimit: options.arrayLimit, transform)
        }
        return LibraryWriteResult(result: result)
    }

    func delete(_ target: WriteTarget, in reference: TableRef, options: WriteOptions) throws(ReqlError) -> any WriteSummary {
        let parsed = try parse(options)
        let selection = self.selection(target, of: reference, options)
        let result = try call {
            try await selection.delete(durability: parsed.durability, returnChanges: parsed.returnChanges ?? .off,
                                       arrayLimit: options.arrayLimit)
        }
        return LibraryWriteResult(result: result)
    }

    /// The handle a write goes through: without the write hook when the query says so, and
    /// with the query's `r.now()` as the hook's `ctx.timestamp`, as RethinkDB gives it.
    private func writer(of reference: TableRef, _ options: WriteOptions) -> Table {
        var table = self.table(reference)
        if options.ignoreWriteHook { table = table.ignoringWriteHook }
        if let now = options.now?["epoch_time"]?.doubleValue {
            table = table.writeHookTimestamp(Date(timeIntervalSince1970: now))
        }
        return table
    }

    private func selection(_ target: WriteTarget, of reference: TableRef, _ options: WriteOptions) -> Selection {
        let table = writer(of: reference, options)
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
        guard let other = other as? LibraryWriteResult else {
            return ResultObject(document, arrayLimit: result.arrayLimit).merged(with: other)
        }
        var total = result
        total.merge(other.result)
        return LibraryWriteResult(result: total)
    }
}
