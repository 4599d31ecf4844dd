import Crypto
import Foundation

/// The SHA-256 building blocks of SCRAM (RFC 5802 / RFC 7677), on plain byte arrays.
///
/// They are written out here rather than taken from a KDF module because swift-crypto's public
/// `Crypto` product has HMAC and SHA-256 but no PBKDF2, and PBKDF2 is a dozen lines on top of HMAC.
enum ScramPrimitives {
    /// RethinkDB's iteration count for new passwords (`auth/password.hpp`).
    static let defaultIterations = 4096
    /// RethinkDB's salt length in bytes; its base64 is 24 characters ending in `==`.
    static let saltLength = 16
    /// The random part of the server nonce, in bytes (base64: 24 characters, no padding).
    static let serverNonceLength = 18

    /// PBKDF2-HMAC-SHA256 with a 32-byte output, which is what SCRAM calls `SaltedPassword`.
    static func saltedPassword(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        // The keyed HMAC state is built once and copied per round: re-deriving the padded key
        // 4096 times would double the cost for nothing.
        let keyed = HMAC<SHA256>(key: SymmetricKey(data: password))
        var first = keyed
        first.update(data: salt + [0, 0, 0, 1])
        var block = Array(first.finalize())
        var result = block
        for _ in 1..<max(iterations, 1) {
            var round = keyed
            round.update(data: block)
            block = Array(round.finalize())
            for index in result.indices {
                result[index] ^= block[index]
            }
        }
        return result
    }

    static func hmac(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    static func hmac(key: [UInt8], _ message: String) -> [UInt8] {
        self.hmac(key: key, Array(message.utf8))
    }

    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }

    static func xor(_ lhs: [UInt8], _ rhs: [UInt8]) -> [UInt8] {
        zip(lhs, rhs).map { $0 ^ $1 }
    }

    /// Compares without an early exit, so the time taken says nothing about how many leading
    /// bytes of a guessed proof were right.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }

    /// Standard alphabet with padding, as RethinkDB and the Python driver both use.
    static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    static func decodeBase64(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text).map { Array($0) }
    }
}

/// Where the handshake gets its salts and nonces.
///
/// Production uses the system's cryptographic generator; tests inject fixed bytes so the
/// captured RethinkDB test vector (fixed salt, fixed server nonce) can be replayed exactly.
struct RandomByteSource: Sendable {
    private let generate: @Sendable (Int) -> [UInt8]

    init(_ generate: @escaping @Sendable (Int) -> [UInt8]) {
        self.generate = generate
    }

    func bytes(_ count: Int) -> [UInt8] {
        self.generate(count)
    }

    /// `SystemRandomNumberGenerator` reads the kernel's CSPRNG (getrandom on Linux).
    static let system = RandomByteSource { count in
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// Always answers with `bytes`, cut or zero-padded to the length asked for.
    static func fixed(_ bytes: [UInt8]) -> RandomByteSource {
        RandomByteSource { count in
            Array((bytes + [UInt8](repeating: 0, count: max(0, count - bytes.count))).prefix(count))
        }
    }
}
