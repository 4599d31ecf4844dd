import DocumentModel
extension Table {
    /// The number of documents in the table, RethinkDB's `table.count()`.
    ///
    /// ```swift
    /// let heroes = try await marvel.count()
    /// ```
    public func count() async throws -> Int {
        let info = try await store.tableInfo(name)
        return try await store.read { connection in
            do {
                return Int(try connection.scalarInt("SELECT count(*) FROM \(info.quotedName)"))
            } catch let error as SQLiteError {
                throw DocumentStoreError(error, while: "count table `\(info.name)`")
            }
        }
    }

    /// Every document of the table, read a page at a time so a large table never sits in memory
    /// at once (RethinkDB's table scan). The order is the storage order, as in RethinkDB, where
    /// a scan's order is unspecified too.
    ///
    /// ```swift
    /// for try await hero in marvel.documents() {
    ///     print(hero.jsonString)
    /// }
    /// ```
    public func documents(pageSize: Int = 1000) -> Documents {
        Documents(table: self, pageSize: max(1, pageSize))
    }

    /// The documents of a table as an async sequence; see ``Table/documents(pageSize:)``.
    ///
    /// Each page is one short read of its own (on a reader connection when the store is a file),
    /// starting after the last row seen: no transaction stays open between pages, and a page
    /// deep into the table costs what the first one does.
    ///
    /// ```swift
    /// var retired = 0
    /// for try await hero in marvel.documents(pageSize: 500) where hero["retired"] == true {
    ///     retired += 1
    /// }
    /// ```
    public struct Documents: AsyncSequence, Sendable {
        /// Each element is one stored document.
        public typealias Element = Document
        let table: Table
        let pageSize: Int

        /// A new scan from the start of the table; each `for try await` loop makes its own.
        ///
        /// ```swift
        /// var iterator = marvel.documents().makeAsyncIterator()
        /// let first = try await iterator.next()
        /// ```
        public func makeAsyncIterator() -> Iterator {
            Iterator(table: table, pageSize: pageSize)
        }

        /// Reads the table a page at a time, keeping only the current page in memory.
        ///
        /// ```swift
        /// var iterator = marvel.documents(pageSize: 100).makeAsyncIterator()
        /// while let hero = try await iterator.next() { print(hero) }
        /// ```
        public struct Iterator: AsyncIteratorProtocol {
            let table: Table
            let pageSize: Int
            private var lastRowID: Int64 = 0
            private var page: [Document] = []
            private var index = 0
            private var finished = false

            init(table: Table, pageSize: Int) {
                self.table = table
                self.pageSize = pageSize
            }

            /// The next document, or nil after the last one; reads the next page when the
            /// current one is used up.
            ///
            /// ```swift
            /// let hero = try await iterator.next()
            /// ```
            ///
            /// - Returns: the next document in storage order, or nil at the end of the table.
            /// - Throws: `DocumentStoreError`: "Table \`test.marvel\` does not exist." for a
            ///   missing table, or `.storage` when SQLite fails to read.
            public mutating func next() async throws -> Document? {
                if index == page.count {
                    guard !finished else { return nil }
                    let fetched = try await table.page(after: lastRowID, limit: pageSize)
                    page = fetched.documents
                    index = 0
                    lastRowID = fetched.lastRowID
                    finished = page.count < pageSize
                    if page.isEmpty { return nil }
                }
                defer { index += 1 }
                return page[index]
            }
        }
    }

    /// One page of a scan by rowid: keyset paging, so each page costs the same however deep.
    func page(after rowID: Int64, limit: Int) async throws -> (documents: [Document], lastRowID: Int64) {
        let info = try await store.tableInfo(name)
        return try await store.read { connection in try Self.page(connection, info, after: rowID, limit: limit) }
    }

    /// One page of a scan by rowid on `connection`, in the caller's transaction if it has one.
    static func page(_ connection: SQLiteConnection, _ info: TableInfo, after rowID: Int64,
                     limit: Int) throws -> (documents: [Document], lastRowID: Int64) {
        do {
            let statement = try connection.cachedStatement("SELECT rowid, doc FROM \(info.quotedName) WHERE rowid > ? ORDER BY rowid LIMIT ?")
            defer { statement.reset() }
            statement.bind(rowID, at: 1)
            statement.bind(Int64(limit), at: 2)
            var documents: [Document] = []
            var last = rowID
            while try statement.step() {
                last = statement.int64(at: 0)
                documents.append(statement.withBytes(at: 1) { Document(canonical: $0) })
            }
            return (documents, last)
        } catch let error as SQLiteError {
            throw DocumentStoreError(error, while: "read table `\(info.name)`")
        }
    }
}
