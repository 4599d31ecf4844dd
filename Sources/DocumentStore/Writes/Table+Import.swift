import DocumentModel
import Dispatch

extension Table {
    /// Inserts every document of a stream (a JSON array or NDJSON of any size) a chunk at a
    /// time, each chunk in its own transaction, and returns the chunks' results added up.
    ///
    /// Use it for inputs too large to hold in memory, or to commit as you go; for JSON already
    /// in memory, `insert(json:)` and `insert(ndjson:)` write all of it in one transaction.
    /// Memory stays flat whatever the input's size: about a megabyte of input buffer and two
    /// chunks of documents (the one being parsed while the one before is written, so parsing and
    /// SQLite's work run on two cores).
    ///
    /// The input is one JSON array of documents when its first non-blank byte is `[`, otherwise
    /// NDJSON (one document per line; a pretty-printed document may span lines, blank lines are
    /// skipped). Each document is parsed once, straight from the read buffer. A problem inside
    /// one document (not an object, a duplicate key, invalid UTF-8) fails that document only,
    /// as in `insert`.
    ///
    /// ```swift
    /// let descriptor = open("logs.ndjson", O_RDONLY)
    /// defer { close(descriptor) }
    /// let result = try await logs.importDocuments(
    ///     from: DocumentSource(fileDescriptor: descriptor), chunkSize: 5_000,
    ///     options: InsertOptions(conflict: .replace, durability: .soft)
    /// ) { committed in
    ///     print("\(committed.inserted + committed.replaced) documents so far")
    /// }
    /// ```
    ///
    /// With `returnValues` (the 1.x `return_vals`) the input must hold exactly one document
    /// outside an array, written in one transaction, as with `insert`.
    ///
    /// - Parameters:
    ///   - source: where the bytes come from; it is not read after this returns.
    ///   - chunkSize: the most documents per transaction (a chunk also ends past 8 MiB of
    ///     documents).
    ///   - options: the insert's options, applied to every chunk.
    ///   - progress: called after each chunk commits, with the results so far added up.
    /// - Returns: the results of all chunks, merged with ``WriteResult/merge(_:)``.
    /// - Throws: ``ImportError`` once something was read: bad JSON (a ``JSONSyntaxError`` with
    ///   the line and column in the whole input), a failed write or read, with what the earlier
    ///   chunks committed. ``DocumentStoreError`` when nothing was written: a missing table, bad
    ///   options, `returnValues` with more than one document.
    @discardableResult
    public func importDocuments(
        from source: DocumentSource, chunkSize: Int = 10_000, options: InsertOptions = InsertOptions(),
        progress: @escaping @Sendable (_ committed: WriteResult) -> Void = { _ in }
    ) async throws -> WriteResult {
        try options.validate()
        var info = try await store.tableInfo(name)
        // With return_vals, two documents are enough to know the input is refused.
        let reader = DocumentStreamReader(source: source, primaryKey: info.primaryKey, keys: store.configuration.generatedKeys,
                                          maxDocuments: options.returnValues ? 2 : chunkSize)
        let queue = DispatchQueue(label: "DocumentStore.import", qos: .userInitiated)
        var total = WriteResult(arrayLimit: options.arrayLimit)
        if options.returnValues {
            let chunk = try await Self.readChunk(reader, on: queue, committed: total).value
            guard let chunk, chunk.format == .ndjson, chunk.batch.documents.count == 1 else {
                throw DocumentStoreError(.queryLogic, InsertOptions.multiRowReturnValues)
            }
            return try await insert(chunk, info: &info, options: options, committed: total)
        }
        var pending = Self.readChunk(reader, on: queue, committed: total)
        do {
            while let chunk = try await pending.value {
                try Task.checkCancellation()
                pending = Self.readChunk(reader, on: queue, committed: total)
                total.merge(try await insert(chunk, info: &info, options: options, committed: total))
                progress(total)
            }
            return total
        } catch {
            // The source must not be read once this returns: its owner may close it.
            _ = await pending.result
            // A failed read reports the results of the chunks committed while it was running.
            guard var failure = error as? ImportError else {
                throw ImportError(cause: error, committed: total, line: 1)
            }
            failure.committed = total
            throw failure
        }
    }

    /// Reads the next chunk on `queue`, off Swift's cooperative threads: reading a pipe blocks.
    private static func readChunk(_ reader: DocumentStreamReader, on queue: DispatchQueue,
                                  committed: WriteResult) -> Task<ImportChunk?, any Error> {
        Task {
            try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    continuation.resume(with: Result {
                        do {
                            return try reader.nextChunk()
                        } catch {
                            throw ImportError(cause: error, committed: committed, line: reader.chunkLine)
                        }
                    })
                }
            }
        }
    }

    /// One chunk, one transaction. A table recreated by another process since the chunk was
    /// parsed is looked up again; the chunk stands if the primary key is still the one it was
    /// parsed for.
    private func insert(_ chunk: ImportChunk, info: inout TableInfo, options: InsertOptions,
                        committed: WriteResult) async throws -> WriteResult {
        do {
            return try await insertOnce(chunk, info: &info, options: options)
        } catch {
            throw ImportError(cause: error, committed: committed, line: chunk.firstLine)
        }
    }

    private func insertOnce(_ chunk: ImportChunk, info: inout TableInfo, options: InsertOptions) async throws -> WriteResult {
        let batch = chunk.batch
        do {
            return try await write(batch, info: info, options: options)
        } catch is StaleTableInfo {
            store.forgetTableInfo(name)
            let fresh = try await store.tableInfo(name)
            guard fresh.primaryKey == info.primaryKey else {
                throw DocumentStoreError(.opFailed, "Table `\(store.configuration.databaseName).\(name)` was recreated with primary key `\(fresh.primaryKey)` during the import, which read its documents for `\(info.primaryKey)`.")
            }
            info = fresh
            return try await write(batch, info: fresh, options: options)
        }
    }

    private func write(_ batch: PreparedBatch, info: TableInfo, options: InsertOptions) async throws -> WriteResult {
        let request = try InsertRequest(table: info, options: options, through: self)
        // A chunk of an import is thousands of documents: it commits as a group of its own.
        return try await store.write(table: info, durability: options.durability ?? info.durability, rows: nil) { rows in
            var execution = InsertExecution(request: request, rows: rows)
            try execution.apply(batch)
            return execution.finish()
        }
    }
}
