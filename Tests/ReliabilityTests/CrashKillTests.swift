import DocumentStore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Crash safety: a child writes through the library and is SIGKILLed at random moments; after
/// each kill the file is reopened and every acknowledged document must be there, intact, the
/// unacknowledged last write must be all there or not at all, every row must parse, and
/// `PRAGMA integrity_check` must say `ok`.
///
/// 20 kills by default; `RELIABILITY_KILLS=200 swift test --filter ReliabilityTests` is the
/// long mode. RELIABILITY_SEED replays a run (the seed is printed).
@Suite("Crash safety: SIGKILL during library writes", .serialized)
struct CrashKillTests {
    static var kills: Int { environmentInt("RELIABILITY_KILLS", default: 20) }

    @Test("Every acknowledged write survives SIGKILL of the writing process", arguments: Durability.allCases)
    func killLoop(durability: Durability) async throws {
        try await Self.killLoop(durability: durability, writers: 1)
    }

    /// Eight writers in one process: their calls share group commits, so kills land inside
    /// groups of several calls, each acknowledged only once its group's commit returned.
    @Test("Every acknowledged write of concurrent writers survives SIGKILL during their group commits",
          arguments: Durability.allCases)
    func concurrentKillLoop(durability: Durability) async throws {
        try await Self.killLoop(durability: durability, writers: 8)
    }

    static func killLoop(durability: Durability, writers: Int) async throws {
        // Soft writes skip the fsync, but a killed process loses nothing the kernel has: the
        // WAL frames are in the page cache. Half the kills suffice to show it.
        let kills = durability == .hard ? Self.kills : max(10, Self.kills / 2)
        var random = TestRandom()
        let scratch = try Scratch("crash-\(durability)-\(writers)")
        let path = scratch.path("crash.sqlite")
        let writer = try Executable.url("docstore-crashwriter")
        var model = CrashModel(table: "crash")
        var stats = CrashStats()
        for run in 0..<kills {
            let child = try ChildProcess(writer, ["write", "--db", path, "--run", "\(run)", "--seed", "\(random.seed)",
                                                  "--durability", durability.rawValue, "--writers", "\(writers)"],
                                         in: scratch, label: "run\(run)")
            try await Self.kill(child, at: &random, run: run)
            let log = try AckLog(child.stdout)
            try await model.check(run: run, log: log, path: path, prefix: "r\(run)-", scratch: scratch, stats: &stats)
            stats.kills += 1
        }
        try await model.checkEverything(path: path, scratch: scratch)
        stats.report("library, \(durability) durability, \(writers) writer(s), seed \(random.seed)")
        #expect(stats.lost == 0)
    }
}

extension CrashKillTests {
    /// SIGKILLs the writer at a random moment: one kill in eight during start-up (open,
    /// migration, table creation), the others up to 400 ms after it said READY.
    static func kill(_ child: ChildProcess, at random: inout TestRandom, run: Int) async throws {
        if random.next() % 8 == 0 {
            try await Task.sleep(for: .milliseconds(Int(random.next() % 40)))
        } else {
            _ = await child.waitFor("READY")
            try await Task.sleep(for: .milliseconds(Int(random.next() % 400)))
        }
        child.signal(SIGKILL)
        let status = await child.wait()
        try #require(status == 128 + SIGKILL, "the writer ended by itself (status \(status)) in run \(run): \(child.stderr)")
    }
}

/// Figures for the closing note, printed at the end of each kill loop.
struct CrashStats {
    var kills = 0
    var writes = 0
    var documents = 0
    var pendingApplied = 0
    var lost = 0

    func report(_ label: String) {
        print("reliability: \(label): \(kills) kills survived, \(writes) writes acknowledged (\(documents) documents), \(pendingApplied) unacknowledged writes found committed, \(lost) acknowledged lost")
    }
}

/// The table's expected contents across runs, and the checks made after each kill.
struct CrashModel {
    let table: String
    /// Every key written by an earlier run, with the checksum the table holds for it.
    private(set) var expected: [String: String] = [:]

    init(table: String) { self.table = table }

    /// Reopens the file with the library (WAL recovery happens here), reads every key the run
    /// mentioned, checks them against the log, then checks the file with the sqlite3 shell.
    mutating func check(run: Int, log: AckLog, path: String, prefix: String, scratch: Scratch,
                        stats: inout CrashStats) async throws {
        let keys = RunCheck.keys(log)
        let (actual, count) = try await Self.read(path: path, table: table, keys: keys)
        let problems = RunCheck.problems(log: log, actual: actual)
        #expect(problems.isEmpty, "run \(run): \(problems.prefix(10))")
        stats.lost += problems.count
        stats.writes += log.acknowledged.count
        stats.documents += log.acknowledgedDocuments
        for pending in log.pendingWrites where !pending.expected.isEmpty
            && pending.expected.allSatisfy({ (actual[$0.key] ?? nil) == $0.checksum }) {
            stats.pendingApplied += 1
        }
        for (key, checksum) in actual {
            if let checksum { expected[key] = checksum }
        }
        // No earlier run's row may have gone, and no row may exist that nobody wrote.
        #expect(count == expected.count, "run \(run): \(count) rows, \(expected.count) expected")

        let integrity = try await sqlite3(path, "PRAGMA integrity_check", in: scratch)
        #expect(integrity == "ok\n", "run \(run): integrity_check said \(integrity)")
        guard try await Self.tableExists(path, table, scratch: scratch) else {
            #expect(expected.isEmpty)
            return
        }
        let rows = try await sqlite3(path, "SELECT doc FROM \(table) WHERE id >= '\(prefix)' AND id < '\(prefix.dropLast()).'", in: scratch)
        var seen = 0
        for line in rows.split(separator: "\n") {
            let document = try #require(try? Document(parsing: String(line)), "run \(run): a row does not parse: \(line.prefix(200))")
            let key = document["id"]?.stringValue ?? ""
            #expect(expected[key] == checksum(document), "run \(run): row \(key) differs from what the library read")
            seen += 1
        }
        #expect(seen == actual.values.filter { $0 != nil }.count, "run \(run): \(seen) rows of this run in the file")
    }

    /// After the last kill: the whole table, row by row, against everything acknowledged.
    func checkEverything(path: String, scratch: Scratch) async throws {
        guard try await Self.tableExists(path, table, scratch: scratch) else { return }
        let rows = try await sqlite3(path, "SELECT doc FROM \(table)", in: scratch)
        var found: [String: String] = [:]
        for line in rows.split(separator: "\n") {
            let document = try #require(try? Document(parsing: String(line)), "a row does not parse: \(line.prefix(200))")
            found[document["id"]?.stringValue ?? ""] = checksum(document)
        }
        #expect(found == expected, "the final table differs from the acknowledged writes")
        #expect(try await sqlite3(path, "PRAGMA integrity_check", in: scratch) == "ok\n")
    }

    static func read(path: String, table name: String, keys: Set<String>) async throws -> ([String: String?], Int) {
        let store = try DocumentStore(path: path)
        let table = store.table(name)
        guard (try? await table.primaryKey()) != nil else {
            return (Dictionary(uniqueKeysWithValues: keys.map { ($0, String?.none) }), 0)
        }
        var actual: [String: String?] = [:]
        for key in keys {
            actual[key] = try await table.get(.string(key)).map(checksum)
        }
        return (actual, try await table.count())
    }

    static func tableExists(_ path: String, _ table: String, scratch: Scratch) async throws -> Bool {
        try await sqlite3(path, "SELECT count(*) FROM sqlite_master WHERE name = '\(table)'", in: scratch) == "1\n"
    }
}
