import DocumentModel

/// Building an index on a table that already has documents: in chunks of
/// ``DocumentStore/Configuration/indexBuildChunkSize`` documents, each chunk a short write
/// transaction of its own, so other writes run between chunks instead of waiting for the
/// whole table.
///
/// The catalog row records how far the build got (`built_through`, a rowid of the document
/// table), in the same transaction as the chunk's entries, so a build stopped anywhere (the
/// process killed, the disk full) leaves entries that are exact up to that rowid and resumes
/// from there. Writes meanwhile maintain the index for every document they touch, built part
/// or not; the build adds entries with `ON CONFLICT DO NOTHING`, so both meet without either
/// waiting.
///
/// Any store that finds an unfinished build takes it up: when the file is opened, when a
/// write to the table sees the index not ready, when `indexWait` waits. Two stores (two
/// processes) building the same index alternate chunks, each reading `built_through` inside
/// its own transaction.
extension DocumentStore {
    /// Starts a build task for each index that is not ready and not already built here.
    func resumeBuilds(of definitions: [IndexDefinition]) {
        for definition in definitions where !definition.ready {
            startBuild(definition.id)
        }
    }

    /// Builds unfinished at open, read before the writer thread takes the connection.
    static func unfinishedBuilds(_ connection: SQLiteConnection) -> [Int64] {
        (try? IndexCatalog.unfinished(connection)) ?? []
    }

    /// Builds the index in the background until it is ready. The task holds the store only
    /// while a chunk runs, so a store let go stops its builds; a failed chunk stops the task,
    /// and the next write, `indexWait` or open starts it again.
    func startBuild(_ id: Int64) {
        guard indexes.claimBuild(id) else { return }
        Task.detached(priority: .utility) { [weak self] in
            while true {
                guard let store = self else { return }
                let finished: Bool
                do {
                    finished = try await store.buildChunk(id)
                } catch {
                    finished = true
                }
                if finished {
                    store.indexes.releaseBuild(id)
                    return
                }
            }
        }
    }

    /// Indexes the next chunk of documents; returns whether the index is ready (or gone).
    func buildChunk(_ id: Int64) async throws -> Bool {
        let chunkSize = max(1, configuration.indexBuildChunkSize)
        let registry = indexes
        return try await writer.run { connection in
            do {
                // Entries can always be built again, so a chunk need not wait for the disk.
                try connection.setSynchronous(.normal)
                let (finished, table) = try connection.writeTransaction { () throws -> (Bool, String?) in
                    guard let definition = try IndexCatalog.definition(connection, id: id, compile: registry), !definition.ready,
                          let info = try Self.lookUp(connection, name: definition.table, caseInsensitive: false) else {
                        return (true, nil)
                    }
                    let finished = try Self.buildChunk(definition, of: info, size: chunkSize, connection)
                    return (finished, definition.table)
                }
                if finished, let table { registry.forget(table: table) }
                return finished
            } catch let error as SQLiteError {
                throw DocumentStoreError(error, while: "build an index")
            }
        }
    }

    private static func buildChunk(_ definition: IndexDefinition, of table: TableInfo, size: Int,
                                   _ connection: SQLiteConnection) throws -> Bool {
        let page = try connection.cachedStatement("SELECT rowid, doc FROM \(table.quotedName) WHERE rowid > ? ORDER BY rowid LIMIT ?")
        defer { page.reset() }
        page.bind(definition.builtThrough, at: 1)
        page.bind(Int64(size), at: 2)
        let writer = try IndexWriter(connection: connection, definitions: [definition])
        var last = definition.builtThrough
        var count = 0
        while try page.step() {
            last = page.int64(at: 0)
            count += 1
            let document = page.withBytes(at: 1) { Document(canonical: $0) }
            guard let key = try? PrimaryKey(document[table.primaryKey] ?? .null) else { continue }
            try writer.add(key, document)
        }
        let finished = count < size
        let update = try connection.cachedStatement("UPDATE \(IndexCatalog.table) SET built_through = ?, ready = ? WHERE id = ?")
        defer { update.reset() }
        update.bind(last, at: 1)
        update.bind(Int64(finished ? 1 : 0), at: 2)
        update.bind(definition.id, at: 3)
        try update.step()
        return finished
    }
}
