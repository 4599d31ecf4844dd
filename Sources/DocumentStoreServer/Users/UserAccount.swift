import DocumentStore
import ReQL

/// One user as the server keeps it: SCRAM keys (never the password), whether a password was
/// set, and the permissions at each scope (RethinkDB's `user_t`).
///
/// Database and table permissions are keyed by id, as RethinkDB keys them by UUID: a table
/// dropped and created again under its name is a new table, and the old grants do not apply to
/// it. The names kept next to a table's id are hints for showing the row, checked against the
/// catalog before they are shown.
struct UserAccount: Sendable, Equatable, Codable {
    /// A table's permissions and where the table was when they were granted.
    struct TableGrant: Sendable, Equatable, Codable {
        var databaseID: String
        var database: String
        var table: String
        var permissions: Permissions
    }

    var credential: UserCredentials.Credential
    /// False for the empty password, which RethinkDB shows as `password: false`.
    var hasPassword: Bool
    var global = Permissions(isGlobal: true)
    var databases: [String: Permissions] = [:]
    var tables: [String: TableGrant] = [:]

    /// A user with `password` ("" for none) and no permissions.
    init(password: String, random: RandomByteSource, iterations: Int = ScramPrimitives.defaultIterations) {
        self.credential = UserCredentials.Credential(
            password: password,
            salt: random.bytes(ScramPrimitives.saltLength),
            iterations: iterations
        )
        self.hasPassword = !password.isEmpty
    }

    /// Sets the password; a new salt each time, as RethinkDB makes one per `password_t`.
    mutating func setPassword(_ password: String, random: RandomByteSource, iterations: Int = ScramPrimitives.defaultIterations) {
        self = Self(password: password, random: random, iterations: iterations).withPermissions(of: self)
    }

    private func withPermissions(of other: UserAccount) -> UserAccount {
        var copy = self
        copy.global = other.global
        copy.databases = other.databases
        copy.tables = other.tables
        return copy
    }

    // MARK: Checks

    /// Whether the user may `kind` the table `tableID` of the database `databaseID` (nil ids:
    /// the database as a whole, or the server): the table's setting if it has one, else the
    /// database's, else the global one, except that the `rethinkdb` database inherits nothing
    /// from the global scope, so `r.grant(user, {read: true})` does not show it the users.
    func allows(_ kind: PermissionKind, databaseID: String?, tableID: String?, systemDatabaseID: String) -> Bool {
        if kind == .connect {
            return global.connect == true
        }
        if let tableID, let setting = tables[tableID]?.permissions.value(of: kind) {
            return setting
        }
        if let databaseID, let setting = databases[databaseID]?.value(of: kind) {
            return setting
        }
        if databaseID == systemDatabaseID {
            return false
        }
        return global.value(of: kind) == true
    }

    // MARK: The users table

    /// Applies a `rethinkdb.users` row (`{id, password}`) to this user, or to a new one when
    /// `existing` is nil, with `user_t::merge`'s checks and texts.
    static func merged(
        _ row: Document,
        into existing: UserAccount?,
        random: RandomByteSource
    ) throws(ReqlError) -> UserAccount {
        guard case .object(let object) = row else {
            throw .runtime(.opFailed, "Expected an object, got \(row.jsonString).")
        }
        guard object["id"] != nil else {
            throw .runtime(.opFailed, "Expected a field named `id`.")
        }
        guard let password = object["password"] else {
            throw .runtime(.opFailed, "Expected a field named `password`.")
        }
        if object.count != 2 {
            throw .unexpectedKeys(Set(object.keys).subtracting(["id", "password"]))
        }
        var account = existing ?? UserAccount(password: "", random: random)
        switch password {
        case .object:
            let (text, iterations) = try Self.passwordObject(password)
            account.setPassword(text, random: random, iterations: iterations)
        case .string(let text):
            account.setPassword(text, random: random)
        case .bool(true):
            guard existing?.hasPassword == true else {
                throw .runtime(
                    .opFailed,
                    "Expected an object or string to set the password, or `false` to keep it unset, got true."
                )
            }
        case .bool(false):
            account.setPassword("", random: random)
        default:
            throw .runtime(.opFailed, "Expected an object, string or boolean for `password`, got \(password.jsonString).")
        }
        return account
    }

    /// `{password: "...", iterations: N}`: a password with its own PBKDF2 round count.
    private static func passwordObject(_ datum: Document) throws(ReqlError) -> (String, Int) {
        guard case .object(let object) = datum else {
            throw .runtime(.opFailed, "Expected an object, got \(datum.jsonString).")
        }
        guard let iterations = object["iterations"] else {
            throw .runtime(.opFailed, "Expected a field named `iterations`.")
        }
        guard case .number(let count) = iterations, count >= 1, count == count.rounded(), count < 1e9 else {
            throw .runtime(.opFailed, "Expected `iterations` to be an integer greater than zero, got \(iterations.jsonString).")
        }
        guard let password = object["password"] else {
            throw .runtime(.opFailed, "Expected a field named `password`.")
        }
        guard case .string(let text) = password else {
            throw .runtime(.opFailed, "Expected `password` to be a string, got \(password.jsonString).")
        }
        let unexpected = Set(object.keys).subtracting(["iterations", "password"])
        guard unexpected.isEmpty else {
            throw .unexpectedKeys(unexpected)
        }
        return (text, Int(count))
    }
}

extension Permissions {
    /// One permission's setting; nil when unset.
    func value(of kind: PermissionKind) -> Bool? {
        switch kind {
        case .read: return read
        case .write: return write
        case .config: return config
        case .connect: return connect
        }
    }
}

extension UserCredentials.Credential: Codable {
    private enum CodingKeys: String, CodingKey {
        case salt, iterations, storedKey = "stored_key", serverKey = "server_key"
    }

    /// Keys as base64, so the users file stays a readable JSON document.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func bytes(_ key: CodingKeys) throws -> [UInt8] {
            let text = try container.decode(String.self, forKey: key)
            guard let decoded = ScramPrimitives.decodeBase64(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not base64")
            }
            return decoded
        }
        self.init(
            salt: try bytes(.salt),
            iterations: try container.decode(Int.self, forKey: .iterations),
            storedKey: try bytes(.storedKey),
            serverKey: try bytes(.serverKey)
        )
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ScramPrimitives.base64(salt), forKey: .salt)
        try container.encode(iterations, forKey: .iterations)
        try container.encode(ScramPrimitives.base64(storedKey), forKey: .storedKey)
        try container.encode(ScramPrimitives.base64(serverKey), forKey: .serverKey)
    }
}
