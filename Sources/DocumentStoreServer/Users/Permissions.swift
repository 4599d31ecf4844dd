import DocumentStore
import ReQL

/// One user's permissions at one scope: RethinkDB's `permissions_t`, each of `read`, `write`,
/// `config` (and at the global scope `connect`) true, false, or unset.
///
/// Unset is not false: an unset table permission defers to the database's, an unset database
/// permission to the global one. That is why `grant` merges instead of replacing, and why
/// `null` in a grant means "unset", not "deny".
struct Permissions: Sendable, Equatable, Codable {
    var read: Bool?
    var write: Bool?
    var config: Bool?
    /// Only the global scope has `connect`; elsewhere it is nil and refused in ``merge(_:)``.
    var connect: Bool?
    /// Whether this is the global scope's set, where `connect` may be given.
    let isGlobal: Bool

    init(read: Bool? = nil, write: Bool? = nil, config: Bool? = nil, connect: Bool? = nil, isGlobal: Bool) {
        self.read = read
        self.write = write
        self.config = config
        self.connect = isGlobal ? connect : nil
        self.isGlobal = isGlobal
    }

    /// Every permission granted: what `admin` always has (and shows as its global row).
    static let all = Permissions(read: true, write: true, config: true, connect: true, isGlobal: true)

    /// Nothing set: the scope's row disappears from `rethinkdb.permissions`.
    var isIndeterminate: Bool {
        read == nil && write == nil && config == nil && connect == nil
    }

    /// Applies a grant's object: `true`/`false` set a permission, `null` unsets it, absent keys
    /// stay. Checks in RethinkDB's order, so the first fault is the one reported, and changes
    /// nothing when it throws.
    mutating func merge(_ datum: Document) throws(ReqlError) {
        guard case .object(let object) = datum else {
            throw .runtime(.opFailed, "Expected an object, got \(datum.jsonString).")
        }
        var merged = self
        var unexpected = Set(object.keys)
        if let value = object["read"] {
            unexpected.remove("read")
            merged.read = try Self.tribool(value, "read")
        }
        if let value = object["write"] {
            unexpected.remove("write")
            merged.write = try Self.tribool(value, "write")
        }
        if let value = object["config"] {
            unexpected.remove("config")
            merged.config = try Self.tribool(value, "config")
        }
        if let value = object["connect"] {
            guard isGlobal else {
                throw .runtime(.opFailed, "The `connect` permission is only valid at the global scope.")
            }
            unexpected.remove("connect")
            merged.connect = try Self.tribool(value, "connect")
        }
        guard unexpected.isEmpty else {
            throw .unexpectedKeys(unexpected)
        }
        self = merged
    }

    private static func tribool(_ value: Document, _ field: String) throws(ReqlError) -> Bool? {
        switch value {
        case .bool(let flag): return flag
        case .null: return nil
        default: throw .runtime(.opFailed, "Expected a boolean or null for `\(field)`, got \(value.jsonString).")
        }
    }

    /// The object `rethinkdb.permissions` and `grant` show: the set permissions only, or null
    /// when none is set.
    var document: Document {
        var object: DocumentObject = [:]
        if let read { object["read"] = .bool(read) }
        if let write { object["write"] = .bool(write) }
        if let config { object["config"] = .bool(config) }
        if let connect { object["connect"] = .bool(connect) }
        return object.isEmpty ? .null : .object(object)
    }
}

/// The three permissions a query can need, and the text RethinkDB names them by.
enum PermissionKind: String, Sendable {
    case read
    case write
    case config
    case connect

    /// `permission_error_t`'s text: RethinkDB's `ReqlPermissionError`.
    func denied(to user: String) -> ReqlError {
        .runtime(.permission, "User `\(user)` does not have the required `\(rawValue)` permission.")
    }
}

extension ReqlError {
    /// RethinkDB's refusal of fields it does not know, listed from a `std::set`: sorted by bytes.
    static func unexpectedKeys(_ keys: Set<String>) -> ReqlError {
        let names = keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return .runtime(.opFailed, "Unexpected key(s) `\(names.joined(separator: "`, `"))`.")
    }
}
