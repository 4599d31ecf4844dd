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
        return try await store.read { connection in try Self.fetch(connection, info, key) }
    }

    /// The document with this key on `connection`, in the caller's transaction if it has one.
    static func fetch(_ connection: SQLiteConnection, _ info: TableInfo, _ key: PrimaryKey) throws -> Document? {
        do {
            let statement = try connection.cachedStatement("SELECT doc FROM \(info.quotedName) WHERE id = ?")
            defer { statement.reset() }
            statement.bind(key: key, at: 1)
            guard try statement.step() else { return nil }
            return statement.withBytes(at: 0) { Document(canonical: $0) }
        } catch let error as SQLiteError {
            throw DocumentStoreError(error, while: "read from table `\(info.name)`")
        }
    }

    static func validatedKey(_ key: Document) throws -> PrimaryKey {
        do {
            return try PrimaryKey(key)
        } catch {
            throw DocumentStoreError(error.isNull ? .nonExistence : .queryLogic, error.message)
        }
    }
}
