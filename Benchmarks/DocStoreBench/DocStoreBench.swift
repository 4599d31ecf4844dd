import DocumentStore
import Foundation

// DocStore's write-path benchmarks, one measurement per process (as the C baseline measures
// one mode per process). Prints one JSON line: {"mode":...,"seconds":...,...}.
//
//   docstore-bench bulk     DOCS.ndjson DB [--soft] [--uuid7] [--indexes] [--changes]
//                                                    insert the file in one call (--changes: into a
//                                                    table whose change log is on; --cache-kib N:
//                                                    the writer's page cache, 64 MiB by default)
//   docstore-bench upsert   BASE.ndjson UPSERT.ndjson DB --conflict replace|update
//   docstore-bench single   DOCS.ndjson DB --count N [--soft]   N inserts, one call each
//   docstore-bench prepare-reads | reads ...                   the index reads (IndexBench.swift)
//   docstore-bench feed-latency DB [--count N] [--interval-ms M]   feed latency across processes (FeedBench.swift)
//
// Setup (reading the file, loading the base of an upsert) is outside the timed part.

@main
struct DocStoreBench {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let mode = arguments.first else { usage() }
        let options = Options(arguments.dropFirst())
        switch mode {
        case "bulk": try await bulk(options)
        case "upsert": try await upsert(options)
        case "single": try await single(options)
        case "prepare-reads": try await prepareReads(options)
        case "reads": try await reads(options)
        case "feed-latency": try await feedLatency(options)
        case "feed-write": try await feedWrite(options)
        default: usage()
        }
    }

    static func usage() -> Never {
        FileHandle.standardError.write(Data("usage: docstore-bench bulk|upsert|single|prepare-reads|reads FILES... DB [options]\n".utf8))
        exit(64)
    }

    /// The file as one JSON array text: the newlines between documents become commas.
    static func arrayText(_ path: String) throws -> [UInt8] {
        var text: [UInt8] = [UInt8(ascii: "[")]
        text.append(contentsOf: try Data(contentsOf: URL(fileURLWithPath: path)))
        while text.last == UInt8(ascii: "\n") { text.removeLast() }
        for index in text.indices where text[index] == UInt8(ascii: "\n") { text[index] = UInt8(ascii: ",") }
        text.append(UInt8(ascii: "]"))
        return text
    }

    static func freshStore(_ path: String, keys: DocumentStore.KeyGeneration = .uuidV4, cacheKiB: Int? = nil) throws -> DocumentStore {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        var configuration = DocumentStore.Configuration()
        configuration.generatedKeys = keys
        if let cacheKiB { configuration.cacheSizeKiB = cacheKiB }
        return try DocumentStore(path: path, configuration: configuration)
    }

    static func report(_ fields: [String: Document]) {
        print(Document.object(DocumentObject(uniqueKeysWithValues: fields.map { ($0.key, $0.value) })).jsonString)
    }

    static func bulk(_ options: Options) async throws {
        let text = try arrayText(options.positional[0])
        let store = try freshStore(options.positional[1], keys: options.flag("--uuid7") ? .uuidV7 : .uuidV4,
                                   cacheKiB: options.value("--cache-kib").flatMap { Int($0) })
        try await store.tableCreate("bench")
        let indexed = options.flag("--indexes")
        if indexed { try await createBenchIndexes(store.table("bench")) }
        let logged = options.flag("--changes")
        if logged { try await store.table("bench").setChangeLog(.on()) }
        let durability: Durability = options.flag("--soft") ? .soft : .hard
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await store.table("bench").insert(json: text, options: InsertOptions(durability: durability))
        let seconds = (clock.now - start).seconds
        report(["mode": "bulk", "seconds": .number(seconds), "inserted": .number(Double(result.inserted)),
                "errors": .number(Double(result.errors)), "durability": .string(durability.rawValue),
                "keys": .string(options.flag("--uuid7") ? "uuid7" : "given-or-uuid4"), "indexes": .number(indexed ? 3 : 0),
                "change_log": .bool(logged)])
    }

    static func upsert(_ options: Options) async throws {
        let base = try arrayText(options.positional[0])
        let changes = try arrayText(options.positional[1])
        let store = try freshStore(options.positional[2])
        try await store.tableCreate("bench")
        let table = store.table("bench")
        try await table.insert(json: base, options: InsertOptions(durability: .soft))
        try await table.sync()
        let conflict = try ConflictStrategy(option: options.value("--conflict") ?? "replace")
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await table.insert(json: changes, options: InsertOptions(conflict: conflict, durability: .hard))
        let seconds = (clock.now - start).seconds
        report(["mode": .string("upsert-" + (options.value("--conflict") ?? "replace")), "seconds": .number(seconds),
                "inserted": .number(Double(result.inserted)), "replaced": .number(Double(result.replaced)),
                "unchanged": .number(Double(result.unchanged)), "errors": .number(Double(result.errors))])
    }

    static func single(_ options: Options) async throws {
        let lines = try String(contentsOfFile: options.positional[0], encoding: .utf8).split(separator: "\n")
        let count = Int(options.value("--count") ?? "1000") ?? 1000
        let documents = lines.prefix(count).map { Array($0.utf8) }
        let store = try freshStore(options.positional[1])
        try await store.tableCreate("bench")
        let table = store.table("bench")
        let durability: Durability = options.flag("--soft") ? .soft : .hard
        let clock = ContinuousClock()
        let start = clock.now
        let run = { @Sendable () async throws -> Int in
            var inserted = 0
            for document in documents {
                inserted += try await table.insert(json: document, options: InsertOptions(durability: durability)).inserted
            }
            return inserted
        }
        // --on-writer: the loop's task runs on the writer's thread, so no call hops threads.
        let onWriter = options.flag("--on-writer")
        let inserted = onWriter ? try await withTaskExecutorPreference(store.writeExecutor, operation: run) : try await run()
        let seconds = (clock.now - start).seconds
        report(["mode": .string("single-" + durability.rawValue + (onWriter ? "-on-writer" : "")), "seconds": .number(seconds),
                "inserted": .number(Double(inserted)), "per_insert_ms": .number(seconds * 1000 / Double(max(1, inserted)))])
    }
}

/// Positional arguments and `--name value` / `--flag` options.
struct Options {
    var positional: [String] = []
    var named: [String: String] = [:]
    var flags: Set<String> = []

    init(_ arguments: ArraySlice<String>) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            if ["--conflict", "--count", "--lookups", "--interval-ms", "--cache-kib"].contains(argument) {
                named[argument] = iterator.next()
            } else if argument.hasPrefix("--") {
                flags.insert(argument)
            } else {
                positional.append(argument)
            }
        }
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }
    func value(_ name: String) -> String? { named[name] }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
