import DocumentModel
import Foundation

/// The entry changes of one index that a write transaction has decided but not yet written,
/// kept so that they reach SQLite in the order of the index's B-tree.
///
/// Entries written in document order land on random leaves of each entry table: every insert
/// then walks cold pages, which costs more than the document's own row (measured: 450,000
/// entries of 100,000 documents take about 2.5 s of SQLite's time in document order and
/// 1.3 s sorted). Sorted, consecutive changes share their path down the tree and their leaf.
///
/// Sorting must not change what ends up stored: a transaction may change one entry several
/// times (a batch that inserts, updates and deletes one key; a build adding an entry that a
/// write adds too). Changes of one row are kept in the order they were made and only the
/// last one decides the row (see ``write(insert:delete:)``).
struct IndexEntryChanges {
    /// One decided change: the entry's row after it (`value` nil: no row).
    struct Change {
        let primaryKey: PrimaryKey
        let tag: Int64
        let value: Document?
    }

    /// Where a change's row sorts: its key and its primary key, as bytes in `arena` (the id
    /// as its type letter, its SQL column's kind, then bytes that compare as SQLite compares
    /// the column, for numbers roughly), then its tag, then when it was made. Plain values
    /// only, so sorting moves no reference counts.
    private struct Place {
        let keyStart: Int32
        let keyCount: Int32
        let idStart: Int32
        let idCount: Int32
        let tag: Int64
        let change: Int32
    }

    private var changes: [Change] = []
    private var places: [Place] = []
    private var arena: [UInt8] = []

    var count: Int { changes.count }

    mutating func insert(_ entry: IndexEntry, of primaryKey: PrimaryKey) {
        append(entry, primaryKey, value: entry.value)
    }

    mutating func delete(_ entry: IndexEntry, of primaryKey: PrimaryKey) {
        append(entry, primaryKey, value: nil)
    }

    private mutating func append(_ entry: IndexEntry, _ primaryKey: PrimaryKey, value: Document?) {
        let keyStart = arena.count
        arena.append(contentsOf: entry.key)
        let idStart = arena.count
        arena.append(primaryKey.typeLetter)
        switch primaryKey.column {
        case .integer(let number):
            arena.append(1)
            withUnsafeBytes(of: (UInt64(bitPattern: number) ^ (1 << 63)).bigEndian) { arena.append(contentsOf: $0) }
        case .real(let number):
            arena.append(2)
            let bits = number.bitPattern
            withUnsafeBytes(of: (number < 0 ? ~bits : bits ^ (1 << 63)).bigEndian) { arena.append(contentsOf: $0) }
        case .text(let text):
            arena.append(3)
            arena.append(contentsOf: text.utf8)
        case .blob(let bytes):
            arena.append(4)
            arena.append(contentsOf: bytes)
        }
        places.append(Place(keyStart: Int32(keyStart), keyCount: Int32(idStart - keyStart), idStart: Int32(idStart),
                            idCount: Int32(arena.count - idStart), tag: entry.tag, change: Int32(changes.count)))
        changes.append(Change(primaryKey: primaryKey, tag: entry.tag, value: value))
    }

    /// Writes every change in the entry table's order and forgets them. For each row, the
    /// last change decides: a row changed once by an insert is inserted (an equal row already
    /// there, made by a build, stays); any other row is deleted first, then inserted if its
    /// last change is an insert. Whatever the row held before the transaction, it ends as the
    /// last change says. The closures get the row's key bytes and its change.
    mutating func write(insert: (UnsafeRawBufferPointer, Change, Document) throws -> Void,
                        delete: (UnsafeRawBufferPointer, Change) throws -> Void) throws {
        defer {
            changes.removeAll(keepingCapacity: true)
            places.removeAll(keepingCapacity: true)
            arena.removeAll(keepingCapacity: true)
        }
        try arena.withUnsafeBytes { arena in
            let base = arena.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
            places.sort { Self.compare($0, $1, base) < 0 }
            var start = 0
            while start < places.count {
                var end = start + 1
                while end < places.count && Self.compare(places[start], places[end], base, ignoringOrder: true) == 0 { end += 1 }
                let place = places[end - 1]
                let key = UnsafeRawBufferPointer(start: base + Int(place.keyStart), count: Int(place.keyCount))
                let last = changes[Int(place.change)]
                if end - start > 1 || last.value == nil { try delete(key, last) }
                if let value = last.value { try insert(key, last, value) }
                start = end
            }
        }
    }

    /// Orders by key, id, tag, then (unless `ignoringOrder`) by when the change was made.
    private static func compare(_ a: Place, _ b: Place, _ base: UnsafeRawPointer, ignoringOrder: Bool = false) -> Int {
        let byKey = compareBytes(base + Int(a.keyStart), Int(a.keyCount), base + Int(b.keyStart), Int(b.keyCount))
        if byKey != 0 { return byKey }
        let byID = compareBytes(base + Int(a.idStart), Int(a.idCount), base + Int(b.idStart), Int(b.idCount))
        if byID != 0 { return byID }
        if a.tag != b.tag { return a.tag < b.tag ? -1 : 1 }
        if ignoringOrder || a.change == b.change { return 0 }
        return a.change < b.change ? -1 : 1
    }

    private static func compareBytes(_ a: UnsafeRawPointer, _ aCount: Int, _ b: UnsafeRawPointer, _ bCount: Int) -> Int {
        let common = min(aCount, bCount)
        if common > 0 {
            let result = memcmp(a, b, common)
            if result != 0 { return Int(result) }
        }
        return aCount - bCount
    }
}
