import DocumentModel

/// A range of the primary key, read from the document table's `id` column.
///
/// RethinkDB orders keys by type first (arrays < booleans < numbers < times and binary
/// values < strings); SQLite's column orders numbers < text < blobs, and DocStore stores
/// strings as TEXT, numbers as numbers, and the other types as blobs starting with their type
/// letter (`A`, `B`, `P`). So the range is read as up to five segments of the column in
/// RethinkDB's type order, each one B-tree range: blobs `A…`, blobs `B…`, numbers, blobs
/// `P…`, text.
struct PrimaryKeyRange: Sendable {
    /// Where the last page ended: the segment and the last key read in it.
    struct Cursor: Sendable {
        let segment: Int
        let id: SQLiteValue
    }

    /// One type's part of the `id` column, with the range's bounds where they fall in it.
    struct Segment: Sendable {
        var lower: SQLiteValue?
        var lowerOpen = false
        var upper: SQLiteValue?
        var upperOpen = true
    }

    private static let letters: [UInt8] = Array("ABNPS".utf8)

    let segments: [Segment]
    let descending: Bool

    init(lower: Document, lowerOpen: Bool, upper: Document, upperOpen: Bool, descending: Bool) throws {
        let low = try Self.bound(lower)
        let high = try Self.bound(upper)
        var segments: [Segment] = []
        for letter in Self.letters {
            var segment = Self.segment(letter)
            if let low, let value = low.value {
                if letter < low.letter { continue }
                if letter == low.letter { segment.lower = value; segment.lowerOpen = lowerOpen }
            } else if let low, low.letter > UInt8(ascii: "Z") {
                continue   // r.maxval as the lower bound: nothing is above it
            }
            if let high, let value = high.value {
                if letter > high.letter { continue }
                if letter == high.letter { segment.upper = value; segment.upperOpen = upperOpen }
            } else if let high, high.letter < UInt8(ascii: "A") {
                continue   // r.minval as the upper bound
            }
            segments.append(segment)
        }
        self.segments = descending ? segments.reversed() : segments
        self.descending = descending
    }

    /// The bound's type letter and its value as the `id` column compares it; nil value for
    /// `r.minval`/`r.maxval`.
    private static func bound(_ value: Document) throws -> (letter: UInt8, value: SQLiteValue?)? {
        var encoded: [UInt8] = []
        do {
            try KeyEncoder(.primaryBound).encode(value, into: &encoded)
        } catch {
            throw DocumentStoreError(.queryLogic, error.message)
        }
        let letter = encoded.first ?? UInt8(ascii: "N")
        switch value {
        case .string(let string): return (letter, .text(string))
        case .number(let number): return (letter, .real(number))
        case .object(let object) where object.reqlType == "MINVAL" || object.reqlType == "MAXVAL": return (letter, nil)
        default: return (letter, .blob(encoded))
        }
    }

    /// The whole of one type's segment: blobs of a letter, or all numbers, or all text.
    private static func segment(_ letter: UInt8) -> Segment {
        switch letter {
        case UInt8(ascii: "N"): return Segment(lower: nil, upper: .text(""), upperOpen: true)
        case UInt8(ascii: "S"): return Segment(lower: .text(""), lowerOpen: false, upper: .blob([]), upperOpen: true)
        default: return Segment(lower: .blob([letter]), lowerOpen: false, upper: .blob([letter + 1]), upperOpen: true)
        }
    }

    /// Up to `limit` documents after `cursor`; the cursor is nil when the range is done.
    func page(_ connection: SQLiteConnection, table: TableInfo, after cursor: Cursor?, limit: Int) throws -> (documents: [Document], cursor: Cursor?) {
        var documents: [Document] = []
        var index = cursor?.segment ?? 0
        var last = cursor?.id
        while index < segments.count {
            let wanted = limit - documents.count
            let rows = try read(segments[index], connection, table, after: last, limit: wanted)
            documents += rows.documents
            if rows.documents.count == wanted, let id = rows.lastID {
                return (documents, Cursor(segment: index, id: id))
            }
            index += 1
            last = nil
        }
        return (documents, nil)
    }

    private func read(_ segment: Segment, _ connection: SQLiteConnection, _ table: TableInfo, after: SQLiteValue?,
                      limit: Int) throws -> (documents: [Document], lastID: SQLiteValue?) {
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        if let lower = segment.lower {
            conditions.append(segment.lowerOpen ? "id > ?" : "id >= ?")
            values.append(lower)
        }
        if let upper = segment.upper {
            conditions.append(segment.upperOpen ? "id < ?" : "id <= ?")
            values.append(upper)
        }
        if let after {
            conditions.append(descending ? "id < ?" : "id > ?")
            values.append(after)
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let statement = try connection.cachedStatement(
            "SELECT id, doc FROM \(table.quotedName)\(filter) ORDER BY id \(descending ? "DESC" : "ASC") LIMIT ?")
        defer { statement.reset() }
        for (position, value) in values.enumerated() { statement.bind(value, at: Int32(position + 1)) }
        statement.bind(Int64(limit), at: Int32(values.count + 1))
        var documents: [Document] = []
        var lastID: SQLiteValue?
        while try statement.step() {
            lastID = statement.value(at: 0)
            documents.append(statement.withBytes(at: 1) { Document(canonical: $0) })
        }
        return (documents, lastID)
    }
}
