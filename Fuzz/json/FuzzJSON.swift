// libFuzzer's entry point for the JSON target: the library's parser and the preparation of an
// insert (`Document(parsing:)`, `insert(json:)`, `insert(ndjson:)`). The checks live in
// Tests/ReliabilityTests/Fuzz/JSONFuzzCheck.swift, so that the test suite replays them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    JSONFuzzCheck.check(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
