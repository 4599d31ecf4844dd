import DocumentModel
extension Table {
    /// The document with this primary key, or nil, RethinkDB's `table.get(key)`.
    ///
    /// ```swift
    /// if let hero = try await marvel.get("Iron Man") { print(hero["superpower"] ?? .null) }
    /// ```
    ///
    /// - Throws: RethinkDB's key errors: `null` is
    ///   `Primary keys must be either a number, string, bool, pseudotype or array (got type NULL):\nnull`
    ///   (`DocumentStoreError.Code.nonExistence`); an object or an over-long key is a
    ///   `DocumentStoreError.Code.queryLogic` error.
    public func get(_ key: Document) async throws -> Document? {
        let key = try Self.validatedKey(key)
        let info = try await store.tableInfo(name)
        let text: [UInt8]? = try await store.read { connection in
            do {
                let statement = try connection.cachedStatement("SELECT doc FROM \(info.quotedName) WHERE id = ?")
                defer { statement.reset() }
                statement.bind(key: key, at: 1)
                guard try statement.step() else { return nil }
                return statement.bytes(at: 0)
            } catch let error as SQLiteError {
                throw DocumentStoreError(error, while: "read from table `\(info.name)`")
            }
        }
        return text.map { Document(canonical: $0) }
    }

    static func validatedKey(_ key: Document) throws -> PrimaryKey {
        do {
            return try PrimaryKey(key)
        } catch {
            throw DocumentStoreError(error.isNull ? .nonExistence : .queryLogic, error.message)
        }
    }
}
