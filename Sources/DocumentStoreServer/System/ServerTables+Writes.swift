import DocumentStore
import Foundation
import ReQL

extension ServerTables {
    func checkWriteOptions(_ options: WriteOptions) throws(ReqlError) {
        try library.checkWriteOptions(options)
    }

    /// A user table takes the text as it is; a system table, its rows as a `Document`.
    func insert(json: [UInt8], into reference: TableRef, options: WriteOptions) throws(ReqlError) -> any WriteSummary {
        guard systemHandle(reference) != nil else {
            return counted(try library.insert(json: json, into: reference, options: options), reference)
        }
        return try insert(try Document(insertText: json), into: reference, options: options)
    }

    func insert(_ documents: Document, into reference: TableRef, options: WriteOptions) throws(ReqlError) -> any WriteSummary {
        guard let handle = systemHandle(reference) else {
            return counted(try library.insert(documents, into: reference, options: options), reference)
        }
        try library.checkWriteOptions(options)
        let context = self.context(handle)
        let table = handle.table
        var tally = SystemWriteTally(returnChanges: options.returnChanges)
        let rows: [Document]
        if case .array(let array) = documents { rows = array } else { rows = [documents] }
        for var row in rows {
            guard case .object = row else {
                tally.fail("Expected type OBJECT but found \(row.typeName).")
                continue
            }
            var key = row[table.primaryKey]
            var rowContext = context
            rowContext.keyWasGenerated = key == nil
            if key == nil {
                // RethinkDB makes a key for a row without one, and tells the table it did.
                let generated = Document.string(UUID().uuidString.lowercased())
                row[table.primaryKey] = generated
                tally.generatedKeys.append(generated)
                key = generated
            }
            guard let key else { continue }
            do throws(ReqlError) {
                let old = try table.row(key, context)
                var new: Document? = row
                if let old {
                    new = try Self.resolveConflict(options.conflict, key: table.primaryKey, old: old, new: row)
                }
                try tally.apply(table, key: key, old: old, new: new, rowContext)
            } catch {
                tally.fail(error.message)
            }
        }
        return ResultObject(tally.document, arrayLimit: options.arrayLimit)
    }

    func replace(
        _ target: WriteTarget, in reference: TableRef, options: WriteOptions,
        transform: @escaping @Sendable (Document?) throws -> Document?
    ) throws(ReqlError) -> any WriteSummary {
        guard let handle = systemHandle(reference) else {
            return counted(try library.replace(target, in: reference, options: options, transform: transform), reference)
        }
        try library.checkWriteOptions(options)
        let context = self.context(handle)
        var tally = SystemWriteTally(returnChanges: options.returnChanges)
        for (key, old) in try selected(target, handle, context) {
            do throws(ReqlError) {
                let new: Document?
                do {
                    new = try transform(old)
                } catch let error as ReqlError {
                    throw error
                } catch {
                    throw ReqlError(error)
                }
                if let new, let old, new[handle.table.primaryKey] != old[handle.table.primaryKey] {
                    throw .runtime(.opFailed, "Primary key `\(handle.table.primaryKey)` cannot be changed "
                        + "(`\(old[handle.table.primaryKey]?.jsonString ?? "null")` -> `\(new[handle.table.primaryKey]?.jsonString ?? "null")`).")
                }
                try tally.apply(handle.table, key: key, old: old, new: new, context)
            } catch {
                tally.fail(error.message)
            }
        }
        return ResultObject(tally.document, arrayLimit: options.arrayLimit)
    }

    func delete(_ target: WriteTarget, in reference: TableRef, options: WriteOptions) throws(ReqlError) -> any WriteSummary {
        guard let handle = systemHandle(reference) else {
            return counted(try library.delete(target, in: reference, options: options), reference)
        }
        try library.checkWriteOptions(options)
        let context = self.context(handle)
        var tally = SystemWriteTally(returnChanges: options.returnChanges)
        for (key, old) in try selected(target, handle, context) {
            do throws(ReqlError) {
                try tally.apply(handle.table, key: key, old: old, new: nil, context)
            } catch {
                tally.fail(error.message)
            }
        }
        return ResultObject(tally.document, arrayLimit: options.arrayLimit)
    }

    /// The rows a write selects, by key (a `get` of a missing key selects it with no row).
    private func selected(_ target: WriteTarget, _ handle: SystemTableHandle, _ context: SystemContext) throws(ReqlError) -> [(Document, Document?)] {
        switch target {
        case .key(let key):
            return [(key, try handle.table.row(key, context))]
        case .keys(let keys):
            var rows: [(Document, Document?)] = []
            for key in keys {
                if let row = try handle.table.row(key, context) { rows.append((key, row)) }
            }
            return rows
        case .all:
            return try handle.table.rows(context).map { ($0[handle.table.primaryKey] ?? .null, $0) }
        }
    }

    /// `insert`'s `conflict` on a row that exists, as RethinkDB resolves it.
    private static func resolveConflict(_ conflict: ConflictOption?, key: String, old: Document, new: Document) throws(ReqlError) -> Document? {
        switch conflict {
        case .named("replace")?:
            return new
        case .named("update")?:
            guard case .object(var merged) = old, case .object(let fields) = new else { return new }
            for (name, value) in fields { merged[name] = value }
            return .object(merged)
        case .resolve(let resolve)?:
            do {
                return try resolve(old, new)
            } catch let error as ReqlError {
                throw error
            } catch {
                throw ReqlError(error)
            }
        default:
            throw .runtime(.opFailed, "Duplicate primary key `\(key)`:\n\(old.prettyPrinted)\n\(new.prettyPrinted)")
        }
    }

    /// A user table's write result, its changed documents counted for `stats`.
    private func counted(_ summary: any WriteSummary, _ reference: TableRef) -> any WriteSummary {
        let written = ["inserted", "replaced", "deleted"].reduce(0) { $0 + (summary.document[$1]?.intValue ?? 0) }
        system.stats.countWrites(written, table: Self.statsKey(reference))
        return summary
    }
}
