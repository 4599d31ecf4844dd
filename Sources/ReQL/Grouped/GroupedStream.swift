import DocumentModel

/// `group(...)`'s output before it is reduced: each row of the source with the group it falls
/// in, read lazily. RethinkDB's GROUPED_STREAM.
///
/// Per-row terms (`map`, `filter`, `pluck`...) keep it a grouped stream, so a reduction after
/// them (`count`, `sum`, `reduce`...) still reads the source once, keeping one running value
/// per group and never a group's rows. Anything else needs each group's rows, and
/// ``collect(limit:)`` gathers them into ``GroupedData``, within the array limit as RethinkDB
/// counts it (all groups' rows together).
///
/// ```swift
/// // tbl.group('a').map(r.row['id']).sum()  -> one pass over tbl, one sum per value of `a`
/// ```
package struct GroupedStream: Sendable {
    /// The pairs, each `[group, row]`.
    let pairs: RowStream

    init(pairs: RowStream) {
        self.pairs = pairs
    }

    /// The next row and its group.
    func next() throws(ReqlError) -> (key: Document, row: Document)? {
        guard let pair = try pairs.next() else { return nil }
        guard case .array(let parts) = pair, parts.count == 2 else { return nil }
        return (parts[0], parts[1])
    }

    /// Rows replaced by what `transform` makes of each (nothing, one or several rows), in the
    /// same group.
    func flatMap(_ transform: @escaping (Document) throws(ReqlError) -> [Document]) -> GroupedStream {
        var pending: [Document] = []
        var key: Document = .null
        var index = 0
        let source = self
        return GroupedStream(pairs: RowStream(cancellation: pairs.cancellation) { () throws(ReqlError) -> Document? in
            while index >= pending.count {
                guard let next = try source.next() else { return nil }
                key = next.key
                pending = try transform(next.row)
                index = 0
            }
            defer { index += 1 }
            return .array([key, pending[index]])
        })
    }

    /// Every group's rows, as arrays. RethinkDB bounds all the rows together by the array limit.
    func collect(limit: Int) throws(ReqlError) -> GroupedData {
        var table = GroupTable<[Document]>(limit: limit)
        var total = 0
        while let (key, row) = try next() {
            total += 1
            guard total <= limit else {
                throw .runtime(.resourceLimit, "Grouped data over size limit `\(limit)`.  Try putting a reduction (like `.reduce` or `.count`) on the end.")
            }
            let position = try table.position(of: key, initial: [])
            try table.update(position) { $0.append(row) }
        }
        return try table.finished { .array($0) }
    }
}
