import DocumentModel

extension Table {
    /// The documents whose index value (for a multi index, one of its elements) equals one of
    /// `values`, RethinkDB's `get_all(..., index=)`: each value is one B-tree lookup.
    ///
    /// A document comes once per matching entry and per time its value is asked for, as in
    /// RethinkDB: a multi index whose array holds the value twice gives the document twice.
    /// Values are looked up in ReQL's order of values.
    ///
    /// ```swift
    /// let admins = try await users.getAll(["admin", "owner"], index: "role")
    /// let byID = try await users.getAll([1, 2], index: "id")     // the primary key works too
    /// ```
    ///
    /// - Throws: `DocumentStoreError`: "Keys cannot be NULL." (`.nonExistence`), "Index \`x\`
    ///   was not found on table \`test.users\`." or "Index \`x\` on table \`test.users\` was
    ///   accessed before its construction was finished." (`.opFailed`), or RethinkDB's error
    ///   for a value no index holds (an object).
    public func getAll(_ values: [Document], index: String) async throws -> [Document] {
        let info = try await store.tableInfo(name)
        let wanted = try Self.distinctKeys(values)
        let database = store.configuration.databaseName
        let registry = store.indexes
        if index == info.primaryKey {
            var documents: [Document] = []
            // r.minval and r.maxval are no key: they match nothing, as in RethinkDB.
            for (value, copies) in wanted where !["MINVAL", "MAXVAL"].contains(value.objectValue?.reqlType ?? "") {
                guard let document = try await get(value) else { continue }
                documents += Array(repeating: document, count: copies)
            }
            return documents
        }
        return try await store.read { connection in
            try Self.indexedDocuments(connection, info, database, index: index, wanted: wanted, registry: registry)
        }
    }

    /// ``getAll(_:index:)`` on a secondary index, read on `connection` (in the caller's
    /// transaction if it has one).
    static func indexedDocuments(_ connection: SQLiteConnection, _ info: TableInfo, _ database: String, index: String,
                                 values: [Document], registry: IndexRegistry) throws -> [Document] {
        try indexedDocuments(connection, info, database, index: index, wanted: distinctKeys(values), registry: registry)
    }

    private static func indexedDocuments(_ connection: SQLiteConnection, _ info: TableInfo, _ database: String, index: String,
                                         wanted: [(value: Document, copies: Int)], registry: IndexRegistry) throws -> [Document] {
        let keys = try wanted.map { (value: $0.value, copies: $0.copies, key: try SecondaryRange.boundKey($0.value)) }
        return try IndexScan.reading(info, database) {
            try connection.readTransaction {
                let definition = try SecondaryRange.readyDefinition(connection, table: info, database: database, index: index,
                                                                    registry: registry)
                let statement = try connection.cachedStatement("""
                    SELECT e.value, d.doc FROM \(definition.quotedStorage) AS e JOIN \(info.quotedName) AS d ON d.id = e.id
                    WHERE e.key = ? ORDER BY e.key, e.id_type, e.id, e.tag
                    """)
                var documents: [Document] = []
                for wanted in keys {
                    defer { statement.reset() }
                    wanted.key.withUnsafeBytes { statement.bindBlob($0, at: 1) }
                    let exact = !IndexKey.isTruncated(wanted.key)
                    while try statement.step() {
                        if !exact, ReqlOrder.compare(statement.withBytes(at: 0) { Document(canonical: $0) }, wanted.value) != 0 {
                            continue
                        }
                        let document = statement.withBytes(at: 1) { Document(canonical: $0) }
                        documents += Array(repeating: document, count: wanted.copies)
                    }
                }
                return documents
            }
        }
    }

    /// The values to look up, each once with how many times it was asked for, in ReQL's
    /// order; RethinkDB's errors for null and geometry.
    static func distinctKeys(_ values: [Document]) throws -> [(value: Document, copies: Int)] {
        var distinct: [(value: Document, copies: Int)] = []
        for value in values {
            if value.objectValue?.reqlType == "GEOMETRY" {
                throw DocumentStoreError(.queryLogic, "Cannot use a geospatial index with `get_all`. Use `get_intersecting` instead.")
            }
            if value.isNull { throw DocumentStoreError(.nonExistence, "Keys cannot be NULL.") }
            if let position = distinct.firstIndex(where: { ReqlOrder.compare($0.value, value) == 0 }) {
                distinct[position].copies += 1
            } else {
                distinct.append((value, 1))
            }
        }
        return distinct.sorted { ReqlOrder.compare($0.value, $1.value) < 0 }
    }

    /// The documents whose index value lies between two bounds, RethinkDB's `between`: read
    /// lazily, a page at a time, as a B-tree range (the primary key when `index` is nil).
    ///
    /// ```swift
    /// for try await user in users.between(.value(18), .value(65), index: "age") { ... }
    /// let ms = users.between(.value("m"), .value("n"))             // primary keys from "m" to "n"
    /// ```
    ///
    /// The range includes the lower bound and leaves out the upper one unless the kinds say
    /// otherwise; it is read when iterated, so its errors (a missing or unfinished index, a
    /// `null` bound) are thrown then.
    public func between(_ lower: IndexBound, _ upper: IndexBound, index: String? = nil,
                        leftBound: BoundKind = .closed, rightBound: BoundKind = .open) -> IndexRange {
        IndexRange(table: self, index: index, lower: lower, upper: upper, leftBound: leftBound, rightBound: rightBound,
                   hasBetween: true)
    }

    /// Every document in the order of an index, RethinkDB's `order_by(index=...)`: read lazily,
    /// a page at a time; compose it with ``IndexRange/between(_:_:leftBound:rightBound:)``.
    ///
    /// ```swift
    /// for try await user in users.orderBy(index: "age", .descending) { ... }
    /// ```
    public func orderBy(index: String, _ order: IndexOrder = .ascending) -> IndexRange {
        IndexRange(table: self, index: index, order: order)
    }
}
