import Crypto

/// `r.uuid(name)`: RFC 4122 version 5 (SHA-1, name-based) UUIDs in RethinkDB's namespace, so
/// the same name gives the same UUID here as in RethinkDB.
package enum NameBasedUUID {
    /// RethinkDB's `base_key_id` (`terms/uuid.cc`).
    private static let namespace: [UInt8] = [0x91, 0x46, 0x1c, 0x99, 0xf8, 0x9d, 0x49, 0xd2,
                                             0xaf, 0x96, 0xd8, 0xe2, 0xe1, 0x4e, 0x9b, 0x58]

    package static func make(_ name: String) -> String {
        var hasher = Insecure.SHA1()
        hasher.update(data: namespace)
        hasher.update(data: Array(name.utf8))
        var bytes = Array(hasher.finalize().prefix(16))
        bytes[6] = bytes[6] & 0x0f | 0x50
        bytes[8] = bytes[8] & 0x3f | 0x80
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex.dropFirst(range.lowerBound).prefix(range.count))
        }
        return parts.joined(separator: "-")
    }
}
