import DocumentModel
import Dispatch

extension Table {
    /// Inserts one document, or each document of an array, RethinkDB's `table.insert`, with
    /// its later API (`conflict`, `return_changes`).
    ///
    /// ```swift
    /// try await marvel.insert(["superhero": "Iron Man", "superpower": "Arc Reactor"])
    /// try await marvel.insert([["superhero": "Wolverine", "superpower": "Adamantium"],
    ///                          ["superhero": "Spiderman", "superpower": "spidy sense"]], durability: .soft)
    /// try await marvel.insert(["id": 1, "hits": 1], conflict: .update, returnChanges: .always)
    /// ```
    ///
    /// A document without the primary-key field gets a generated UUID (listed in
    /// ``WriteResult/generatedKeys``). Each document is applied in input order, all of them in
    /// one transaction; a document that fails (duplicate key, invalid key, not an object, ...)
    /// is counted in ``WriteResult/errors`` and the others are written.
    ///
    /// - Parameters:
    ///   - value: an object, or an array of objects.
    ///   - conflict: what to do when the key exists (``ConflictStrategy/error`` by default).
    ///   - durability: `.hard` or `.soft`; the table's default when nil.
    ///   - returnChanges: which `{old_val, new_val}` pairs to report.
    /// - Throws: `DocumentStoreError` when nothing could be written: a missing table, a value
    ///   that is neither object nor array (`Cannot convert NUMBER to SEQUENCE`), an array over
    ///   the array limit, or a storage failure.
    @discardableResult
    public func insert(
        _ value: Document, conflict: ConflictStrategy = .error, durability: Durability? = nil,
        returnChanges: ReturnChanges = .off
    ) async throws -> WriteResult {
        try await insert(value, options: InsertOptions(conflict: conflict, durability: durability, returnChanges: returnChanges))
    }

    /// Inserts with the 1.x API of the reference page, as it is written there:
    ///
    /// ```swift
    /// try await marvel.insert(["superhero": "Iron Man", "superpower": "Arc Reactor"], upsert: true)
    /// try await marvel.insert(["superhero": "Iron Man", "superpower": "Arc Reactor"], upsert: true, returnValues: true)
    /// ```
    ///
    /// - Parameters:
    ///   - value: an object, or an array of objects (`returnValues` needs a single object).
    ///   - upsert: `true` replaces a stored document with the same key (`conflict: .replace`).
    ///   - durability: `.hard` or `.soft`; the table's default when nil.
    ///   - returnValues: `old_val`/`new_val` at the top level of the result; a single document only.
    @discardableResult
    public func insert(
        _ value: Document, upsert: Bool, durability: Durability? = nil, returnValues: Bool = false
    ) async throws -> WriteResult {
        try await insert(value, options: .legacy(upsert: upsert, durability: durability, returnValues: returnValues))
    }

    /// Inserts one document or an array of them with every option in one value; the other
    /// `insert` methods call this one.
    @discardableResult
    public func insert(_ value: Document, options: InsertOptions) async throws -> WriteResult {
        let keys = store.configuration.generatedKeys
        let large = (value.arrayValue?.count ?? 0) > Self.pipelineDocuments
        return try await insert(options, large: large) { info, sink in
            try BatchBuilder.documents(value, primaryKey: info.primaryKey, keys: keys, arrayLimit: options.arrayLimit, into: sink)
        }
    }

    /// Inserts an array of documents; see ``insert(_:conflict:durability:returnChanges:)``.
    @discardableResult
    public func insert(
        _ documents: [Document], conflict: ConflictStrategy = .error, durability: Durability? = nil,
        returnChanges: ReturnChanges = .off
    ) async throws -> WriteResult {
        try await insert(.array(documents), options: InsertOptions(conflict: conflict, durability: durability, returnChanges: returnChanges))
    }

    /// Inserts an array of documents with every option in one value; see ``insert(_:options:)``.
    @discardableResult
    public func insert(_ documents: [Document], options: InsertOptions) async throws -> WriteResult {
        try await insert(.array(documents), options: options)
    }

    /// Inserts documents given as JSON text (one object or an array of objects) without
    /// building a `Document` per value: the fastest way in.
    ///
    /// ```swift
    /// let bytes = try Array(contentsOf: heroesFile)   // [{"superhero": ...}, ...]
    /// let result = try await marvel.insert(json: bytes, options: InsertOptions(durability: .soft))
    /// ```
    ///
    /// - Throws: `JSONSyntaxError` (with line and column) when the text is not JSON, and what
    ///   the `Document` variant throws. Problems inside one well-formed document (invalid UTF-8,
    ///   `NaN`, a repeated key) fail that document only.
    @discardableResult
    public func insert(json: [UInt8], options: InsertOptions = InsertOptions()) async throws -> WriteResult {
        let keys = store.configuration.generatedKeys
        return try await insert(options, large: json.count > Self.pipelineBytes) { info, sink in
            try json.withUnsafeBufferPointer {
                try BatchBuilder.json($0, primaryKey: info.primaryKey, keys: keys, arrayLimit: options.arrayLimit, into: sink)
            }
        }
    }

    /// Inserts documents given as JSON text; see ``insert(json:options:)-([UInt8],_)``.
    @discardableResult
    public func insert(json: String, options: InsertOptions = InsertOptions()) async throws -> WriteResult {
        try await insert(json: Array(json.utf8), options: options)
    }

    /// Inserts newline-delimited JSON (NDJSON: one object per line), the format of
    /// `rethinkdb export` and of most log pipelines. Each call is one transaction.
    ///
    /// ```swift
    /// let chunk = Array("{\"id\": 1}\n{\"id\": 2}\n".utf8)
    /// try await table.insert(ndjson: chunk, options: InsertOptions(durability: .soft))
    /// ```
    ///
    /// - Throws: `JSONSyntaxError` whose `line` counts from the start of `ndjson`, and what
    ///   the `Document` variant throws; a bad document fails only itself.
    @discardableResult
    public func insert(ndjson: [UInt8], options: InsertOptions = InsertOptions()) async throws -> WriteResult {
        let keys = store.configuration.generatedKeys
        return try await insert(options, large: ndjson.count > Self.pipelineBytes) { info, sink in
            try ndjson.withUnsafeBufferPointer { try BatchBuilder.ndjson($0, primaryKey: info.primaryKey, keys: keys, into: sink) }
            return sink.total != 1
        }
    }

    /// Inputs larger than this are parsed on another thread, a chunk at a time, while the
    /// writer stores the chunk before: one call, one transaction, two cores.
    static let pipelineBytes = 1 << 20
    static let pipelineDocuments = 4096
    static let chunkDocuments = 2048

    private func insert(
        _ options: InsertOptions, large: Bool,
        build: @escaping @Sendable (TableInfo, BatchSink) throws -> Bool
    ) async throws -> WriteResult {
        try options.validate()
        return try await withInfo { info in
            let request = try InsertRequest(table: info, options: options, through: self)
            let durability = options.durability ?? info.durability
            guard large && !options.returnValues else {
                let sink = BatchSink()
                let isArray = try build(info, sink)
                try options.checkReturnValues(isArray: isArray)
                let batch = sink.batch
                let rows = large ? nil : batch.documents.count
                return try await store.write(table: info, durability: durability, rows: rows) { rows in
                    var execution = InsertExecution(request: request, rows: rows)
                    try execution.apply(batch)
                    return execution.finish()
                }
            }
            let pipe = BatchPipe()
            DispatchQueue.global(qos: .userInitiated).async {
                let sink = BatchSink(pipe: pipe, chunkDocuments: Self.chunkDocuments)
                do {
                    _ = try build(info, sink)
                    try sink.flush()
                    pipe.finish()
                } catch {
                    pipe.finish(throwing: error)
                }
            }
            do {
                return try await store.write(table: info, durability: durability, rows: nil) { rows in
                    defer { pipe.close() }
                    var execution = InsertExecution(request: request, rows: rows)
                    while let chunk = try pipe.receive() {
                        try execution.apply(chunk)
                    }
                    return execution.finish()
                }
            } catch {
                pipe.close()
                throw error
            }
        }
    }
}
