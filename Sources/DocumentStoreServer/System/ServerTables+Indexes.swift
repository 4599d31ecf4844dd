import DocumentStore
import ReQL

/// Secondary indexes: the library's, for its tables. System tables have none, and say so in
/// RethinkDB's words.
extension ServerTables {
    private func indexNotFound(_ name: String, _ reference: TableRef) -> ReqlError {
        .runtime(.opFailed, "Index `\(name)` was not found on table `\(reference.database).\(reference.name)`")
    }

    func indexCreate(_ name: String, function: Document?, multi: Bool, geo: Bool, in reference: TableRef) throws(ReqlError) -> Document {
        if isSystem(reference) { throw SystemDatabase.special("you can't create secondary indexes on the tables in it.") }
        return try library.indexCreate(name, function: function, multi: multi, geo: geo, in: reference)
    }

    func indexDrop(_ name: String, in reference: TableRef) throws(ReqlError) -> Document {
        if isSystem(reference) { throw indexNotFound(name, reference) }
        return try library.indexDrop(name, in: reference)
    }

    func indexList(_ reference: TableRef) throws(ReqlError) -> [String] {
        if isSystem(reference) { return [] }
        return try library.indexList(reference)
    }

    func indexRename(_ name: String, to newName: String, overwrite: Bool, in reference: TableRef) throws(ReqlError) -> Document {
        if isSystem(reference) { throw indexNotFound(name, reference) }
        return try library.indexRename(name, to: newName, overwrite: overwrite, in: reference)
    }

    func indexStatus(_ names: [String], in reference: TableRef) throws(ReqlError) -> [Document] {
        if isSystem(reference) {
            if let name = names.first { throw indexNotFound(name, reference) }
            return []
        }
        return try library.indexStatus(names, in: reference)
    }

    func indexWait(_ names: [String], in reference: TableRef) throws(ReqlError) -> [Document] {
        if isSystem(reference) {
            if let name = names.first { throw indexNotFound(name, reference) }
            return []
        }
        return try library.indexWait(names, in: reference)
    }

    func getAll(_ values: [Document], index: String, in reference: TableRef) -> RowStream {
        guard let handle = systemHandle(reference) else { return counted(library.getAll(values, index: index, in: reference), reference) }
        let error = indexNotFound(index, reference)
        guard index == handle.table.primaryKey else {
            return RowStream(cancellation: library.cancellation) { () throws(ReqlError) -> Document? in throw error }
        }
        let key = handle.table.primaryKey
        return systemRows(handle) { row in values.contains { row[key] == $0 } }
    }

    func indexScan(_ scan: IndexScan, in reference: TableRef) -> RowStream {
        guard let handle = systemHandle(reference) else { return counted(library.indexScan(scan, in: reference), reference) }
        let key = handle.table.primaryKey
        if let index = scan.index, index != key {
            let error = indexNotFound(index, reference)
            return RowStream(cancellation: library.cancellation) { () throws(ReqlError) -> Document? in throw error }
        }
        // The primary key's range, in key order: what `between` and `order_by(index: "id")` read.
        let inRange = systemRows(handle) { row in scan.contains(row[key] ?? .null) }
        guard let descending = scan.descending else { return inRange }
        var sorted: [Document]?
        var position = 0
        return RowStream(cancellation: library.cancellation) { () throws(ReqlError) -> Document? in
            if sorted == nil {
                var rows: [Document] = []
                while let row = try inRange.next() { rows.append(row) }
                rows.sort { ReqlOrder.compare($0[key] ?? .null, $1[key] ?? .null) < 0 }
                sorted = descending ? rows.reversed() : rows
            }
            guard let sorted, position < sorted.count else { return nil }
            defer { position += 1 }
            return sorted[position]
        }
    }

    func indexDefinition(_ name: String, in reference: TableRef) throws(ReqlError) -> (function: Document, multi: Bool) {
        if isSystem(reference) { throw indexNotFound(name, reference) }
        return try library.indexDefinition(name, in: reference)
    }
}
