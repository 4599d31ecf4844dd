import DocumentModel
import ReQL

/// A table's `<table>.info` file in a `rethinkdb dump` archive: what `rethinkdb export` wrote
/// (`table.info()` with `indexes` replaced by the `index_status()` rows and `write_hook` set to
/// `get_write_hook()`, both read with `binary_format: "raw"`), and what `rethinkdb restore`
/// reads back: `primary_key`, `indexes[].index` and `indexes[].function`, `write_hook.function`.
struct DumpTableInfo {
    let database: String
    let table: String
    let primaryKey: String
    /// The `index_status` rows, each with its `function` as a BINARY pseudotype.
    let indexes: [Document]
    /// `get_write_hook()`: null, or `{"function": BINARY, "query": "setWriteHook(...)"}`.
    let writeHook: Document

    init(database: String, table: String, primaryKey: String, indexes: [Document], writeHook: Document) {
        self.database = database
        self.table = table
        self.primaryKey = primaryKey
        self.indexes = indexes
        self.writeHook = writeHook
    }

    /// RethinkDB's `table.info()` object with the dump's additions. The ids are RethinkDB's
    /// name-based UUIDs of the names (DocStore's file has no database id; the tools ignore both).
    func document(tableID: String, documentCount: Int) -> Document {
        [
            "db": ["id": .string(Self.databaseID(database)), "name": .string(database), "type": "DB"],
            "doc_count_estimates": [.number(Double(documentCount))],
            "id": .string(tableID),
            "indexes": .array(indexes),
            "name": .string(table),
            "primary_key": .string(primaryKey),
            "type": "TABLE",
            "write_hook": writeHook,
        ]
    }

    /// The file as `rethinkdb export` writes it: one line of ASCII JSON.
    func fileBytes(tableID: String, documentCount: Int) -> [UInt8] {
        DumpJSON.ascii(document(tableID: tableID, documentCount: documentCount).jsonBytes) + [0x0A]
    }

    /// Reads an `.info` file. Like `rethinkdb restore`, it takes only the primary key (`id` when
    /// absent), the indexes and the write hook; the rest describes the cluster it came from.
    init(parsing bytes: [UInt8], database: String, table: String) throws {
        let info: Document
        do {
            info = try Document(parsing: bytes)
        } catch {
            throw DocumentStoreError(.queryLogic, "The archive's `\(database)/\(table).info` is not JSON: \(error).")
        }
        guard case .object = info else {
            throw DocumentStoreError(.queryLogic, "The archive's `\(database)/\(table).info` is not a JSON object.")
        }
        self.database = database
        self.table = table
        primaryKey = info["primary_key"]?.stringValue ?? "id"
        indexes = info["indexes"]?.arrayValue ?? []
        writeHook = info["write_hook"] ?? .null
    }

    /// An index row's name and definition bytes, or why it cannot be used.
    static func definition(_ row: Document) throws -> (name: String, function: [UInt8]) {
        guard let name = row["index"]?.stringValue else {
            throw DocumentStoreError(.queryLogic, "An index of the archive has no `index` name.")
        }
        guard let function = row["function"], let bytes = Binary.bytes(of: function) else {
            throw DocumentStoreError(.queryLogic, "Index `\(name)` of the archive has no BINARY `function`.")
        }
        return (name, bytes)
    }

    static func databaseID(_ name: String) -> String {
        NameBasedUUID.make("docstore-database:" + name)
    }
}
