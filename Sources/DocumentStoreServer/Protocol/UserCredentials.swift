/// The users the server accepts, kept as SCRAM keys rather than passwords.
///
/// Only `StoredKey` and `ServerKey` are needed to check a client's proof and to prove the server
/// back, so the password (and `SaltedPassword`, which is as good as the password to an attacker
/// who wants to log in) is dropped as soon as the keys are derived.
struct UserCredentials: Sendable {
    /// One user's SCRAM-SHA-256 verifier.
    struct Credential: Sendable, Equatable {
        var salt: [UInt8]
        var iterations: Int
        /// `SHA256(HMAC(SaltedPassword, "Client Key"))`: what a proof must hash back to.
        var storedKey: [UInt8]
        /// `HMAC(SaltedPassword, "Server Key")`: signs the server's final message.
        var serverKey: [UInt8]

        /// Derives the keys from a password. PBKDF2 runs here, once per user, not per login.
        init(password: String, salt: [UInt8], iterations: Int = ScramPrimitives.defaultIterations) {
            let salted = ScramPrimitives.saltedPassword(
                password: Array(password.utf8),
                salt: salt,
                iterations: iterations
            )
            self.salt = salt
            self.iterations = iterations
            self.storedKey = ScramPrimitives.sha256(ScramPrimitives.hmac(key: salted, "Client Key"))
            self.serverKey = ScramPrimitives.hmac(key: salted, "Server Key")
        }

        /// Keys derived earlier (read back from the server's users file).
        init(salt: [UInt8], iterations: Int, storedKey: [UInt8], serverKey: [UInt8]) {
            self.salt = salt
            self.iterations = iterations
            self.storedKey = storedKey
            self.serverKey = serverKey
        }
    }

    private var users: [String: Credential]

    init(users: [String: Credential] = [:]) {
        self.users = users
    }

    /// The server's only account: `admin`, with the empty password unless one was configured,
    /// as a fresh RethinkDB server has it. The salt is random per process, as RethinkDB makes a
    /// new one whenever a password is set.
    static func admin(password: String, random: RandomByteSource = .system) -> UserCredentials {
        let credential = Credential(password: password, salt: random.bytes(ScramPrimitives.saltLength))
        return UserCredentials(users: ["admin": credential])
    }

    func credential(for user: String) -> Credential? {
        self.users[user]
    }

    mutating func set(_ credential: Credential, for user: String) {
        self.users[user] = credential
    }
}

extension UserCredentials: CustomStringConvertible {
    /// Lists user names only: key material must never reach a log line.
    var description: String {
        "UserCredentials(\(self.users.keys.sorted().joined(separator: ", ")))"
    }
}

extension UserCredentials.Credential: CustomStringConvertible {
    /// Hides the keys, which let anyone who reads them impersonate the server to a client.
    var description: String {
        "Credential(iterations: \(self.iterations), keys redacted)"
    }
}
