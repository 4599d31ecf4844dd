import DocumentStore

/// A lazy sequence of documents: a table read a page at a time, a literal array, or either
/// transformed by `filter`, `map`, `limit`... Nothing is read until someone pulls.
///
/// `@unchecked Sendable`: a stream is pulled by one task at a time (the query evaluating it,
/// then the cursor serving it), never concurrently; `next()` is the only mutation.
final class RowStream: @unchecked Sendable {
    private var pull: () async throws(ReqlError) -> Document?

    init(_ pull: @escaping () async throws(ReqlError) -> Document?) {
        self.pull = pull
    }

    func next() async throws(ReqlError) -> Document? {
        try await pull()
    }

    static func array(_ elements: [Document]) -> RowStream {
        var index = 0
        return RowStream { () throws(ReqlError) -> Document? in
            guard index < elements.count else { return nil }
            defer { index += 1 }
            return elements[index]
        }
    }

    /// Every document of a table, a page at a time.
    static func table(_ table: Table) -> RowStream {
        var iterator = table.documents().makeAsyncIterator()
        return RowStream { () throws(ReqlError) -> Document? in
            do {
                return try await iterator.next()
            } catch {
                throw ReqlEngine.reqlError(error)
            }
        }
    }

    func filter(_ keep: @escaping (Document) async throws(ReqlError) -> Bool) -> RowStream {
        RowStream { () throws(ReqlError) -> Document? in
            while let row = try await self.next() {
                if try await keep(row) { return row }
            }
            return nil
        }
    }

    func map(_ transform: @escaping (Document) async throws(ReqlError) -> Document) -> RowStream {
        RowStream { () throws(ReqlError) -> Document? in
            guard let row = try await self.next() else { return nil }
            return try await transform(row)
        }
    }

    func concatMap(_ transform: @escaping (Document) async throws(ReqlError) -> RowStream) -> RowStream {
        var current: RowStream?
        return RowStream { () throws(ReqlError) -> Document? in
            while true {
                if let current, let value = try await current.next() { return value }
                guard let row = try await self.next() else { return nil }
                current = try await transform(row)
            }
        }
    }

    func limit(_ count: Int) -> RowStream {
        var taken = 0
        return RowStream { () throws(ReqlError) -> Document? in
            guard taken < count else { return nil }
            taken += 1
            return try await self.next()
        }
    }

    func skip(_ count: Int) -> RowStream {
        var skipped = false
        return RowStream { () throws(ReqlError) -> Document? in
            if !skipped {
                skipped = true
                for _ in 0..<count {
                    // `== nil` would compare with Document.null (Document is ExpressibleByNilLiteral).
                    if case .none = try await self.next() { return nil }
                }
            }
            return try await self.next()
        }
    }

    /// Everything left, as an array; more than `limit` elements is RethinkDB's array-limit error.
    func collect(limit: Int) async throws(ReqlError) -> [Document] {
        var elements: [Document] = []
        while let row = try await next() {
            elements.append(row)
            if elements.count > limit { throw ReqlEngine.arrayLimitError(limit) }
        }
        return elements
    }
}
