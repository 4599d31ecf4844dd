/// The server side of one SCRAM-SHA-256 conversation, from the client-first message to the
/// server's signature, with RethinkDB 2.4's error codes and check order.
///
/// RethinkDB never rejects a user name in the first step: an unknown user is answered with a
/// made-up salt and only fails after the client-final message (code 17). Doing the same keeps
/// the server from telling a scanner which user names exist.
struct ScramExchange: Sendable {
    /// The decoded user name, for logs. Never the password or the proof.
    let user: String
    /// The server's reply to the client-first message: `r=<nonce>,s=<salt>,i=<iterations>`.
    let serverFirstMessage: String

    private let credential: UserCredentials.Credential?
    private let clientFirstMessageBare: String
    private let nonce: String

    /// Reads a client-first message (`n,,n=<user>,r=<client nonce>`) and prepares the reply.
    init(clientFirst message: String, users: UserCredentials, random: RandomByteSource) throws(HandshakeError) {
        let bytes = Array(message.utf8)
        guard bytes.starts(with: Array("n,".utf8)) else {
            throw .channelBindingNotSupported
        }
        // The GS2 header is `n,[a=authzid],`; whatever authzid sits in it is ignored, as in RethinkDB.
        guard let headerEnd = bytes[2...].firstIndex(of: UInt8(ascii: ",")) else {
            throw .invalidEncoding
        }
        let bare = String(decoding: bytes[(headerEnd + 1)...], as: UTF8.self)
        let attributes = try Self.attributes(of: bare)

        var user: String?
        var clientNonce: String?
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
            switch key {
            case UInt8(ascii: "m"): throw .extensionsNotSupported
            case UInt8(ascii: "n"): user = try Self.decodeUsername(value)
            case UInt8(ascii: "r"): clientNonce = value
            default: throw .invalidEncoding
            }
        }
        guard attributes.count == 2, let user, let clientNonce else {
            throw .invalidEncoding
        }

        let credential = users.credential(for: user)
        let salt = credential?.salt ?? random.bytes(ScramPrimitives.saltLength)
        let iterations = credential?.iterations ?? ScramPrimitives.defaultIterations
        let nonce = clientNonce + ScramPrimitives.base64(random.bytes(ScramPrimitives.serverNonceLength))

        self.user = user
        self.credential = credential
        self.clientFirstMessageBare = bare
        self.nonce = nonce
        self.serverFirstMessage = "r=\(nonce),s=\(ScramPrimitives.base64(salt)),i=\(iterations)"
    }

    /// Checks a client-final message (`c=biws,r=<nonce>,p=<proof>`) and returns the server-final
    /// message (`v=<ServerSignature>`) that proves the server knows the password too.
    func finish(clientFinal message: String) throws(HandshakeError) -> String {
        guard let credential = self.credential else {
            throw .unknownUser
        }
        // The proof signs exactly the bytes received, up to (not including) `,p=`.
        let withoutProof = message.firstRange(of: ",p=").map { String(message[..<$0.lowerBound]) } ?? message
        let authMessage = self.clientFirstMessageBare + "," + self.serverFirstMessage + "," + withoutProof

        let attributes = try Self.attributes(of: message)
        // RethinkDB walks the attributes in key order (they sit in a std::map), so with several
        // faults the one reported is the one whose key sorts first.
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
            switch key {
            case UInt8(ascii: "c"):
                if value != "biws" { throw .invalidEncoding }
            case UInt8(ascii: "m"):
                throw .extensionsNotSupported
            case UInt8(ascii: "p"):
                if !Self.verify(proof: value, authMessage: authMessage, credential: credential) {
                    throw .wrongPassword
                }
            case UInt8(ascii: "r"):
                if value != self.nonce { throw .otherError }
            default:
                throw .invalidEncoding
            }
        }
        guard attributes.count == 3 else {
            throw .invalidEncoding
        }
        let serverSignature = ScramPrimitives.hmac(key: credential.serverKey, authMessage)
        return "v=" + ScramPrimitives.base64(serverSignature)
    }

    /// `ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage)` must hash to `StoredKey`.
    private static func verify(proof: String, authMessage: String, credential: UserCredentials.Credential) -> Bool {
        let clientSignature = ScramPrimitives.hmac(key: credential.storedKey, authMessage)
        // A proof that is not 32 bytes of base64 is compared as zeros, so it costs the same
        // time as a real guess and simply fails.
        var proofBytes = [UInt8](repeating: 0, count: clientSignature.count)
        var wellFormed = false
        if let decoded = ScramPrimitives.decodeBase64(proof), decoded.count == clientSignature.count {
            proofBytes = decoded
            wellFormed = true
        }
        let clientKey = ScramPrimitives.xor(proofBytes, clientSignature)
        let matches = ScramPrimitives.constantTimeEqual(ScramPrimitives.sha256(clientKey), credential.storedKey)
        return matches && wellFormed
    }

    /// Splits `k=v,k=v` the way RethinkDB's `split_attributes` does: one-character keys, no
    /// repeats, values running to the next comma.
    static func attributes(of text: String) throws(HandshakeError) -> [UInt8: String] {
        let bytes = Array(text.utf8)
        var result: [UInt8: String] = [:]
        var offset = 0
        while offset < bytes.count {
            guard let equals = bytes[offset...].firstIndex(of: UInt8(ascii: "=")), equals - offset == 1 else {
                throw .invalidEncoding
            }
            let key = bytes[offset]
            guard result[key] == nil else {
                throw .invalidEncoding
            }
            let valueEnd = bytes[(equals + 1)...].firstIndex(of: UInt8(ascii: ",")) ?? bytes.count
            result[key] = String(decoding: bytes[(equals + 1)..<valueEnd], as: UTF8.self)
            offset = valueEnd + 1
        }
        return result
    }

    /// Undoes the saslname escaping (`=2C` is `,`, `=3D` is `=`); any other `=` is an error.
    static func decodeUsername(_ saslname: String) throws(HandshakeError) -> String {
        let bytes = Array(saslname.utf8)
        var decoded: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "=") {
                let escape = bytes[min(index + 1, bytes.count)..<min(index + 3, bytes.count)]
                if escape.elementsEqual("2C".utf8) {
                    decoded.append(UInt8(ascii: ","))
                } else if escape.elementsEqual("3D".utf8) {
                    decoded.append(UInt8(ascii: "="))
                } else {
                    throw .invalidUsernameEncoding
                }
                index += 3
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        guard !decoded.isEmpty else {
            throw .emptyUsername
        }
        // Users are stored under their SASLprep'd names, so the name logged in with is too.
        guard let prepared = SASLprep.prepare(String(decoding: decoded, as: UTF8.self), for: .query) else {
            throw .invalidUsernameEncoding
        }
        guard !prepared.isEmpty else {
            throw .emptyUsername
        }
        return prepared
    }
}
