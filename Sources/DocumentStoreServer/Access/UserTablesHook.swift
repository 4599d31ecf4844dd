import DocumentStore
import Foundation
import ReQL

// `r.db("rethinkdb").table("users")` and `.table("permissions")` are served by the permission
// layer (``PermissionedTables``), not by ``SystemDatabase``: their rows are the ``UserStore``'s,
// and every read or write of them is itself a permission decision. The other system tables
// are ``ServerTables``'.

/// The two system tables the users module provides.
enum SystemUserTable: String, CaseIterable, Sendable {
    case users
    case permissions

    var id: String {
        self == .users ? UserStore.usersTableID : UserStore.permissionsTableID
    }

    var identity: TableIdentity {
        TableIdentity(id: id, databaseID: UserStore.systemDatabaseID, database: "rethinkdb", name: rawValue)
    }
}

/// One system table of one query: its rows and RethinkDB's artificial-table writes (each row
/// read, transformed and written on its own, failures counted in `errors`, not thrown).
struct UserTablesHook: Sendable {
    let table: SystemUserTable
    let store: UserStore
    let catalog: any PermissionCatalog

    func rows() throws(ReqlError) -> [Document] {
        switch table {
        case .users: return try UsersTable(store: store).rows()
        case .permissions: return try PermissionsTable(store: store, catalog: catalog).rows()
        }
    }

    func row(_ key: Document) throws(ReqlError) -> Document? {
        switch table {
        case .users: return try UsersTable(store: store).row(key)
        case .permissions: return try PermissionsTable(store: store, catalog: catalog).row(key)
        }
    }

    private func write(_ key: Document, _ new: Document?, generated: Bool) throws(ReqlError) -> Document? {
        switch table {
        case .users: return try UsersTable(store: store).write(key: key, new: new, keyWasGenerated: generated)
        case .permissions:
            return try PermissionsTable(store: store, catalog: catalog).write(key: key, new: new, keyWasGenerated: generated)
        }
    }

    /// `insert`: each document against the row with its key, with `conflict` resolved as for
    /// any table. A document without `id` gets a made-up key, which both tables refuse.
    func insert(_ documents: Document, options: WriteOptions) throws(ReqlError) -> any WriteSummary {
        let list: [Document]
        if case .array(let items) = documents { list = items } else { list = [documents] }
        var stats = Stats()
        for document in list {
            guard case .object(var object) = document else {
                stats.fail("Expected type OBJECT but found \(document.typeName).")
                continue
            }
            var generated = false
            if object["id"] == nil {
                object["id"] = .string(UUID().uuidString.lowercased())
                generated = true
            }
            let key = object["id"] ?? .null
            let new = Document.object(object)
            stats.apply(key: key) { () throws(ReqlError) -> (Document?, Document?) in
                let old = try row(key)
                let resolved = try Self.resolve(old: old, new: new, conflict: options.conflict)
                if let failure = resolved.failure { throw .runtime(.opFailed, failure) }
                if resolved.document == old { return (old, old) }
                return (old, try write(key, resolved.document, generated: generated))
            }
        }
        return ResultObject(stats.document, arrayLimit: options.arrayLimit)
    }

    /// `update`/`replace`/`delete` (`transform` nil) of the rows `target` names.
    func modify(_ target: WriteTarget, options: WriteOptions, transform: (@Sendable (Document?) throws -> Document?)?) throws(ReqlError) -> any WriteSummary {
        let keys: [Document]
        switch target {
        case .key(let key): keys = [key]
        case .keys(let list): keys = list
        case .all: keys = try rows().map { $0["id"] ?? .null }
        }
        var stats = Stats()
        for key in keys {
            stats.apply(key: key) { () throws(ReqlError) -> (Document?, Document?) in
                let old = try row(key)
                let new: Document?
                do {
                    new = try transform?(old)
                } catch {
                    throw ReqlError(error)
                }
                if new == old { return (old, old) }
                if let new, let old, new["id"] != old["id"] {
                    throw .runtime(.opFailed, "Primary key `id` cannot be changed (`\(old.jsonString)` -> `\(new.jsonString)`).")
                }
                if old == nil && new == nil { return (nil, nil) }
                return (old, try write(key, new, generated: false))
            }
        }
        return ResultObject(stats.document, arrayLimit: options.arrayLimit)
    }

    /// `conflict`'s choice between the stored row and an inserted one.
    private static func resolve(old: Document?, new: Document, conflict: ConflictOption?) throws(ReqlError) -> (document: Document?, failure: String?) {
        guard let old else { return (new, nil) }
        switch conflict {
        case .named("replace")?: return (new, nil)
        case .named("update")?: return (old.merging(new), nil)
        case .resolve(let resolve)?:
            do {
                return (try resolve(old, new), nil)
            } catch {
                throw ReqlError(error)
            }
        default:
            return (nil, "Duplicate primary key `id`:\n\(old.prettyPrinted)\n\(new.prettyPrinted)")
        }
    }

    /// A write's counters, as RethinkDB's artificial tables keep them.
    private struct Stats {
        var inserted = 0, replaced = 0, deleted = 0, unchanged = 0, skipped = 0, errors = 0
        var firstError: String?

        mutating func fail(_ message: String) {
            errors += 1
            if firstError == nil { firstError = message }
        }

        /// Runs one row's write and counts what it did. Permission errors are not counted:
        /// they end the whole write, as in RethinkDB.
        mutating func apply(key: Document, _ body: () throws(ReqlError) -> (Document?, Document?)) {
            do {
                let (old, new) = try body()
                switch (old, new) {
                case (nil, nil): skipped += 1
                case (nil, _?): inserted += 1
                case (_?, nil): deleted += 1
                case (let before?, let after?): if before == after { unchanged += 1 } else { replaced += 1 }
                }
            } catch {
                fail(error.message)
            }
        }

        var document: Document {
            var object: DocumentObject = [
                "deleted": .number(Double(deleted)), "errors": .number(Double(errors)),
                "inserted": .number(Double(inserted)), "replaced": .number(Double(replaced)),
                "skipped": .number(Double(skipped)), "unchanged": .number(Double(unchanged)),
            ]
            if let firstError { object["first_error"] = .string(firstError) }
            return .object(object)
        }
    }
}
