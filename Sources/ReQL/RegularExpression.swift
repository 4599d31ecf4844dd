import CRE2
import DocumentModel
import Synchronization

/// A pattern compiled by RE2, the engine (and so the syntax) RethinkDB's `match` uses.
///
/// RE2 objects are immutable once compiled and RE2 documents them as safe to match from
/// several threads at once, which is why one compiled pattern may be shared (and cached)
/// across queries.
final class RegularExpression: @unchecked Sendable {
    private let handle: OpaquePointer
    /// Capturing groups, not counting the whole match.
    let groupCount: Int

    private init(handle: OpaquePointer) {
        self.handle = handle
        groupCount = Int(docstore_re2_group_count(handle))
    }

    deinit {
        docstore_re2_free(handle)
    }

    /// Queries run the same few patterns over many rows (`filter(r.row['name'].match(...))`),
    /// so compiled patterns are kept, as RethinkDB keeps them per query; the cache is
    /// dropped whole when it grows past a small bound.
    private static let cache = Mutex<[String: RegularExpression]>([:])
    private static let cacheLimit = 128

    /// The compiled pattern, or RethinkDB's error naming the part RE2 rejected.
    static func compiled(_ pattern: String) throws(ReqlError) -> RegularExpression {
        if let cached = cache.withLock({ $0[pattern] }) { return cached }
        var text = pattern
        let handle = text.withUTF8 { docstore_re2_new($0.baseAddress, $0.count) }
        guard let handle else { throw .runtime(.internal, "Could not allocate a regular expression.") }
        let regex = RegularExpression(handle: handle)
        guard docstore_re2_ok(handle) != 0 else {
            let message = String(cString: docstore_re2_error(handle))
            let portion = String(cString: docstore_re2_error_arg(handle))
            throw .runtime(.queryLogic, "Error in regexp `\(pattern)` (portion `\(portion)`): \(message)")
        }
        cache.withLock { entries in
            if entries.count >= cacheLimit { entries.removeAll() }
            entries[pattern] = regex
        }
        return regex
    }

    /// The first match anywhere in `text`: byte ranges of the whole match and of each group
    /// (nil for a group that took no part), or nil when nothing matches.
    func firstMatch(in text: String) -> [Range<Int>?]? {
        let count = groupCount + 1
        var starts = [Int](repeating: -1, count: count)
        var ends = [Int](repeating: -1, count: count)
        var input = text
        let matched = input.withUTF8 { bytes in
            starts.withUnsafeMutableBufferPointer { starts in
                ends.withUnsafeMutableBufferPointer { ends in
                    docstore_re2_match(handle, bytes.baseAddress, bytes.count, starts.baseAddress, ends.baseAddress, Int32(count))
                }
            }
        }
        guard matched != 0 else { return nil }
        return (0..<count).map { starts[$0] < 0 ? nil : starts[$0]..<ends[$0] }
    }
}
