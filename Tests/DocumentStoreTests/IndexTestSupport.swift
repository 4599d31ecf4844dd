import Foundation
import Testing
@testable import DocumentStore

/// One row of an index's entry table, as a test compares it.
struct EntryRow: Hashable, CustomStringConvertible {
    let id: String
    let tag: Int64
    let value: String

    var description: String { "(\(id), \(tag), \(value))" }
}

enum IndexCheck {
    /// The rows of the entry table of `index` on `table`, read straight from SQLite; each row's
    /// key is checked to be the encoding of its value.
    static func entries(_ table: Table, index: String) async throws -> Set<EntryRow> {
        let storage = try await table.indexDefinitions().first { $0.name == index }?.quotedStorage
        let quoted = try #require(storage)
        let rows = try await table.store.read { connection in
            let statement = try connection.prepare("SELECT key, id, tag, value FROM \(quoted)")
            var rows: [(key: [UInt8], id: SQLiteValue, tag: Int64, value: [UInt8])] = []
            while try statement.step() {
                rows.append((statement.bytes(at: 0), statement.value(at: 1), statement.int64(at: 2), statement.bytes(at: 3)))
            }
            return rows
        }
        var result: Set<EntryRow> = []
        for row in rows {
            let value = Document(canonical: row.value)
            #expect(try IndexKey.entry(value) == row.key, "key of \(value.jsonString)")
            let id: Document
            switch row.id {
            case .text(let text): id = .string(text)
            case .integer(let number): id = .number(Double(number))
            case .real(let number): id = .number(number)
            default: id = .null
            }
            result.insert(EntryRow(id: id.jsonString, tag: row.tag, value: value.jsonString))
        }
        return result
    }

    /// The entries RethinkDB gives these documents for an index on `path` (a field path):
    /// none when a field is missing or the value is null or an object; for `multi`, one per
    /// element that is neither, tagged with its position.
    static func expected(_ documents: [Document], path: [String], multi: Bool = false) -> Set<EntryRow> {
        var result: Set<EntryRow> = []
        for document in documents {
            var value: Document? = document
            for field in path { value = value?.objectValue?[field] }
            guard let value, let id = document["id"]?.jsonString else { continue }
            if multi, case .array(let elements) = value {
                for (position, element) in elements.enumerated() where indexable(element) {
                    result.insert(EntryRow(id: id, tag: Int64(position), value: element.jsonString))
                }
            } else if indexable(value) {
                result.insert(EntryRow(id: id, tag: 0, value: value.jsonString))
            }
        }
        return result
    }

    /// RethinkDB's index keys: numbers, strings, booleans, times, binary values, and arrays of
    /// those (and of arrays); never null or plain objects.
    static func indexable(_ value: Document) -> Bool {
        switch value {
        case .null: return false
        case .object(let object): return object.reqlType == "TIME" || object.reqlType == "BINARY"
        case .array(let elements): return elements.allSatisfy(indexable)
        default: return true
        }
    }

    /// Every document of the table.
    static func documents(_ table: Table) async throws -> [Document] {
        var documents: [Document] = []
        for try await document in table.documents() { documents.append(document) }
        return documents
    }

    /// Checks the entry table of each index against the entries computed from the documents.
    static func expectExact(_ table: Table, _ indexes: [(name: String, path: [String], multi: Bool)],
                            sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let documents = try await documents(table)
        for index in indexes {
            let actual = try await entries(table, index: index.name)
            let wanted = expected(documents, path: index.path, multi: index.multi)
            #expect(actual == wanted, "index \(index.name)", sourceLocation: sourceLocation)
        }
    }
}
