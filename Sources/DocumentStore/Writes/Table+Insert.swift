import DocumentModel
import Dispatch

extension Table {
    /// Inserts one document, or each document of an array, RethinkDB's `table.insert`.
    ///
    /// Both RethinkDB APIs work. The 1.x reference page's, as written:
    ///
    /// ```swift
    /// try await marvel.insert(["superhero": "Iron Man", "superpower": "Arc Reactor"])
    /// try await marvel.insert([["superhero": "Wolverine", "superpower": "Adamantium"],
    ///                          ["superhero": "Spiderman", "superpower": "spidy sense"]], durability: .soft)
    /// try await marvel.insert(["superhero": "Iron Man", "superpower": "Arc Reactor"], upsert: true)
    /// try await marvel.insert(["superhero": "Iron Man", "superpower": "Arc Reactor"], upsert: true, returnValues: true)
    /// ```
    ///
    /// and the later one: `conflict:` (``ConflictStrategy``) and `returnChanges:` (``ReturnChanges``).
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
    ///   - upsert: the 1.x option: `true` replaces an existing document (`conflict: .replace`).
    ///   - returnValues: the 1.x option: `old_val`/`new_val` at the top level of the result;
    ///     a single document only.
    /// - Throws: ``DocumentStoreError`` when nothing could be written: a missing table, a value
    ///   that is neither object nor array (`Cannot convert NUMBER to SEQUENCE`), conflicting
    ///   options, `returnValues` with an array, or a storage failure.
    @discardableResult
    public func insert(
        _ value: Document, conflict: ConflictStrategy? = nil, durability: Durability? = nil,
        returnChanges: ReturnChanges? = nil, upsert: Bool? = nil, returnValues: Bool? = nil
    ) async throws -> WriteResult {
        let options = try InsertOptions(conflict: conflict, durability: durability, returnChanges: returnChanges,
                                        upsert: upsert, returnValues: returnValues)
        let keys = store.configuration.generatedKeys
        let large = (value.arrayValue?.count ?? 0) > Self.pipelineDocuments
        return try await insert(options, large: large) { info, sink in
            try BatchBuilder.documents(value, primaryKey: info.primaryKey, keys: keys, into: sink)
        }
    }

    /// Inserts an array of documents; see ``insert(_:conflict:durability:returnChanges:upsert:returnValues:)-(Document,_,_,_,_,_)``.
    @discardableResult
    public func insert(
        _ documents: [Document], conflict: ConflictStrategy? = nil, durability: Durability? = nil,
        returnChanges: ReturnChanges? = nil, upsert: Bool? = nil, returnValues: Bool? = nil
    ) async throws -> WriteResult {
        try await insert(.array(documents), conflict: conflict, durability: durability,
                         returnChanges: returnChanges, upsert: upsert, returnValues: returnValues)
    }

    /// Inserts documents given as JSON text (one object or an array of objects) without
    /// building a `Document` per value: the fastest way in.
    ///
    /// ```swift
    /// let bytes = try Array(contentsOf: heroesFile)   // [{"superhero": ...}, ...]
    /// let result = try await marvel.insert(json: bytes, durability: .soft)
    /// ```
    ///
    /// - Throws: ``JSONSyntaxError`` (with line and column) when the text is not JSON, and what
    ///   the `Document` variant throws. Problems inside one well-formed document (invalid UTF-8,
    ///   `NaN`, a repeated key) fail that document only.
    @discardableResult
    public func insert(
        json: [UInt8], conflict: ConflictStrategy? = nil, durability: Durability? = nil,
        returnChanges: ReturnChanges? = nil, upsert: Bool? = nil, returnValues: Bool? = nil
    ) async throws -> WriteResult {
        let options = try InsertOptions(conflict: conflict, durability: durability, returnChanges: returnChanges,
                                        upsert: upsert, returnValues: returnValues)
        let keys = store.configuration.generatedKeys
        return try await insert(options, large: json.count > Self.pipelineBytes) { info, sink in
            try json.withUnsafeBufferPointer { try BatchBuilder.json($0, primaryKey: info.primaryKey, keys: keys, into: sink) }
        }
    }

    /// Inserts documents given as JSON text; see ``insert(json:conflict:durability:returnChanges:upsert:returnValues:)-([UInt8],_,_,_,_,_)``.
    @discardableResult
    public func insert(
        json: String, conflict: ConflictStrategy? = nil, durability: Durability? = nil,
        returnChanges: ReturnChanges? = nil, upsert: Bool? = nil, returnValues: Bool? = nil
    ) async throws -> WriteResult {
        try await insert(json: Array(json.utf8), conflict: conflict, durability: durability,
                         returnChanges: returnChanges, upsert: upsert, returnValues: returnValues)
    }

    /// Inserts newline-delimited JSON (NDJSON: one object per line), the format of
    /// `rethinkdb export` and of most log pipelines. Importers of large files call it once per
    /// chunk of lines, so memory stays bounded; each call is one transaction.
    ///
    /// ```swift
    /// let chunk = Array("{\"id\": 1}\n{\"id\": 2}\n".utf8)
    /// try await table.insert(ndjson: chunk, durability: .soft)
    /// ```
    ///
    /// - Throws: ``JSONSyntaxError`` whose `line` counts from the start of `ndjson`, and what
    ///   the `Document` variant throws; a bad document fails only itself.
    @discardableResult
    public func insert(
        ndjson: [UInt8], conflict: ConflictStrategy? = nil, durability: Durability? = nil,
        returnChanges: ReturnChanges? = nil, upsert: Bool? = nil, returnValues: Bool? = nil
    ) async throws -> WriteResult {
        let options = try InsertOptions(conflict: conflict, durability: durability, returnChanges: returnChanges,
                                        upsert: upsert, returnValues: returnValues)
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
    /// Writes of this many documents or fewer may run inline on an idle writer.
    static let inlineDocuments = 16

    private func insert(
        _ options: InsertOptions, large: Bool,
        build: @escaping @Sendable (TableInfo, BatchSink) throws -> Bool
    ) async throws -> WriteResult {
        let database = store.configuration.databaseName
        return try await withInfo { info in
            let request = InsertRequest(table: info, database: database, conflict: options.conflict,
                                        durability: options.durability ?? info.durability,
                                        returnChanges: options.returnChanges, returnValues: options.returnValues)
            guard large && !options.returnValues else {
                let sink = BatchSink()
                let isArray = try build(info, sink)
                if options.returnValues && isArray {
                    throw DocumentStoreError(.queryLogic, InsertOptions.multiRowReturnValues)
                }
                let batch = sink.batch
                // A conflict closure may wait for async work (the server's ReQL functions do),
                // which must not happen on a thread of the cooperative pool: no inline run then.
                var callsUserCode = false
                if case .resolve = options.conflict { callsUserCode = true }
                let small = batch.documents.count <= Self.inlineDocuments && !callsUserCode
                return try await store.write(table: info, durability: request.durability, small: small) { rows in
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
                return try await store.write(table: info, durability: request.durability) { rows in
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
