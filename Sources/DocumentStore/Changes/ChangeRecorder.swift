import DocumentModel
import Foundation

/// Writes the change records of one write transaction: every row write of a table whose log
/// is on goes through ``RowStatements``, which hands the document before and after to
/// ``record(_:old:new:)``, so no write path can change a document without its record.
///
/// The record is inserted in the write's own transaction: it commits with the write or not
/// at all, and its sequence (the table's `INTEGER PRIMARY KEY`) is assigned under the write
/// lock, so sequences follow commit order.
///
/// A class so the write can tell, after its commit, whether it recorded anything (and wake
/// the feeds); it lives only inside one call on the writer's thread.
final class ChangeRecorder {
    private let connection: SQLiteConnection
    private let table: String
    /// The write's time, for age retention: all records of a transaction share it.
    private let time = Date().timeIntervalSince1970
    private(set) var count = 0
    private var text: [UInt8] = []

    init(connection: SQLiteConnection, table: String) {
        self.connection = connection
        self.table = table
    }

    /// Records that the document with `key` went from `old` to `new` (nil: absent), each
    /// given as its canonical text when the caller has it, else as a value.
    func record(_ key: PrimaryKey, old: DocumentText?, new: DocumentText?) throws {
        let statement = try connection.cachedStatement(
            "INSERT INTO \(ChangeLogStorage.quotedTable) (table_name, key, old_doc, new_doc, at) VALUES (?, ?, ?, ?, ?)")
        defer { statement.reset() }
        statement.bind(table, at: 1)
        statement.bind(key: key, at: 2)
        try bind(old, to: statement, at: 3)
        try bind(new, to: statement, at: 4)
        statement.bind(time, at: 5)
        try statement.step()
        count += 1
    }

    private func bind(_ document: DocumentText?, to statement: SQLiteStatement, at index: Int32) throws {
        switch document {
        case nil:
            statement.bindNull(index)
        case .text(let bytes):
            bytes.withUnsafeBytes { statement.bindText($0, at: index) }
        case .value(let value):
            text.removeAll(keepingCapacity: true)
            value.appendJSON(to: &text)
            text.withUnsafeBytes { statement.bindText($0, at: index) }
        }
    }
}

/// A document as a write has it at hand: its canonical text, or a value to encode.
enum DocumentText {
    case text(ArraySlice<UInt8>)
    case value(Document)
}
