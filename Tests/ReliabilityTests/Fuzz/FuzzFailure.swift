// Compiled into both fuzz targets (Fuzz/run.sh) and into the test suite.

/// Stops with a message: under libFuzzer a crash whose input is saved, in the test suite (which
/// replays those inputs) a failed run that names the invariant.
func fuzzFailure(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError("fuzz invariant broken: " + message, file: file, line: line)
}

/// A deterministic way to cut an input into pieces: the same input is always cut the same way,
/// so a crash replays exactly.
struct FuzzSplitter {
    private var state: UInt64

    init(seed: UInt8) { state = UInt64(seed) &+ 0x9E37_79B9_7F4A_7C15 }

    /// The next piece length, 1...max.
    mutating func next(max: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return 1 + Int((state >> 33) % UInt64(Swift.max(1, max)))
    }

    /// `bytes` cut into pieces of 1 to 64 bytes.
    mutating func pieces(_ bytes: ArraySlice<UInt8>) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = Swift.min(bytes.endIndex, start + next(max: 64))
            result.append(Array(bytes[start..<end]))
            start = end
        }
        return result
    }
}
