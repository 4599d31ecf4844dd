import DocumentModel

/// Table access for functions that must not touch a table: index functions (and later write
/// hooks), which the library evaluates inside its write transactions. They are checked to be
/// deterministic before they are stored, so none of these is reached; if one is, it fails
/// with the reason instead of reading storage from inside a write.
package struct NoTableAccess: TableAccess {
    package init() {}

    private static var refused: ReqlError {
        .runtime(.queryLogic, "Index functions must be deterministic.")
    }

    package func database(_ name: String) throws(ReqlError) -> DatabaseRef { throw Self.refused }
    package func table(_ name: String, in database: String) throws(ReqlError) -> TableRef { throw Self.refused }
    package func primaryKey(of table: TableRef) throws(ReqlError) -> String { throw Self.refused }
    package func get(_ key: Document, in table: TableRef) throws(ReqlError) -> Document? { throw Self.refused }
    package func getAll(_ keys: [Document], in table: TableRef) throws(ReqlError) -> [Document] { throw Self.refused }
    package func scan(_ table: TableRef) -> RowStream {
        RowStream(cancellation: CancellationToken()) { () throws(ReqlError) -> Document? in throw Self.refused }
    }
    package func count(_ table: TableRef) throws(ReqlError) -> Int { throw Self.refused }
    package func checkWriteOptions(_ options: WriteOptions) throws(ReqlError) { throw Self.refused }
    package func insert(_ documents: Document, into table: TableRef, options: WriteOptions) throws(ReqlError) -> any WriteSummary {
        throw Self.refused
    }
    package func replace(
        _ target: WriteTarget, in table: TableRef, options: WriteOptions,
        transform: @escaping @Sendable (Document?) throws -> Document?
    ) throws(ReqlError) -> any WriteSummary {
        throw Self.refused
    }
    package func delete(_ target: WriteTarget, in table: TableRef, options: WriteOptions) throws(ReqlError) -> any WriteSummary {
        throw Self.refused
    }
    package func tableCreate(_ name: String, in database: String, primaryKey: String, durability: String?, shards: Int) throws(ReqlError) -> Document {
        throw Self.refused
    }
    package func tableDrop(_ name: String, in database: String) throws(ReqlError) -> Document { throw Self.refused }
    package func tableList(in database: String) throws(ReqlError) -> [String] { throw Self.refused }
    package func databaseCreate(_ name: String) throws(ReqlError) -> Document { throw Self.refused }
    package func databaseDrop(_ name: String) throws(ReqlError) -> Document { throw Self.refused }
    package func databaseList() throws(ReqlError) -> [String] { throw Self.refused }
    package func config(_ table: TableRef) throws(ReqlError) -> Document { throw Self.refused }
    package func sync(_ table: TableRef) throws(ReqlError) -> Document { throw Self.refused }
    package func indexCreate(_ name: String, function: Document?, multi: Bool, geo: Bool, in table: TableRef) throws(ReqlError) -> Document {
        throw Self.refused
    }
    package func setWriteHook(_ function: Document?, in table: TableRef) throws(ReqlError) -> Document { throw Self.refused }
    package func writeHook(of table: TableRef) throws(ReqlError) -> Document { throw Self.refused }
    package func indexDrop(_ name: String, in table: TableRef) throws(ReqlError) -> Document { throw Self.refused }
    package func indexList(_ table: TableRef) throws(ReqlError) -> [String] { throw Self.refused }
    package func indexRename(_ name: String, to newName: String, overwrite: Bool, in table: TableRef) throws(ReqlError) -> Document {
        throw Self.refused
    }
    package func indexStatus(_ names: [String], in table: TableRef) throws(ReqlError) -> [Document] { throw Self.refused }
    package func indexWait(_ names: [String], in table: TableRef) throws(ReqlError) -> [Document] { throw Self.refused }
    package func getAll(_ values: [Document], index: String, in table: TableRef) -> RowStream {
        RowStream(cancellation: CancellationToken()) { () throws(ReqlError) -> Document? in throw Self.refused }
    }
    package func getIntersecting(_ geometry: Document, index: String, in table: TableRef) throws(ReqlError) -> [Document] {
        throw Self.refused
    }
    package func getNearest(_ query: NearestQuery, index: String, in table: TableRef) throws(ReqlError) -> [Document] {
        throw Self.refused
    }
    package func indexScan(_ scan: IndexScan, in table: TableRef) -> RowStream {
        RowStream(cancellation: CancellationToken()) { () throws(ReqlError) -> Document? in throw Self.refused }
    }
    package func indexDefinition(_ name: String, in table: TableRef) throws(ReqlError) -> (function: Document, multi: Bool) {
        throw Self.refused
    }
    package func changes(_ request: ChangeRequest, in table: TableRef) throws(ReqlError) -> any ChangeSource {
        throw Self.refused
    }
}
