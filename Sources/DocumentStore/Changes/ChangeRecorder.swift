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
/// In a table with change links (``TableInfo/changeLinks``, migration 0005) a record does not
/// copy the new document: the row keeps it, with the record's sequence in `change_seq`, and
/// the record's `new_doc` is `''`. Before that row changes again or goes, ``unlink(_:old:)``
/// writes the document it replaces into the record. A logged insert then writes its document
/// once, as an unlogged one does; an update writes as many bytes as before.
///
/// A class so the write can tell, after its commit, whether it recorded anything (and wake
/// the feeds); it lives only inside one call on the writer's thread.
final class ChangeRecorder {
    /// The document table's column that names the record holding the row's document.
    static let linkColumn = "change_seq"

    /// How a row is found: by key, or by rowid during a table scan.
    enum Row {
        case key(PrimaryKey)
        case rowID(Int64)
    }

    private let connection: SQLiteConnection
    private let table: String
    private let quotedTable: String
    /// Whether rows keep their records' new documents.
    let linksRows: Bool
    /// The write's time, for age retention: all records of a transaction share it.
    private let time = Date().timeIntervalSince1970
    private(set) var count = 0
    private var text: [UInt8] = []
    /// The sequence the next record takes: read once under the write lock
    /// (``ChangeLogStorage/nextSequence(_:)``), then counted here; a linked row is written with
    /// it before its record.
    private var nextSequence: Int64?
    /// Held here rather than looked up by their SQL text per row: a bulk write records every row.
    private var insert: SQLiteStatement?
    private var unlinkByKey: SQLiteStatement?
    private var unlinkByRowID: SQLiteStatement?

    init(connection: SQLiteConnection, table: TableInfo) {
        self.connection = connection
        self.table = table.name
        self.quotedTable = table.quotedName
        self.linksRows = table.changeLinks
    }

    /// The `change_seq` a row written now takes: the sequence of the record that follows.
    /// nil when the table's rows do not link to records.
    func rowLink() throws -> Int64? {
        linksRows ? try sequence() : nil
    }

    private func sequence() throws -> Int64 {
        if let nextSequence { return nextSequence }
        let next = try ChangeLogStorage.nextSequence(connection)
        nextSequence = next
        return next
    }

    /// Before the row's document `old` changes or goes: writes it into the record that left
    /// it in the row, if that record is still kept. Returns `old` as canonical text, for the
    /// record of this change.
    func unlink(_ row: Row, old: Document) throws -> [UInt8] {
        var bytes: [UInt8] = []
        old.appendJSON(to: &bytes)
        let statement: SQLiteStatement
        switch row {
        case .key:
            statement = try unlinkByKey ?? unlinkStatement(locating: "id = ?2")
            unlinkByKey = statement
        case .rowID:
            statement = try unlinkByRowID ?? unlinkStatement(locating: "rowid = ?2")
            unlinkByRowID = statement
        }
        defer { statement.reset() }
        bytes.withUnsafeBytes { statement.bindText($0, at: 1) }
        switch row {
        case .key(let key): statement.bind(key: key, at: 2)
        case .rowID(let rowID): statement.bind(rowID, at: 2)
        }
        statement.bind(table, at: 3)
        try statement.step()
        return bytes
    }

    private func unlinkStatement(locating locate: String) throws -> SQLiteStatement {
        // The key and table are checked too: a record is filled in only from its own row.
        try connection.cachedStatement("""
            UPDATE \(ChangeLogStorage.quotedTable) SET new_doc = ?1
            WHERE seq = (SELECT \(Self.linkColumn) FROM \(quotedTable) WHERE \(locate))
              AND key = (SELECT id FROM \(quotedTable) WHERE \(locate)) AND table_name = ?3 AND new_doc = ''
            """)
    }

    /// Records that the document with `key` went from `old` to `new` (nil: absent), each
    /// given as its canonical text when the caller has it, else as a value. With change links
    /// a new document is left in its row, which the caller wrote with ``rowLink()``.
    func record(_ key: PrimaryKey, old: DocumentText?, new: DocumentText?) throws {
        let sequence = try sequence()
        let statement = try insert ?? connection.cachedStatement(
            "INSERT INTO \(ChangeLogStorage.quotedTable) (table_name, key, old_doc, new_doc, at, seq) VALUES (?, ?, ?, ?, ?, ?)")
        insert = statement
        defer { statement.reset() }
        try bind(statement, key, old: old, new: linksRows ? new.map { _ in .text([]) } : new)
        statement.bind(sequence, at: 6)
        try statement.step()
        nextSequence = sequence + 1
        count += 1
    }

    private func bind(_ statement: SQLiteStatement, _ key: PrimaryKey, old: DocumentText?, new: DocumentText?) throws {
        statement.bind(table, at: 1)
        statement.bind(key: key, at: 2)
        try bind(old, to: statement, at: 3)
        try bind(new, to: statement, at: 4)
        statement.bind(time, at: 5)
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
