import DocumentModel
extension Selection {
    /// Merges `patch` into each selected document, RethinkDB's `update`.
    ///
    /// The merge is deep (objects inside objects are merged too); arrays are replaced, and a
    /// `null` in the patch is stored as `null`. A missing document counts as `skipped`, one the
    /// patch does not change as `unchanged` (and is not written).
    ///
    /// ```swift
    /// try await marvel.document("Iron Man").update(["stats": ["strength": 85], "retired": .null])
    /// ```
    @discardableResult
    public func update(_ patch: Document, durability: Durability? = nil,
                       returnChanges: ReturnChanges = .off,
                       arrayLimit: Int = ArrayLimit.default) async throws -> WriteResult {
        try await replaceRows(durability: durability, returnChanges: returnChanges, arrayLimit: arrayLimit) { old in
            // A null patch is RethinkDB's `f` returning null: the document stays as it is.
            old.map { patch.isNull ? $0 : $0.merging(patch) }
        }
    }

    /// Merges what `transform` returns for each selected document into it; returning nil leaves
    /// the document unchanged.
    ///
    /// ```swift
    /// try await marvel.all.update { hero in ["visits": .number((hero["visits"]?.doubleValue ?? 0) + 1)] }
    /// ```
    ///
    /// The closure runs inside the write transaction; an error it throws fails that document only.
    @discardableResult
    public func update(durability: Durability? = nil, returnChanges: ReturnChanges = .off,
                       arrayLimit: Int = ArrayLimit.default, _ transform: @escaping @Sendable (Document) throws -> Document?) async throws -> WriteResult {
        try await replaceRows(durability: durability, returnChanges: returnChanges, arrayLimit: arrayLimit) { old in
            guard let old else { return nil }
            // nil and a JSON null both mean "no change" (RethinkDB's update rewrite).
            guard let patch = try transform(old), !patch.isNull else { return old }
            return old.merging(patch)
        }
    }

    /// Replaces each selected document with `document`, RethinkDB's `replace`: it must keep the
    /// primary key; nil deletes. On a missing key, a document with that key is inserted.
    ///
    /// ```swift
    /// try await marvel.document("Iron Man").replace(["id": "Iron Man", "superpower": "Nanotech suit"])
    /// ```
    @discardableResult
    public func replace(_ document: Document?, durability: Durability? = nil,
                        returnChanges: ReturnChanges = .off,
                       arrayLimit: Int = ArrayLimit.default) async throws -> WriteResult {
        try await replaceRows(durability: durability, returnChanges: returnChanges, arrayLimit: arrayLimit) { _ in document }
    }

    /// Replaces each selected document with what `transform` returns for it (nil for a missing
    /// one); returning nil deletes.
    ///
    /// ```swift
    /// try await marvel.all.replace { hero in
    ///     guard var hero = hero?.objectValue else { return nil }
    ///     hero["legacy"] = nil                          // drop a field
    ///     return .object(hero)
    /// }
    /// ```
    @discardableResult
    public func replace(durability: Durability? = nil, returnChanges: ReturnChanges = .off,
                        arrayLimit: Int = ArrayLimit.default, _ transform: @escaping @Sendable (Document?) throws -> Document?) async throws -> WriteResult {
        try await replaceRows(durability: durability, returnChanges: returnChanges, arrayLimit: arrayLimit, transform)
    }

    /// Deletes the selected documents, RethinkDB's `delete`; a missing one counts as `skipped`.
    ///
    /// ```swift
    /// try await marvel.document("Loki").delete()
    /// ```
    @discardableResult
    public func delete(durability: Durability? = nil, returnChanges: ReturnChanges = .off,
                       arrayLimit: Int = ArrayLimit.default) async throws -> WriteResult {
        try await replaceRows(durability: durability, returnChanges: returnChanges, arrayLimit: arrayLimit) { _ in nil }
    }

    /// One transaction that applies `transform` to every selected row, in key order for keys
    /// and in storage order (a page at a time) for the whole table.
    private func replaceRows(durability: Durability?, returnChanges: ReturnChanges, arrayLimit: Int,
                             _ transform: @escaping @Sendable (Document?) throws -> Document?) async throws -> WriteResult {
        let target = self.target
        let keys: [PrimaryKey]
        switch target {
        case .key(let key): keys = [try Table.validatedKey(key)]
        case .keys(let values): keys = try values.map(Table.validatedKey)
        case .all: keys = []
        }
        let rows: Int?
        if case .all = target { rows = nil } else { rows = keys.count }
        return try await table.withInfo { info in
            // The table's write hook runs after `transform`, on what it made of each row.
            let transform = try WriteHookRunner.forWrite(to: info, through: table)?.after(transform) ?? transform
            return try await table.store.write(table: info, durability: durability, rows: rows) { rows in
                var execution = ReplaceExecution(primaryKey: info.primaryKey, rows: rows, returnChanges: returnChanges,
                                                 arrayLimit: arrayLimit)
                switch target {
                case .key:
                    let key = keys[0]
                    let old = try rows.fetch(key).map { Document(canonical: $0) }
                    try execution.apply(.key(key), old: old, key: key.value, transform)
                case .keys:
                    for key in keys {
                        guard let old = try rows.fetch(key) else { continue }
                        try execution.apply(.key(key), old: Document(canonical: old), key: key.value, transform)
                    }
                case .all:
                    var last: Int64 = 0
                    while true {
                        let page = try rows.page(after: last, limit: 1000)
                        for row in page {
                            let old = Document(canonical: row.text)
                            try execution.apply(.rowID(row.rowID), old: old, key: old[info.primaryKey] ?? .null, transform)
                        }
                        guard let final = page.last, page.count == 1000 else { break }
                        last = final.rowID
                    }
                }
                return execution.finish()
            }
        }
    }
}

extension Table {
    /// Merges `patch` into every document of the table; see
    /// ``Selection/update(_:durability:returnChanges:arrayLimit:)``.
    ///
    /// ```swift
    /// try await marvel.update(["checked": true])
    /// ```
    @discardableResult
    public func update(_ patch: Document, durability: Durability? = nil,
                       returnChanges: ReturnChanges = .off,
                       arrayLimit: Int = ArrayLimit.default) async throws -> WriteResult {
        try await all.update(patch, durability: durability, returnChanges: returnChanges, arrayLimit: arrayLimit)
    }

    /// Replaces every document of the table with what `transform` returns; see
    /// ``Selection/replace(durability:returnChanges:arrayLimit:_:)``.
    ///
    /// ```swift
    /// try await marvel.replace { hero in hero?["retired"] == true ? nil : hero }   // nil deletes
    /// ```
    @discardableResult
    public func replace(durability: Durability? = nil, returnChanges: ReturnChanges = .off,
                        arrayLimit: Int = ArrayLimit.default, _ transform: @escaping @Sendable (Document?) throws -> Document?) async throws -> WriteResult {
        try await all.replace(durability: durability, returnChanges: returnChanges, arrayLimit: arrayLimit, transform)
    }

    /// Deletes every document of the table (the table stays), RethinkDB's `table.delete()`.
    ///
    /// ```swift
    /// try await marvel.delete().deleted   // how many there were
    /// ```
    @discardableResult
    public func delete(durability: Durability? = nil, returnChanges: ReturnChanges = .off,
                       arrayLimit: Int = ArrayLimit.default) async throws -> WriteResult {
        try await all.delete(durability: durability, returnChanges: returnChanges, arrayLimit: arrayLimit)
    }

    /// Makes every soft write to the table so far durable, RethinkDB's `sync`.
    ///
    /// Soft writes are in the WAL file but not yet synced to the disk; a small write at
    /// `synchronous = FULL` syncs the WAL, and with it every frame written before.
    ///
    /// ```swift
    /// try await logs.insert(json: batch, durability: .soft)
    /// try await logs.sync()   // SyncResult(synced: 1), RethinkDB's {"synced": 1}
    /// ```
    @discardableResult
    public func sync() async throws -> SyncResult {
        try await withInfo { info in
            try await store.write(table: info, durability: .hard) { rows in
                try rows.touchCatalog(info.name)
            }
        }
        return SyncResult(synced: 1)
    }
}
