import DocumentModel
import Synchronization

/// What a store keeps in memory about indexes: each index function compiled once, the
/// definitions each table's writes maintain, and which builds this store is running.
///
/// The definitions a write uses are valid while the file's schema is unchanged: creating,
/// dropping or renaming an index creates, drops or renames its entry table, which changes
/// `PRAGMA schema_version` (in this process or any other), so a write that sees the same
/// version inside its transaction can use what it loaded before.
final class IndexRegistry: Sendable {
    private struct TableIndexes {
        let schemaVersion: Int64
        let uuid: String
        let definitions: [IndexDefinition]
    }

    private struct State {
        var compiled: [Document: CompiledIndexFunction] = [:]
        var tables: [String: TableIndexes] = [:]
        var building: Set<Int64> = []
    }

    private let state = Mutex(State())

    /// The function stored as `term`, compiled (once per term).
    func function(_ term: Document) throws -> (definition: IndexFunction, compiled: CompiledIndexFunction) {
        let definition = IndexFunction(stored: term)
        if let compiled = state.withLock({ $0.compiled[term] }) { return (definition, compiled) }
        let compiled = try CompiledIndexFunction(definition)
        state.withLock { $0.compiled[term] = compiled }
        return (definition, compiled)
    }

    /// The table's indexes, as a write inside its transaction must maintain them.
    func definitions(for table: TableInfo, _ connection: SQLiteConnection) throws -> [IndexDefinition] {
        let version = try schemaVersion(connection)
        if let cached = state.withLock({ $0.tables[table.name] }), cached.schemaVersion == version, cached.uuid == table.uuid {
            return cached.definitions
        }
        let definitions = try IndexCatalog.definitions(connection, table: table.name, compile: self)
        state.withLock { $0.tables[table.name] = TableIndexes(schemaVersion: version, uuid: table.uuid, definitions: definitions) }
        return definitions
    }

    /// Forgets what was loaded for a table: its indexes' readiness changed (which does not
    /// change the schema), or the table is gone.
    func forget(table: String) {
        state.withLock { $0.tables[table] = nil }
    }

    /// Claims the build of an index for this store; false when it already runs one.
    func claimBuild(_ id: Int64) -> Bool {
        state.withLock { $0.building.insert(id).inserted }
    }

    func releaseBuild(_ id: Int64) {
        state.withLock { _ = $0.building.remove(id) }
    }

    private func schemaVersion(_ connection: SQLiteConnection) throws -> Int64 {
        let statement = try connection.cachedStatement("PRAGMA schema_version")
        defer { statement.reset() }
        guard try statement.step() else { return 0 }
        return statement.int64(at: 0)
    }
}
