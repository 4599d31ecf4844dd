/// A secondary-index key as an index table's `key` column holds it: RethinkDB's encoding of
/// the value (``KeyEncoder``, `datum_t::print_secondary`), ended by a NUL byte and cut to
/// ``maxLength`` bytes.
///
/// Comparing two keys byte by byte orders them as ReQL orders their values, except among
/// keys that were cut: those share their first ``maxLength`` bytes and must be ordered (and
/// told apart) by the values themselves, which the index table keeps beside the key. That is
/// RethinkDB's rule too (it cuts keys to fit its 250-byte B-tree keys, and sorts the entries of
/// one cut key by value).
package enum IndexKey {
    /// RethinkDB's `MAX_KEY_SIZE`: keys are cut to this many bytes.
    package static let maxLength = 250

    /// The key of a value an index stores; throws (RethinkDB's message) for a value no index
    /// can hold: null, an object, `r.minval`/`r.maxval`, a geometry, an array holding one.
    package static func entry(_ value: Document) throws(KeyEncoder.Invalid) -> [UInt8] {
        try encoded(value, mode: .secondary)
    }

    /// The key of a read's bound or looked-up value, where `r.minval` and `r.maxval` may
    /// appear (they encode below and above every stored key).
    package static func bound(_ value: Document) throws(KeyEncoder.Invalid) -> [UInt8] {
        try encoded(value, mode: .secondaryBound)
    }

    /// Whether a key may have been cut, so that its value must be compared to know where it
    /// sorts; a key of exactly ``maxLength`` bytes counts too (as in RethinkDB's
    /// `key_is_truncated`), which costs one comparison and is never wrong.
    package static func isTruncated<C: Collection>(_ key: C) -> Bool where C.Element == UInt8 {
        key.count >= maxLength
    }

    private static func encoded(_ value: Document, mode: KeyEncoder.Mode) throws(KeyEncoder.Invalid) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        try KeyEncoder(mode).encode(value, into: &out)
        out.append(0)
        if out.count > maxLength { out.removeLast(out.count - maxLength) }
        return out
    }
}
