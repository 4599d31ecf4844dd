/// JSON as Python's `json.dumps` writes it for `rethinkdb export`: ASCII only, every other
/// character as a `\uXXXX` escape (a UTF-16 surrogate pair above U+FFFF). Python's tools read
/// an archive's files with the platform's default encoding, so ASCII is what every one of them
/// reads the same way.
enum DumpJSON {
    /// `json` with each non-ASCII character escaped. Such characters occur only inside strings
    /// in JSON, where an escape means the same character.
    static func ascii(_ json: [UInt8]) -> [UInt8] {
        guard json.contains(where: { $0 >= 0x80 }) else { return json }
        var out: [UInt8] = []
        out.reserveCapacity(json.count + json.count / 4)
        for scalar in String(decoding: json, as: UTF8.self).unicodeScalars {
            if scalar.value < 0x80 {
                out.append(UInt8(scalar.value))
            } else {
                for unit in String(scalar).utf16 { appendEscape(unit, to: &out) }
            }
        }
        return out
    }

    private static func appendEscape(_ unit: UInt16, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(contentsOf: [0x5C, 0x75])
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hex[Int((unit >> UInt16(shift)) & 0xF)])
        }
    }

    /// The start, separator and end of a table's `.json` file: `[`, then each document on a
    /// line of its own after `\n` (the first) or `,\n`, then `\n]\n` (`[\n]\n` when empty).
    static let open: [UInt8] = Array("[".utf8)
    static func separator(first: Bool) -> [UInt8] { first ? [0x0A] : [0x2C, 0x0A] }
    static let close: [UInt8] = Array("\n]\n".utf8)
}
