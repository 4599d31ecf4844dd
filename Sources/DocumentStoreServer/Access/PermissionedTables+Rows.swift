import DocumentStore
import ReQL

/// Reads, writes and indexes, each checked before it reaches the library or a system table.
extension PermissionedTables {
    func get(_ key: Document, in table: TableRef) throws(ReqlError) -> Document? {
        try require(.read, on: table)
        if let hook = hook(table) { return try hook.row(key) }
        return try base.get(key, in: table)
    }

    func getAll(_ keys: [Document], in table: TableRef) throws(ReqlError) -> [Document] {
        try require(.read, on: table)
        if let hook = hook(table) {
            var rows: [Document] = []
            for key in keys {
                if let row = try hook.row(key) { rows.append(row) }
            }
            return rows
        }
        return try base.getAll(keys, in: table)
    }

    func scan(_ table: TableRef) -> RowStream {
        checked(.read, table) { () throws(ReqlError) -> RowStream in
            if let hook = hook(table) { return stream(of: try hook.rows()) }
            return base.scan(table)
        }
    }

    func count(_ table: TableRef) throws(ReqlError) -> Int {
        try require(.read, on: table)
        if let hook = hook(table) { return try hook.rows().count }
        return try base.count(table)
    }

    private func stream(of rows: [Document]) -> RowStream {
        var index = 0
        return RowStream(cancellation: base.library.cancellation) { () throws(ReqlError) -> Document? in
            guard index < rows.count else { return nil }
            defer { index += 1 }
            return rows[index]
        }
    }

    // MARK: Writes

    func checkWriteOptions(_ options: WriteOptions) throws(ReqlError) {
        try base.checkWriteOptions(options)
    }

    /// System tables need `read` as well as `write`, as RethinkDB's artificial tables do:
    /// every write there reads the row first.
    func insert(_ documents: Document, into table: TableRef, options: WriteOptions) throws(ReqlError) -> any WriteSummary {
        try write(table, options) { hook throws(ReqlError) in try hook.insert(documents, options: options) }
            library: { () throws(ReqlError) in try base.insert(documents, into: table, options: options) }
    }

    /// The same check for documents given as text; `users` and `permissions` get a `Document`.
    func insert(json: [UInt8], into table: TableRef, options: WriteOptions) throws(ReqlError) -> any WriteSummary {
        try write(table, options) { hook throws(ReqlError) in
            try hook.insert(try Document(insertText: json), options: options)
        } library: { () throws(ReqlError) in
            try base.insert(json: json, into: table, options: options)
        }
    }

    func replace(
        _ target: WriteTarget, in table: TableRef, options: WriteOptions,
        transform: @escaping @Sendable (Document?) throws -> Document?
    ) throws(ReqlError) -> any WriteSummary {
        try write(table, options) { hook throws(ReqlError) in try hook.modify(target, options: options, transform: transform) }
            library: { () throws(ReqlError) in try base.replace(target, in: table, options: options, transform: transform) }
    }

    func delete(_ target: WriteTarget, in table: TableRef, options: WriteOptions) throws(ReqlError) -> any WriteSummary {
        try write(table, options) { hook throws(ReqlError) in try hook.modify(target, options: options, transform: nil) }
            library: { () throws(ReqlError) in try base.delete(target, in: table, options: options) }
    }

    /// A write, checked: `users` and `permissions` go to their hook, every other table to the
    /// library (where skipping the table's write hook needs `config` too).
    private func write(
        _ table: TableRef, _ options: WriteOptions,
        system: (UserTablesHook) throws(ReqlError) -> any WriteSummary,
        library: () throws(ReqlError) -> any WriteSummary
    ) throws(ReqlError) -> any WriteSummary {
        if let hook = hook(table) {
            try require(.read, on: table)
            try require(.write, on: table)
            return try system(hook)
        }
        try require(.write, on: table)
        try requireHookBypass(options, on: table)
        return try library()
    }

    // MARK: Indexes and feeds

    func indexCreate(_ name: String, function: Document?, multi: Bool, geo: Bool, in table: TableRef) throws(ReqlError) -> Document {
        try requireConfig(table)
        return try base.indexCreate(name, function: function, multi: multi, geo: geo, in: table)
    }

    func indexDrop(_ name: String, in table: TableRef) throws(ReqlError) -> Document {
        try requireConfig(table)
        return try base.indexDrop(name, in: table)
    }

    func indexRename(_ name: String, to newName: String, overwrite: Bool, in table: TableRef) throws(ReqlError) -> Document {
        try requireConfig(table)
        return try base.indexRename(name, to: newName, overwrite: overwrite, in: table)
    }

    func indexList(_ table: TableRef) throws(ReqlError) -> [String] {
        if hook(table) != nil { return [] }
        return try base.indexList(table)
    }

    func indexStatus(_ names: [String], in table: TableRef) throws(ReqlError) -> [Document] {
        try rejectSystem(table, Self.configureSystem)
        return try base.indexStatus(names, in: table)
    }

    func indexWait(_ names: [String], in table: TableRef) throws(ReqlError) -> [Document] {
        try rejectSystem(table, Self.configureSystem)
        return try base.indexWait(names, in: table)
    }

    func getAll(_ values: [Document], index: String, in table: TableRef) -> RowStream {
        checked(.read, table) { () throws(ReqlError) -> RowStream in
            try rejectSystem(table, "Index `\(index)` was not found on table `rethinkdb.\(table.name)`.")
            return base.getAll(values, index: index, in: table)
        }
    }

    func indexScan(_ scan: IndexScan, in table: TableRef) -> RowStream {
        checked(.read, table) { () throws(ReqlError) -> RowStream in
            try rejectSystem(table, "Index `\(scan.index ?? "id")` was not found on table `rethinkdb.\(table.name)`.")
            return base.indexScan(scan, in: table)
        }
    }

    func indexDefinition(_ name: String, in table: TableRef) throws(ReqlError) -> (function: Document, multi: Bool) {
        try require(.read, on: table)
        try rejectSystem(table, "Index `\(name)` was not found on table `rethinkdb.\(table.name)`.")
        return try base.indexDefinition(name, in: table)
    }

    func changes(_ request: ChangeRequest, in table: TableRef) throws(ReqlError) -> any ChangeSource {
        try require(.read, on: table)
        guard let system = table.handle as? SystemUserTable else { return try base.changes(request, in: table) }
        // The copy is refreshed after the query, so its rows are read with a token of their own.
        let hook = UserTablesHook(table: system, store: store,
                                  catalog: RegistryCatalog(registry: base.library.registry, cancellation: CancellationToken()))
        return try base.mirroredChanges(request, mirror: system.rawValue) { () throws(ReqlError) -> [Document] in try hook.rows() }
    }

    /// Index changes: refused on system tables, and needing `config` on the others.
    private func requireConfig(_ table: TableRef) throws(ReqlError) {
        try rejectSystem(table, Self.configureSystem)
        try require(.config, on: table)
    }

    static let configureSystem = "Database `rethinkdb` is special; you can't configure the tables in it."
}
