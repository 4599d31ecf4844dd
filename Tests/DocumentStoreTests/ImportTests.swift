import Foundation
import Synchronization
import Testing
@testable import DocumentStore

/// `Table.importDocuments(from:)`: a stream committed chunk by chunk, each chunk its own
/// transaction, the results added up, and a failure that says what was committed before it.
@Suite("Importing a stream of documents")
struct ImportTests {
    static let steps = [1, 7, 4096]

    @Test("Each chunk of an NDJSON stream commits on its own, and progress sees the running totals", arguments: steps)
    func chunkedCommits(step: Int) async throws {
        try await withMarvel { marvel, _ in
            let text = (1...7).map { "{\"id\": \($0 % 4), \"n\": \($0)}" }.joined(separator: "\n")
            let seen = Mutex<[Int]>([])
            let result = try await marvel.importDocuments(from: Feeder(text, step: step).source, chunkSize: 2,
                                                          options: InsertOptions(conflict: .replace)) { total in
                seen.withLock { $0.append(total.inserted + total.replaced) }
            }
            #expect(result.inserted == 4 && result.replaced == 3 && result.errors == 0)
            #expect(seen.withLock { $0 } == [2, 4, 6, 7])
            #expect(try await marvel.count() == 4)
            #expect(try await marvel.get(3)?["n"] == 7)
        }
    }

    @Test("A JSON array stream generates keys and merges them over the chunks", arguments: steps)
    func generatedKeys(step: Int) async throws {
        try await withMarvel { marvel, _ in
            let text = "[" + (1...5).map { "{\"n\": \($0)}" }.joined(separator: ",\n") + "]"
            let result = try await marvel.importDocuments(from: Feeder(text, step: step).source, chunkSize: 2)
            #expect(result.inserted == 5)
            #expect(result.generatedKeys?.count == 5)
            #expect(Set(result.generatedKeys ?? []).count == 5)
        }
    }

    @Test("Bad JSON in the third chunk leaves the first two committed and says so", arguments: steps)
    func syntaxErrorAfterCommits(step: Int) async throws {
        try await withMarvel { marvel, _ in
            let text = "{\"id\": 1}\n{\"id\": 2}\n{\"id\": 3}\n{\"id\": 4}\n{\"id\": 5}\n{\"id\": 6,, \"x\": 1}\n{\"id\": 7}\n"
            let error = await #expect(throws: ImportError.self) {
                try await marvel.importDocuments(from: Feeder(text, step: step).source, chunkSize: 2)
            }
            #expect(error?.committed.inserted == 4)
            #expect(error?.line == 5)
            let syntax = error?.cause as? JSONSyntaxError
            #expect(syntax == JSONSyntaxError(reason: "Expected a string key in an object", offset: 59, line: 6, column: 10))
            let count = try await marvel.count()
            #expect(count == 4)
        }
    }

    @Test("A failing source ends the import with its error and what was committed")
    func sourceError() async throws {
        struct Unplugged: Error {}
        try await withMarvel { marvel, _ in
            let lines = Array("{\"id\": 1}\n{\"id\": 2}\n{\"id\": 3}\n".utf8)
            let served = Atomic<Int>(0)
            let source = DocumentSource { buffer in
                // The first two documents, then the disk goes away.
                let offset = served.load(ordering: .relaxed)
                guard offset < 20 else { throw Unplugged() }
                let count = min(buffer.count, 20 - offset)
                for index in 0..<count { buffer[index] = lines[offset + index] }
                served.add(count, ordering: .relaxed)
                return count
            }
            let error = await #expect(throws: ImportError.self) {
                try await marvel.importDocuments(from: source, chunkSize: 1)
            }
            #expect(error?.cause is Unplugged)
            #expect((error?.committed.inserted ?? 0) >= 1)
            let count = try await marvel.count()
            #expect(count == error?.committed.inserted)
        }
    }

    @Test("return_vals takes a stream of one document, and refuses two or an array before writing",
          arguments: ["{\"id\": 1,\n \"n\": 2}\n", "{\"id\": 1}\n{\"id\": 2}\n", "[{\"id\": 1}]", ""])
    func returnValues(text: String) async throws {
        try await withMarvel { marvel, _ in
            let options = InsertOptions.legacy(upsert: true, returnValues: true)
            let source = Feeder(text, step: 3).source
            if text.hasPrefix("{\"id\": 1,") {
                let result = try await marvel.importDocuments(from: source, options: options)
                #expect(result.legacyValues?.newValue == ["id": 1, "n": 2])
            } else {
                await #expect(throws: DocumentStoreError(.queryLogic, InsertOptions.multiRowReturnValues)) {
                    try await marvel.importDocuments(from: source, options: options)
                }
                #expect(try await marvel.count() == 0)
            }
        }
    }

    @Test("A missing table fails the call before anything is read")
    func missingTable() async throws {
        try await withFileStore { store, _ in
            let feeder = Feeder("{\"id\": 1}\n", step: 4096)
            let error = await #expect(throws: DocumentStoreError.self) {
                try await store.table("nope").importDocuments(from: feeder.source)
            }
            #expect(error?.message == "Table `test.nope` does not exist.")
            #expect(feeder.reads.load(ordering: .relaxed) == 0)
        }
    }

    @Test("A file descriptor source imports a file to its end")
    func fileDescriptor() async throws {
        try await withMarvel { marvel, _ in
            let directory = try TemporaryDirectory()
            let path = directory.path("docs.ndjson")
            try (1...2500).map { "{\"id\": \($0)}\n" }.joined().write(toFile: path, atomically: true, encoding: .utf8)
            let descriptor = open(path, O_RDONLY)
            defer { close(descriptor) }
            let result = try await marvel.importDocuments(from: DocumentSource(fileDescriptor: descriptor), chunkSize: 1000)
            #expect(result.inserted == 2500)
            #expect(try await marvel.count() == 2500)
        }
    }
}
