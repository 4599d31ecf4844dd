import DocumentModel
/// A document table's definition, as the catalog (`docstore_tables`) holds it.
package struct TableInfo: Sendable, Equatable {
    package let name: String
    package let primaryKey: String
    let durability: Durability
    let uuid: String
    /// Whether writes record their changes, and how many the log keeps. Part of the
    /// definition a write checks against the catalog, so a write never logs (or skips
    /// logging) on a switch another process has since turned.
    var changeLog: ChangeLog = .off
    /// The table's write hook, nil when it has none; also part of the definition a write
    /// checks, so a hook another process set or cleared is applied from its next write on.
    var writeHook: WriteHook?
    /// Whether the document table has the `change_seq` column (migration 0005), so that its
    /// change records leave the new document in the row instead of copying it: true for every
    /// table whose log has been on since that migration (which gave it to the logged ones).
    var changeLinks = false

    /// The table name quoted for SQL. Names are validated (`[A-Za-z0-9_-]+`) before they get
    /// here, so quoting is all that is needed.
    var quotedName: String { "\"\(name)\"" }

    /// The definition as the public API shows it.
    func config(database: String) -> TableConfig {
        TableConfig(name: name, database: database, primaryKey: primaryKey, durability: durability, id: uuid)
    }

    static let catalogTable = "docstore_tables"

    /// RethinkDB's rule for table names, plus the names SQLite and DocStore keep for themselves.
    package static func validate(name: String) throws {
        try validateCharacters(of: name, kind: "Table")
        if name.lowercased().hasPrefix("sqlite_") || name.lowercased() == catalogTable {
            throw DocumentStoreError(.queryLogic, "Table name `\(name)` is reserved (SQLite keeps names starting with `sqlite_` and DocStore keeps `\(catalogTable)`); choose another name.")
        }
    }

    /// RethinkDB's rule for database and table names (`[A-Za-z0-9_-]+`), with its message;
    /// `kind` is the message's first word (`Table`, `Database`). The server checks database
    /// names with it.
    package static func validateCharacters(of name: String, kind: String) throws {
        let valid = !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard valid else {
            throw DocumentStoreError(.queryLogic, "\(kind) name `\(name)` invalid (Use A-Z, a-z, 0-9, _ and - only).")
        }
    }
}
