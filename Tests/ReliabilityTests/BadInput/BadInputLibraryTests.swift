import Foundation
import Testing
@testable import DocumentStore

/// The bad-input catalogue through the library, one input at a time, each on a file holding
/// a table `t` with two documents: the error must be the one listed (RethinkDB's text where
/// it has one), and the file's `.dump` and integrity check must not change.
@Suite("Bad input: the catalogue through the library")
struct BadInputLibraryTests {
    @Test("Each bad input gets its clear error and leaves the file unchanged", arguments: BadInputCatalogue.all)
    func refused(_ bad: BadInput) async throws {
        let scratch = try Scratch("bad-input")
        let path = scratch.path("bad.sqlite")
        do {
            let store = try DocumentStore(path: path)
            try await store.tableCreate("t")
            try await store.table("t").insert([["id": 1, "name": "seed"], ["id": "two", "list": [1, 2]]])
        }
        let before = try await DiskState.read(path, scratch: scratch)
        #expect(before.integrity == "ok\n")
        do {
            let store = try DocumentStore(path: path)
            let table = store.table("t")
            switch bad.input {
            case .json(let bytes):
                try await Self.expect(bad.outcome) { try await table.insert(json: bytes) }
            case .document(let document):
                try await Self.expect(bad.outcome) { try await table.insert(document) }
            case .key(let key):
                try await Self.expect(bad.outcome) { _ = try await table.get(key); return nil }
            case .tableName(let name):
                let named = store.table(name)
                if case .callError(.queryLogic, _) = bad.outcome {
                    try await Self.expect(bad.outcome) { _ = try await store.tableCreate(name); return nil }
                }
                try await Self.expect(bad.outcome) { try await named.insert(["id": 9]) }
                try await Self.expect(bad.outcome) { try await named.insert(json: #"{"id": 9}"#) }
                try await Self.expect(bad.outcome) { _ = try await named.get(1); return nil }
                try await Self.expect(bad.outcome) { _ = try await store.tableDrop(name); return nil }
            case .call(let body):
                try await Self.expect(bad.outcome) { try await body(table); return nil }
            }
        }
        #expect(try await DiskState.read(path, scratch: scratch) == before, "\(bad.name) changed the file")
    }

    /// Runs `body` and checks it did what `outcome` says.
    static func expect(_ outcome: BadInput.Outcome, sourceLocation: SourceLocation = #_sourceLocation,
                       _ body: () async throws -> WriteResult?) async throws {
        switch outcome {
        case .syntax(let line, let column, let reason):
            let error = try await #require(throws: JSONSyntaxError.self, sourceLocation: sourceLocation) { _ = try await body() }
            #expect(error.reason == reason, sourceLocation: sourceLocation)
            #expect(error.line == line && error.column == column, "at \(error.line):\(error.column)", sourceLocation: sourceLocation)
            #expect(error.description == "Invalid JSON at line \(line), column \(column): \(reason).", sourceLocation: sourceLocation)
        case .documentError(let message):
            let result = try #require(try await body(), sourceLocation: sourceLocation)
            #expect(result.errors == 1 && result.inserted == 0 && result.replaced == 0, "\(result.jsonString)",
                    sourceLocation: sourceLocation)
            #expect(result.firstError == message, sourceLocation: sourceLocation)
        case .callError(let code, let message):
            let error = try await #require(throws: DocumentStoreError.self, sourceLocation: sourceLocation) { _ = try await body() }
            #expect(error.message == message, sourceLocation: sourceLocation)
            #expect(error.code == code, sourceLocation: sourceLocation)
        }
    }

    @Test("Parsing alone gives the same syntax errors as inserting", arguments: BadInputCatalogue.syntax + BadInputCatalogue.nesting)
    func parsing(_ bad: BadInput) throws {
        guard case .json(let bytes) = bad.input, case .syntax(let line, let column, let reason) = bad.outcome else { return }
        // A document parsed alone has no enclosing batch array: only the depth cases, which
        // count that array, sit one column further on.
        let error = try #require(throws: JSONSyntaxError.self) { try Document(parsing: bytes) }
        #expect(error.reason == reason)
        #expect(error.line == line)
        #expect(abs(error.column - column) <= 1, "at \(error.line):\(error.column)")
    }
}

/// Extremes that are not errors: a 100 MB document is stored and read back whole, through the
/// library and the command line, and a long-lived writer keeps its WAL bounded.
@Suite("Bad input: extreme sizes")
struct LargeInputTests {
    static let size = 100 * 1024 * 1024

    /// `{"id": "large", "blob": "xyzxyz…"}` with a 100 MiB string (escapes included, so the
    /// parser's slow path runs too).
    static func largeDocument() -> [UInt8] {
        var bytes = Array(#"{"id": "large", "blob": ""#.utf8)
        bytes.reserveCapacity(size + 64)
        let block = Array(String(repeating: #"abcdefghij\n\"é"#, count: 64).utf8)
        while bytes.count < size { bytes += block }
        bytes += Array(#""}"#.utf8)
        return bytes
    }

    @Test("A 100 MB document is stored and read back whole through the library")
    func library() async throws {
        let scratch = try Scratch("large")
        let path = scratch.path("large.sqlite")
        let store = try DocumentStore(path: path)
        try await store.tableCreate("t")
        let bytes = Self.largeDocument()
        let result = try await store.table("t").insert(json: bytes)
        #expect(result.inserted == 1)
        let stored = try #require(try await store.table("t").get("large"))
        #expect(stored == (try Document(parsing: bytes)))
        let length = try await sqlite3(path, "SELECT length(CAST(doc AS BLOB)) FROM t", in: scratch)
        #expect((Int(length.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > Self.size * 8 / 10)
        #expect(try await sqlite3(path, "PRAGMA integrity_check", in: scratch) == "ok\n")
    }

    @Test("A 100 MB document is stored through docstore insert from a file")
    func commandLine() async throws {
        let scratch = try Scratch("large-cli")
        let input = scratch.path("large.json")
        try Data(Self.largeDocument()).write(to: URL(fileURLWithPath: input))
        let result = try await runToEnd(try Executable.url("docstore"), ["--db", scratch.path("large.sqlite"), "insert", "t", input], in: scratch)
        #expect(result.status == 0, "\(result.stderr)")
        #expect((try? Document(parsing: result.stdout))?["inserted"] == 1, "\(result.stdout)")
    }

    /// Secondary threads get 512 KiB of stack on Apple platforms (Swift concurrency's too), and
    /// the parser recurses once per level: 1,000 levels, the most it accepts, must fit. Debug
    /// builds' frames are several times larger, so they get a larger stack here.
    @Test("A document 1,000 levels deep parses, prints and compares on a small thread stack", arguments: ["[", #"{"a":"#])
    func deepDocumentOnSmallStack(opener: String) async throws {
        #if DEBUG
        let stackSize = 4 << 20
        #else
        let stackSize = 512 << 10
        #endif
        let closer = opener == "[" ? "]" : "}"
        let text = String(repeating: opener, count: 1000) + (opener == "[" ? "" : "1") + String(repeating: closer, count: 1000)
        let printed = await withCheckedContinuation { continuation in
            let thread = Thread {
                var check = DocumentCheck()
                let document = try? Document(parsing: text)
                let valid = document.map { check.validate($0) == nil && $0 == $0 } ?? false
                continuation.resume(returning: valid ? document?.jsonString : nil)
            }
            thread.stackSize = stackSize
            thread.start()
        }
        #expect(printed == text)
    }

    @Test("A writer that commits for a long time keeps its WAL bounded (checkpoints run)")
    func walStaysBounded() async throws {
        let scratch = try Scratch("wal")
        let path = scratch.path("wal.sqlite")
        let store = try DocumentStore(path: path)
        try await store.tableCreate("t")
        let table = store.table("t")
        // The default limit, in bytes of 4 KB pages; twice that much is written, in commits of
        // about 400 KB, so the log must have wrapped at least once.
        let limit = DocumentStore.Configuration().walCheckpointPages * 4096
        let pad = String(repeating: "w", count: 20_000)
        var largest = 0
        for batch in 0..<(2 * limit / 400_000) {
            try await table.insert((0..<20).map { ["id": .number(Double(batch * 20 + $0)), "pad": .string(pad)] })
            let size = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            largest = max(largest, size)
        }
        // Past the limit by one commit at most: the checkpoint runs once a commit crosses it.
        #expect(largest < limit + 2 * 1024 * 1024, "the WAL grew to \(largest) bytes: checkpoints are not running")
        #expect(try await table.count() == 20 * (2 * limit / 400_000))
    }
}
