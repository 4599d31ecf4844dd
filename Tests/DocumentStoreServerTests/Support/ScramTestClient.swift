import Crypto
import Foundation

/// The client side of SCRAM-SHA-256, written independently of the server's code (straight from
/// RFC 5802 and the Python driver's `handshake.py`), so the end-to-end tests check the server
/// against the formulas rather than against itself.
struct ScramTestClient {
    let user: String
    let password: String
    let clientNonce: String

    init(user: String, password: String, clientNonce: String = "OUSJDi3GYnvrA4/bBRTKFJLK") {
        self.user = user
        self.password = password
        self.clientNonce = clientNonce
    }

    var clientFirstBare: String { "n=\(self.user),r=\(self.clientNonce)" }

    /// The V1_0 magic followed by the client hello, as the Python driver sends them in one write.
    var openingBytes: [UInt8] {
        let hello = #"{"protocol_version":0,"authentication_method":"SCRAM-SHA-256","authentication":"n,,"#
            + self.clientFirstBare + #""}"#
        return [0xC3, 0xBD, 0xC2, 0x34] + Array(hello.utf8) + [0]
    }

    /// The client-final message for a server-first message, and the signature the server must
    /// answer with. `nonce` replaces the server's nonce in the reply (the proof still covers it),
    /// to test that the server checks it.
    func finalMessage(
        serverFirst: String,
        nonce replacement: String? = nil
    ) -> (message: String, expectedServerSignature: String) {
        let fields = Dictionary(
            uniqueKeysWithValues: serverFirst.split(separator: ",").map { part -> (String, String) in
                let pieces = part.split(separator: "=", maxSplits: 1)
                return (String(pieces[0]), pieces.count > 1 ? String(pieces[1]) : "")
            }
        )
        let nonce = replacement ?? fields["r"] ?? ""
        let salt = Array(Data(base64Encoded: fields["s"] ?? "") ?? Data())
        let iterations = Int(fields["i"] ?? "") ?? 0

        let salted = Self.pbkdf2(password: Array(self.password.utf8), salt: salt, iterations: iterations)
        let clientKey = Self.hmac(salted, Array("Client Key".utf8))
        let storedKey = Array(SHA256.hash(data: clientKey))
        let withoutProof = "c=biws,r=\(nonce)"
        let authMessage = Array("\(self.clientFirstBare),\(serverFirst),\(withoutProof)".utf8)
        let clientSignature = Self.hmac(storedKey, authMessage)
        let proof = zip(clientKey, clientSignature).map { $0 ^ $1 }
        let serverKey = Self.hmac(salted, Array("Server Key".utf8))
        let serverSignature = Self.hmac(serverKey, authMessage)
        return (
            withoutProof + ",p=" + Data(proof).base64EncodedString(),
            "v=" + Data(serverSignature).base64EncodedString()
        )
    }

    /// The client-final message wrapped as the driver sends it.
    static func finalBytes(_ message: String) -> [UInt8] {
        Array(#"{"authentication":"\#(message)"}"#.utf8) + [0]
    }

    static func hmac(_ key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    /// RFC 8018 PBKDF2 with HMAC-SHA256, one 32-byte block.
    static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        var block = self.hmac(password, salt + [0, 0, 0, 1])
        var result = block
        for _ in 1..<iterations {
            block = self.hmac(password, block)
            result = zip(result, block).map { $0 ^ $1 }
        }
        return result
    }
}
