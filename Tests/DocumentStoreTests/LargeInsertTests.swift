import Foundation
import Testing
@testable import DocumentStore

/// Inserts large enough to be parsed on a second thread, chunk by chunk, while the writer
/// stores the chunk before (one call, one transaction).
@Suite("Large inserts")
struct LargeInsertTests {
    /// JSON text of `count` documents `{"id": i, "n": i}` (an array), past the pipeline threshold.
    static func arrayText(count: Int, extra: (Int) -> String = { _ in "" }) -> [UInt8] {
        var text = "["
        for index in 0..<count {
            if index > 0 { text += "," }
            text += "{\"id\":\(index),\"n\":\(index),\"pad\":\"\(String(repeating: "x", count: 300))\"\(extra(index))}"
        }
        return Array((text + "]").utf8)
    }

    @Test("A large array is inserted whole, in one transaction")
    func largeArrayInserted() async throws {
        try await withMarvel { marvel, _ in
            let text = Self.arrayText(count: 6000)
            #expect(text.count > Table.pipelineBytes)
            let result = try await marvel.insert(json: text)
            #expect(result.inserted == 6000)
            #expect(result.errors == 0)
            #expect(try await marvel.count() == 6000)
            #expect(try await marvel.get(5999)?["n"] == 5999)
        }
    }

    @Test("A syntax error at the end of a large input writes nothing")
    func syntaxErrorAtTheEndWritesNothing() async throws {
        try await withMarvel { marvel, _ in
            var text = Self.arrayText(count: 6000)
            text.removeLast()          // drop the closing bracket
            text.append(contentsOf: Array(",{\"id\": }]".utf8))
            await #expect(throws: JSONSyntaxError.self) {
                try await marvel.insert(json: text)
            }
            let count = try await marvel.count()
            #expect(count == 0)
        }
    }

    @Test("Duplicate keys in different chunks are applied in input order")
    func duplicatesAcrossChunks() async throws {
        try await withMarvel { marvel, _ in
            var documents: [Document] = (0..<5000).map { ["id": .number(Double($0)), "version": 1] }
            documents.append(["id": 3, "version": 2])
            let result = try await marvel.insert(documents, conflict: .replace, returnChanges: .on)
            #expect(result.inserted == 5000)
            #expect(result.replaced == 1)
            #expect(result.changes?.count == 5001)
            #expect(result.changes?.last == WriteResult.Change(oldValue: ["id": 3, "version": 1], newValue: ["id": 3, "version": 2]))
            #expect(try await marvel.get(3)?["version"] == 2)
        }
    }

    @Test("Generated keys of a large input are listed in input order")
    func generatedKeysInOrder() async throws {
        try await withMarvel { marvel, _ in
            let documents: [Document] = (0..<5000).map { ["n": .number(Double($0))] }
            let result = try await marvel.insert(documents)
            let keys = try #require(result.generatedKeys)
            #expect(keys.count == 5000)
            for index in [0, 2047, 2048, 4999] {
                #expect(try await marvel.get(.string(keys[index]))?["n"] == .number(Double(index)))
            }
        }
    }

    @Test("A failing document in a later chunk is counted and the others are written")
    func failureInLaterChunk() async throws {
        try await withMarvel { marvel, _ in
            let text = Self.arrayText(count: 6000) { $0 == 5000 ? ",\"bad\":1e999" : "" }
            let result = try await marvel.insert(json: text)
            #expect(result.inserted == 5999)
            #expect(result.errors == 1)
            #expect(result.firstError == "Non-finite number: inf")
        }
    }
}
