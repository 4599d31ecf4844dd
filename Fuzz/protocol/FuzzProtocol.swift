// libFuzzer's entry point for the wire-protocol target: the V1_0 handshake state machine, the
// query frame decoder and the query envelope parser. The checks live in
// Tests/ReliabilityTests/Fuzz/ProtocolFuzzCheck.swift, so that the test suite replays them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProtocol(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    ProtocolFuzzCheck.check(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
