// docstore-crashwriter: a child process for the reliability tests. It writes through the
// DocumentStore library and reports every acknowledged write on stdout, so a parent can kill
// it at any moment and check afterwards that nothing it was told about is missing.
//
//   docstore-crashwriter write   --db PATH --run N [--seed S] [--durability hard|soft] [--ops N] [--indexes 1] [--writers W]
//   docstore-crashwriter contend --db PATH --worker W [--keys K] [--ops N] [--indexes 1]
//
// With --indexes 1 the table has secondary indexes (see IndexedTable), which every write
// maintains; `write` also drops and rebuilds one of them at the start of every third run, so
// that kills land inside index builds too.
//   docstore-crashwriter longwrite --db PATH
//   docstore-crashwriter feedwrite --db PATH --table T [--ops N] [--interval-ms M] [--durability hard|soft]
//   docstore-crashwriter feedread --db PATH --table T [--ops N]
//
// Exit codes: 0 done, 2 the library returned a result the model did not expect, 64 usage.
#if canImport(Glibc)
import Glibc
#endif
import DocumentStore

let arguments = Array(CommandLine.arguments.dropFirst())
guard let mode = arguments.first, let options = Options(Array(arguments.dropFirst())) else {
    LineOutput.error("usage: docstore-crashwriter write|contend|longwrite|feedwrite|feedread --db PATH [--run N] [--seed S] [--worker W] [--durability hard|soft] [--keys K] [--ops N]")
    exit(64)
}

do {
    switch mode {
    case "write" where options.writers == 1:
        var writer = CrashWriter(options: options, table: try await CrashWriter.table(for: options))
        try await writer.run()
    case "write":
        // Concurrent writers on one store: their calls meet in the writer's group commits.
        let table = try await CrashWriter.table(for: options)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<options.writers {
                group.addTask {
                    var writer = CrashWriter(options: options, table: table, lane: lane)
                    try await writer.run()
                }
            }
            try await group.waitForAll()
        }
    case "contend":
        try await ContendWriter(options: options).run()
    case "longwrite":
        try await LongWrite(options: options).run()
    case "feedwrite":
        try await FeedWriter(options: options).run()
    case "feedread":
        try await FeedReader(options: options).run()
    default:
        LineOutput.error("unknown mode \(mode)")
        exit(64)
    }
} catch let failure as ModelMismatch {
    LineOutput.error("MISMATCH \(failure.description)")
    exit(2)
} catch {
    // A DocumentStoreError here is a real failure (busy, storage): the parent reports it.
    LineOutput.error("ERROR \(error)")
    exit(1)
}
LineOutput.line("DONE")
exit(0)

/// The command line, `--name value` pairs only.
struct Options {
    var db = ""
    var run = 0
    var seed: UInt64 = 1
    var worker = 0
    var durability = Durability.hard
    var keys = 16
    var ops = Int.max
    var table = ""
    var intervalMilliseconds = 20
    var indexes = false
    var writers = 1

    init?(_ arguments: [String]) {
        var index = 0
        while index + 1 < arguments.count {
            let value = arguments[index + 1]
            switch arguments[index] {
            case "--db": db = value
            case "--run": guard let number = Int(value) else { return nil }; run = number
            case "--seed": guard let number = UInt64(value) else { return nil }; seed = number
            case "--worker": guard let number = Int(value) else { return nil }; worker = number
            case "--durability": guard let level = Durability(rawValue: value) else { return nil }; durability = level
            case "--keys": guard let number = Int(value), number > 0 else { return nil }; keys = number
            case "--ops": guard let number = Int(value), number >= 0 else { return nil }; ops = number
            case "--table": table = value
            case "--interval-ms": guard let number = Int(value), number >= 0 else { return nil }; intervalMilliseconds = number
            case "--indexes": indexes = value == "1"
            case "--writers": guard let number = Int(value), number > 0 else { return nil }; writers = number
            default: return nil
            }
            index += 2
        }
        if index != arguments.count || db.isEmpty { return nil }
    }
}

/// Lines on stdout, each one `write(2)` call: a SIGKILL can cut the process between two lines
/// but the parent never sees a line the process did not finish printing. No stdio buffering,
/// so there is nothing to flush and nothing lost in a buffer.
enum LineOutput {
    static func line(_ text: String) {
        write(fd: 1, Array((text + "\n").utf8))
    }

    static func error(_ text: String) {
        write(fd: 2, Array(("docstore-crashwriter: " + text + "\n").utf8))
    }

    private static func write(fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

/// FNV-1a over the canonical JSON text: equal documents have equal text (keys sorted, shortest
/// numbers), so equal checksums. The reliability tests compute the same function.
func checksum(_ document: Document) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in document.jsonBytes {
        hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

/// SplitMix64: a seeded generator, so a failing run can be replayed with the same seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The library said something the writer's model of the table does not allow.
struct ModelMismatch: Error, CustomStringConvertible {
    let description: String
}

/// Opens the store and makes sure the table exists (with its indexes, for `indexes`); another
/// run (or process) may have created them already, even between the check and the create.
func openTable(_ path: String, name: String, indexes: Bool = false) async throws -> Table {
    var configuration = DocumentStore.Configuration()
    // Small build steps, so that an index build spans many transactions and kills land in it.
    if indexes { configuration.indexBuildChunkSize = 20 }
    let store = try DocumentStore(path: path, configuration: configuration)
    do {
        try await store.tableCreate(name)
    } catch let error as DocumentStoreError where error.code == .opFailed {
        // Already there: created by an earlier run or another process.
    }
    let table = store.table(name)
    if indexes {
        for (index, function, multi) in IndexedTable.indexes {
            do {
                try await table.indexCreate(index, function, multi: multi)
            } catch let error as DocumentStoreError where error.code == .opFailed {
                // Already there.
            }
        }
    }
    return table
}

/// The indexes of an indexed crash table: a number, a string (long ones, with NULs and
/// control characters, so keys are cut), a multi index over an array with a null in it
/// (skipped) and repeated values across documents, and, for `contend`, the fields it writes.
enum IndexedTable {
    static let indexes: [(String, IndexFunction, Bool)] = [
        ("run", .field("run"), false), ("text", .field("text"), false), ("list", .field("nested", "list"), true),
        ("hits", .field("hits"), false), ("writer", .field("writer"), false),
    ]
    /// Dropped and built again on a populated table at the start of every third run.
    static let rebuilt = "v"
}
