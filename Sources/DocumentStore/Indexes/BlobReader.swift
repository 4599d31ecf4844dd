/// Reads RethinkDB's archive serialization (`containers/archive`): fixed-width integers in
/// the machine's byte order, which is little-endian on every platform RethinkDB ships for,
/// and LEB128 varints for container sizes.
struct BlobReader {
    private let bytes: [UInt8]
    private(set) var offset: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var isAtEnd: Bool { offset == bytes.count }

    /// RethinkDB's message when a field runs past the end: `archive_result_t::SOCK_EOF`.
    private func endOfInput(_ field: String) -> BlobFormatError {
        BlobFormatError("Deserialization of \(field) failed with error archive_result_t::SOCK_EOF.")
    }

    mutating func byte(_ field: String) throws(BlobFormatError) -> UInt8 {
        guard offset < bytes.count else { throw endOfInput(field) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func littleEndian(_ width: Int, _ field: String) throws(BlobFormatError) -> UInt64 {
        guard bytes.count - offset >= width else { throw endOfInput(field) }
        var value: UInt64 = 0
        for index in 0..<width { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += width
        return value
    }

    mutating func varint(_ field: String) throws(BlobFormatError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte(field)
            guard shift < 64 else { throw BlobFormatError("Deserialization of \(field) failed with error archive_result_t::RANGE_ERROR.") }
            value |= UInt64(next & 0x7f) << shift
            if next & 0x80 == 0 { return value }
            shift += 7
        }
    }

    mutating func bytes(_ count: Int, _ field: String) throws(BlobFormatError) -> ArraySlice<UInt8> {
        guard count >= 0, bytes.count - offset >= count else { throw endOfInput(field) }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }
}

/// Writes what ``BlobReader`` reads.
struct BlobWriter {
    private(set) var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func littleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func append(_ data: [UInt8]) {
        bytes.append(contentsOf: data)
    }
}
