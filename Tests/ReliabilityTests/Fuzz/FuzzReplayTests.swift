import DocumentStore
import Foundation
import Testing

@testable import DocumentStoreServer

/// The fuzz targets' checks (JSONFuzzCheck, ProtocolFuzzCheck) run on the seed corpus and on
/// every input a fuzzer ever found a crash with (`Fuzz/regressions/<target>/`, kept forever).
/// `Fuzz/run.sh SECONDS` runs the fuzzers themselves.
@Suite("Fuzzing: seeds and saved crashes replay cleanly")
struct FuzzReplayTests {
    static let fuzzDirectory = Executable.packageRoot.appendingPathComponent("Fuzz")

    /// `corpus/<target>/<name>` and `regressions/<target>/<name>`, relative to Fuzz/.
    static func inputs(_ target: String) -> [String] {
        ["corpus", "regressions"].flatMap { folder in
            let directory = fuzzDirectory.appendingPathComponent("\(folder)/\(target)")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            return names.filter { !$0.hasPrefix(".") }.sorted().map { "\(folder)/\(target)/\($0)" }
        }
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fuzzDirectory.appendingPathComponent(name)))
    }

    @Test("JSON inputs keep the parser's invariants", arguments: inputs("json"))
    func json(_ name: String) throws {
        JSONFuzzCheck.check(try Self.bytes(name))
    }

    @Test("Protocol inputs keep the handshake's and the frame decoder's invariants", arguments: inputs("protocol"))
    func wireProtocol(_ name: String) throws {
        ProtocolFuzzCheck.check(try Self.bytes(name))
    }

    @Test("The seeds hold a JSON case for each target and a handshake that authenticates")
    func seedsReachTheDecoder() throws {
        #expect(Self.inputs("json").count >= 10)
        let seed = try Self.bytes("corpus/protocol/handshake-then-queries")
        let step = ProtocolFuzzCheck.handshake([Array(seed.dropFirst())])
        guard case .authenticated(let user, let leftover) = step.verdict else {
            Issue.record("the seed handshake does not authenticate: \(step.verdict); rerun Fuzz/make_corpus.py")
            return
        }
        #expect(user == "admin")
        #expect(ProtocolFuzzCheck.frames([leftover]).count == 9)
    }
}
