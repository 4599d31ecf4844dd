import DocumentModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes the keys of documents that have none: lowercase UUID text, as RethinkDB generates it.
///
/// Random bytes are drawn from the kernel 4 KiB at a time rather than 8 bytes per call, which
/// matters when a bulk insert needs 100,000 keys, and for the server's job ids, one per query
/// (Foundation's `UUID()` opens, reads and closes `/dev/urandom` each time on Linux).
package struct UUIDGenerator {
    private var pool = [UInt8](repeating: 0, count: 4096)
    private var position = 4096
    private var lastMilliseconds: UInt64 = 0
    private var sequence: UInt16 = 0

    package init() {}

    /// A random (version 4) UUID, e.g. `dd782b64-70a7-43e4-b65e-dd14ae61d947`.
    package mutating func v4() -> String {
        var bytes = randomBytes()
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return Self.format(bytes)
    }

    /// A time-ordered (version 7, RFC 9562) UUID: 48 bits of Unix milliseconds, then a 12-bit
    /// sequence that keeps keys made in the same millisecond in order, then random bits.
    mutating func v7() -> String {
        var bytes = randomBytes()
        var now = Self.unixMilliseconds()
        if now <= lastMilliseconds {
            now = lastMilliseconds
            sequence &+= 1
            if sequence > 0x0FFF {
                now += 1
                sequence = 0
            }
        } else {
            sequence = UInt16(bytes[7]) & 0x01FF  // random start, with room to count up
        }
        lastMilliseconds = now
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: now >> UInt64(40 - 8 * index)) }
        bytes[6] = 0x70 | UInt8(sequence >> 8)
        bytes[7] = UInt8(truncatingIfNeeded: sequence)
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return Self.format(bytes)
    }

    mutating func next(_ kind: DocumentStore.KeyGeneration) -> String {
        kind == .uuidV7 ? v7() : v4()
    }

    static func v4String() -> String {
        var generator = UUIDGenerator()
        return generator.v4()
    }

    private mutating func randomBytes() -> [UInt8] {
        if position + 16 > pool.count {
            pool.withUnsafeMutableBytes { Self.fillRandom($0) }
            position = 0
        }
        defer { position += 16 }
        return Array(pool[position..<(position + 16)])
    }

    private static func fillRandom(_ buffer: UnsafeMutableRawBufferPointer) {
        #if canImport(Glibc)
        // One read of the kernel's CSPRNG per 256 keys (Glibc's module does not export getrandom).
        let descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 {
            defer { close(descriptor) }
            var filled = 0
            while filled < buffer.count {
                let count = read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
                if count > 0 { filled += count } else if count < 0 && errno == EINTR { continue } else { break }
            }
            if filled == buffer.count { return }
        }
        #elseif canImport(Darwin)
        arc4random_buf(buffer.baseAddress!, buffer.count)
        return
        #endif
        var generator = SystemRandomNumberGenerator()
        for index in 0..<buffer.count { buffer[index] = generator.next() }
    }

    private static func unixMilliseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return UInt64(time.tv_sec) * 1000 + UInt64(time.tv_nsec) / 1_000_000
    }

    private static func format(_ bytes: [UInt8]) -> String {
        let hex = JSONFormat.hexDigits
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
