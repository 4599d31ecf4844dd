/// RethinkDB's `merge` (see ``Document/merging(_:)``) computed on canonical JSON text, without
/// building a tree: both objects' keys are already sorted, so the merge is one walk over the
/// two member lists, copying member text as it is and recursing only where both sides hold an
/// object. An upsert with `conflict: .update` spends its time here instead of in parsing and
/// re-encoding two trees per document.
package enum CanonicalMerge {
    package typealias Text = UnsafeBufferPointer<UInt8>

    /// Appends `base` merged with `patch` to `out`. Both must be canonical objects (DocStore's
    /// own stored text, or the canonicaliser's output).
    package static func merge(_ base: Text, _ patch: Text, into out: inout [UInt8]) {
        mergeObjects(base, 0..<base.count, patch, 0..<patch.count, into: &out)
    }

    private struct Member {
        package var key: Range<Int>    // between the quotes
        package var value: Range<Int>
        package var whole: Range<Int>  // `"key":value`
    }

    private static func mergeObjects(_ base: Text, _ baseRange: Range<Int>, _ patch: Text, _ patchRange: Range<Int>,
                                     into out: inout [UInt8]) {
        let baseMembers = members(base, baseRange)
        let patchMembers = members(patch, patchRange)
        out.append(UInt8(ascii: "{"))
        var (i, j, first) = (0, 0, true)
        func separator(_ out: inout [UInt8]) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
        }
        while i < baseMembers.count || j < patchMembers.count {
            let order: Int
            if i == baseMembers.count {
                order = 1
            } else if j == patchMembers.count {
                order = -1
            } else {
                order = compareKeys(base, baseMembers[i].key, patch, patchMembers[j].key)
            }
            separator(&out)
            if order < 0 {
                out.append(contentsOf: Text(rebasing: base[baseMembers[i].whole]))
                i += 1
            } else if order > 0 {
                out.append(contentsOf: Text(rebasing: patch[patchMembers[j].whole]))
                j += 1
            } else {
                let old = baseMembers[i], new = patchMembers[j]
                if base[old.value.lowerBound] == UInt8(ascii: "{") && patch[new.value.lowerBound] == UInt8(ascii: "{") {
                    out.append(contentsOf: Text(rebasing: patch[new.whole.lowerBound..<new.value.lowerBound]))
                    mergeObjects(base, old.value, patch, new.value, into: &out)
                } else {
                    out.append(contentsOf: Text(rebasing: patch[new.whole]))
                }
                i += 1
                j += 1
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The members of the object text in `range` (which starts with `{`).
    private static func members(_ text: Text, _ range: Range<Int>) -> [Member] {
        var result: [Member] = []
        var index = range.lowerBound + 1
        while index < range.upperBound && text[index] == UInt8(ascii: "\"") {
            let start = index
            let keyEnd = endOfString(text, index)
            let valueStart = keyEnd + 1  // after the ':'
            let valueEnd = endOfValue(text, valueStart)
            result.append(Member(key: (start + 1)..<(keyEnd - 1), value: valueStart..<valueEnd, whole: start..<valueEnd))
            index = valueEnd + 1  // past ',' (or onto '}')
        }
        return result
    }

    /// The index just past the string starting (with its quote) at `start`.
    private static func endOfString(_ text: Text, _ start: Int) -> Int {
        var index = start + 1
        while text[index] != UInt8(ascii: "\"") {
            index += text[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        return index + 1
    }

    /// The index just past the value starting at `start`.
    private static func endOfValue(_ text: Text, _ start: Int) -> Int {
        switch text[start] {
        case UInt8(ascii: "\""):
            return endOfString(text, start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var index = start
            repeat {
                switch text[index] {
                case UInt8(ascii: "\""): index = endOfString(text, index); continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
                index += 1
            } while depth > 0
            return index
        default:
            var index = start
            while index < text.count, text[index] != UInt8(ascii: ","), text[index] != UInt8(ascii: "}"), text[index] != UInt8(ascii: "]") {
                index += 1
            }
            return index
        }
    }

    /// Keys order by their decoded bytes; escaped text only differs from it where a key holds
    /// `"`, `\` or a control character, so only then are the keys decoded.
    private static func compareKeys(_ a: Text, _ aRange: Range<Int>, _ b: Text, _ bRange: Range<Int>) -> Int {
        let left = Text(rebasing: a[aRange]), right = Text(rebasing: b[bRange])
        if !left.contains(UInt8(ascii: "\\")) && !right.contains(UInt8(ascii: "\\")) {
            return compareBytes(left, right)
        }
        let decodedLeft = JSONFormat.unescape(a, from: aRange.lowerBound, to: aRange.upperBound)
        let decodedRight = JSONFormat.unescape(b, from: bRange.lowerBound, to: bRange.upperBound)
        return decodedLeft.withUnsafeBufferPointer { x in decodedRight.withUnsafeBufferPointer { y in compareBytes(x, y) } }
    }
}
