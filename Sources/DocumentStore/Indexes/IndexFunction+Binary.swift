extension IndexFunction {
    /// The function inside a definition that ``IndexStatus/function`` gave, so a client can
    /// compute an index's values itself (the server sorts `order_by(key, index:)` runs of
    /// equal values with it).
    ///
    /// ```swift
    /// let status = try await users.indexStatus(["email"])[0]
    /// let function = try IndexFunction(binary: status.function)
    /// function.term   // [69,[[2,[1]],[170,[[10,[1]],"email"]]]]
    /// ```
    ///
    /// - Throws: RethinkDB's "Cannot create an sindex except from a reql_index_function
    ///   returned from \`index_status\` in the field \`function\`." for other bytes.
    public init(binary: [UInt8]) throws {
        self = try IndexDefinitionBlob.decode(binary).function
    }
}
