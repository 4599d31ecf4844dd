import DocumentStore
import Foundation
import ReQL

/// Secondary indexes for the evaluator, on the library's index API: definitions, statuses and
/// reads through an index, each one library call (a range read a page per call).
extension LibraryTables {
    func indexCreate(_ name: String, function: Document?, multi: Bool, geo: Bool, in reference: TableRef) throws(ReqlError) -> Document {
        let table = self.table(reference)
        if let function, function["$reql_type$"]?.stringValue == "BINARY" {
            // The library reads its own blob (and rejects anything else with RethinkDB's text).
            let bytes = Array(Data(base64Encoded: function["data"]?.stringValue ?? "") ?? Data())
            // Unset flags keep the definition's own (false is how the evaluator says unset).
            return try call { try await table.indexCreate(name, binary: bytes, multi: multi ? true : nil, geo: geo ? true : nil) }.document
        }
        let definition: IndexFunction?
        do {
            definition = try function.map { try IndexFunction(reql: $0) }
        } catch {
            throw ReqlError(error)
        }
        return try call { try await table.indexCreate(name, definition, multi: multi, geo: geo) }.document
    }

    func indexDrop(_ name: String, in reference: TableRef) throws(ReqlError) -> Document {
        let table = self.table(reference)
        return try call { try await table.indexDrop(name) }.document
    }

    func indexList(_ reference: TableRef) throws(ReqlError) -> [String] {
        let table = self.table(reference)
        return try call { try await table.indexList() }
    }

    func indexRename(_ name: String, to newName: String, overwrite: Bool, in reference: TableRef) throws(ReqlError) -> Document {
        let table = self.table(reference)
        return try call { try await table.indexRename(name, to: newName, overwrite: overwrite) }.document
    }

    func indexStatus(_ names: [String], in reference: TableRef) throws(ReqlError) -> [Document] {
        let table = self.table(reference)
        return try call { try await table.indexStatus(names) }.map(\.document)
    }

    func indexWait(_ names: [String], in reference: TableRef) throws(ReqlError) -> [Document] {
        let table = self.table(reference)
        return try call { try await table.indexWait(names) }.map(\.document)
    }

    func getAll(_ values: [Document], index: String, in reference: TableRef) -> RowStream {
        let table = self.table(reference)
        var rows: [Document]?
        var position = 0
        return RowStream(cancellation: cancellation) { () throws(ReqlError) -> Document? in
            if rows == nil { rows = try self.call { try await table.getAll(values, index: index) } }
            guard let rows, position < rows.count else { return nil }
            defer { position += 1 }
            return rows[position]
        }
    }

    func indexScan(_ scan: IndexScan, in reference: TableRef) -> RowStream {
        pages(of: Self.range(of: self.table(reference), scan).pageSize(Self.pageSize))
    }

    /// The library's range for a table slice: what a read of it and a feed on it take.
    static func range(of table: Table, _ scan: IndexScan) -> IndexRange {
        var range = table.between(Self.bound(scan.lower), Self.bound(scan.upper), index: scan.index,
                                  leftBound: scan.leftOpen ? .open : .closed,
                                  rightBound: scan.rightOpen ? .open : .closed)
        if let descending = scan.descending { range = range.ordered(descending ? .descending : .ascending) }
        return range
    }

    func indexDefinition(_ name: String, in reference: TableRef) throws(ReqlError) -> (function: Document, multi: Bool) {
        let table = self.table(reference)
        let status = try call { try await table.indexStatus([name]) }
        // indexStatus throws for a missing index, so there is one status.
        let definition = status[0]
        do {
            return (try IndexFunction(binary: definition.function).term, definition.multi)
        } catch {
            throw ReqlError(error)
        }
    }

    private static func bound(_ value: Document) -> IndexBound {
        switch value {
        case Bound.minval: return .minval
        case Bound.maxval: return .maxval
        default: return .value(value)
        }
    }
}
