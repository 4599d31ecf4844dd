import DocumentModel
extension Table {
    /// Inserts any `Encodable` value (or an array of them), encoded with ``DocumentEncoder``.
    ///
    /// ```swift
    /// struct Hero: Codable { var superhero: String; var superpower: String }
    /// try await marvel.insert(encoding: Hero(superhero: "Iron Man", superpower: "Arc Reactor"))
    /// try await marvel.insert(encoding: [hero1, hero2], options: InsertOptions(conflict: .replace))
    /// ```
    ///
    /// Takes the same options as ``insert(_:options:)-(Document,_)``.
    @discardableResult
    public func insert<Value: Encodable>(
        encoding value: Value, options: InsertOptions = InsertOptions()
    ) async throws -> WriteResult {
        try await insert(DocumentEncoder().encode(value), options: options)
    }

    /// The document with this key decoded as `type` (with ``DocumentDecoder``), or nil.
    ///
    /// ```swift
    /// let hero = try await marvel.get("Iron Man", as: Hero.self)
    /// ```
    ///
    /// - Throws: what ``get(_:)`` throws, and `DecodingError` when the document does not fit
    ///   `type`.
    public func get<Value: Decodable>(_ key: Document, as type: Value.Type) async throws -> Value? {
        guard let document = try await get(key) else { return nil }
        return try DocumentDecoder().decode(type, from: document)
    }
}
