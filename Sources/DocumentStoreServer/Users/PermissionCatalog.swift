import DocumentStore
import ReQL

/// Where a permission applies, as the server names it: by id, with the names a row shows.
enum PermissionScope: Sendable, Equatable {
    case global
    case database(id: String, name: String)
    case table(TableIdentity)
}

/// A table as permission rows name it: its id and its database's, and both names.
struct TableIdentity: Sendable, Equatable {
    var id: String
    var databaseID: String
    var database: String
    var name: String
}

/// The databases and tables that exist, as `rethinkdb.permissions` needs them: rows are keyed
/// by ids (`[user, database id, table id]`) but show names, and a row whose table is gone is
/// not shown.
///
/// The users module does not reach the databases itself; the server gives it this view of
/// them (``RegistryCatalog``), and tests a fixed one.
protocol PermissionCatalog: Sendable {
    /// The name of the database with this id, nil when none has it.
    func databaseName(id: String) throws(ReqlError) -> String?
    /// The table with this id, nil when none has it. `hint` is where it was last seen, which
    /// an implementation tries first.
    func table(id: String, hint: TableIdentity?) throws(ReqlError) -> TableIdentity?
}

extension PermissionCatalog {
    /// The scope a `rethinkdb.permissions` key names (`[user]`, `[user, database]`,
    /// `[user, database, table]`) with `parse_primary_key`'s checks and texts, and the user.
    func scope(ofKey key: Document) throws(ReqlError) -> (user: String, scope: PermissionScope) {
        guard case .array(let parts) = key, (1...3).contains(parts.count) else {
            throw .runtime(.opFailed, "Expected an array of one to three items in the primary key, got \(key.jsonString).")
        }
        guard case .string(let name) = parts[0] else {
            throw .runtime(.opFailed, "Expected a string as the username, got \(parts[0].jsonString).")
        }
        let user = try UserStore.username(name)
        guard parts.count > 1 else { return (user, .global) }
        guard case .string(let databaseID) = parts[1], Self.isUUID(databaseID) else {
            throw .runtime(.opFailed, "Expected a UUID as the database, got \(parts[1].jsonString).")
        }
        guard let database = try databaseName(id: databaseID) else {
            throw .runtime(.opFailed, "No database with UUID `\(databaseID)` exists.")
        }
        guard parts.count > 2 else { return (user, .database(id: databaseID, name: database)) }
        guard case .string(let tableID) = parts[2], Self.isUUID(tableID) else {
            throw .runtime(.opFailed, "Expected a UUID as the table, got \(parts[2].jsonString).")
        }
        guard let table = try self.table(id: tableID, hint: nil), table.databaseID == databaseID else {
            throw .runtime(.opFailed, "No table with UUID `\(tableID)` exists.")
        }
        return (user, .table(table))
    }

    /// `str_to_uuid`: 8-4-4-4-12 hexadecimal digits.
    static func isUUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                let isHex = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
                guard isHex else { return false }
            }
        }
        return true
    }
}
