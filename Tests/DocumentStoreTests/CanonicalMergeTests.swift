import Testing
@testable import DocumentStore

/// The text-level merge used by `conflict: .update` must agree byte for byte with the tree
/// merge (`Document.merging`) that defines RethinkDB's semantics.
@Suite("Merging canonical text")
struct CanonicalMergeTests {
    /// A small deterministic generator, so a failure can be replayed from its seed.
    struct Generator {
        var state: UInt64

        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }

        /// Keys from a small alphabet (so documents share keys), some needing escapes.
        mutating func key() -> String {
            ["a", "b", "id", "n\"q", "tab\t", "é", "z", "\\", "A", ""][next(10)]
        }

        mutating func value(depth: Int) -> Document {
            switch next(depth > 2 ? 5 : 7) {
            case 0: return .null
            case 1: return .bool(next(2) == 0)
            case 2: return .number(Double(next(2000)) / 8 - 100)
            case 3: return .string(["", "x", "line\nbreak", "ünï"][next(4)])
            case 4: return .number(-0.0)
            case 5: return .array((0..<next(3)).map { _ in value(depth: depth + 1) })
            default: return object(depth: depth + 1)
            }
        }

        mutating func object(depth: Int) -> Document {
            var fields = DocumentObject()
            for _ in 0..<next(5) { fields[key()] = value(depth: depth) }
            return .object(fields)
        }
    }

    @Test("The text merge equals the tree merge for random documents", arguments: 0..<20)
    func agreesWithTreeMerge(seed: Int) {
        var generator = Generator(state: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        for _ in 0..<200 {
            let base = generator.object(depth: 0)
            let patch = generator.object(depth: 0)
            var merged: [UInt8] = []
            base.jsonBytes.withUnsafeBufferPointer { b in
                patch.jsonBytes.withUnsafeBufferPointer { p in CanonicalMerge.merge(b, p, into: &merged) }
            }
            let expected = base.merging(patch)
            #expect(String(decoding: merged, as: UTF8.self) == expected.jsonString,
                    "base \(base.jsonString) patch \(patch.jsonString)")
        }
    }

    @Test("Nested objects merge, arrays and scalars are replaced, nulls are kept")
    func nestedMerge() {
        let base: Document = ["id": 1, "address": ["city": "Paris", "zip": "75001"], "tags": ["a", "b"]]
        let patch: Document = ["address": ["city": "Lyon"], "tags": ["c"], "note": .null]
        var merged: [UInt8] = []
        base.jsonBytes.withUnsafeBufferPointer { b in
            patch.jsonBytes.withUnsafeBufferPointer { p in CanonicalMerge.merge(b, p, into: &merged) }
        }
        #expect(String(decoding: merged, as: UTF8.self)
                == #"{"address":{"city":"Lyon","zip":"75001"},"id":1,"note":null,"tags":["c"]}"#)
    }
}
