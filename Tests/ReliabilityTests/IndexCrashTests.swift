import DocumentStore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Secondary indexes under crashes and several processes: whatever happens, once the file is
/// opened again (and unfinished builds are finished) each index's entry table holds exactly
/// the entries its documents give, computed here from the documents the sqlite3 shell reads.
@Suite("Crash safety of secondary indexes", .serialized)
struct IndexCrashTests {
    static var kills: Int { environmentInt("RELIABILITY_KILLS", default: 20) / 2 }

    /// What each index of the crash writer's indexed table computes (see `IndexedTable`).
    static let indexes: [(name: String, path: [String], multi: Bool)] = [
        ("run", ["run"], false), ("text", ["text"], false), ("list", ["nested", "list"], true),
        ("hits", ["hits"], false), ("writer", ["writer"], false), ("v", ["v"], false),
    ]

    @Test("SIGKILL during indexed writes and index builds leaves entries that match the documents")
    func killDuringIndexedWrites() async throws {
        var random = TestRandom()
        let scratch = try Scratch("index-crash")
        let path = scratch.path("crash.sqlite")
        let writer = try Executable.url("docstore-crashwriter")
        var model = CrashModel(table: "crash")
        var stats = CrashStats()
        var interruptedBuilds = 0
        for run in 0..<Self.kills {
            let child = try ChildProcess(writer, ["write", "--db", path, "--run", "\(run)", "--seed", "\(random.seed)", "--indexes", "1"],
                                         in: scratch, label: "run\(run)")
            try await CrashKillTests.kill(child, at: &random, run: run)
            if try await sqlite3(path, "SELECT count(*) FROM \"docstore$indexes\" WHERE ready = 0", in: scratch) != "0\n" {
                interruptedBuilds += 1
            }
            // The documents survive as without indexes...
            let log = try AckLog(child.stdout)
            try await model.check(run: run, log: log, path: path, prefix: "r\(run)-", scratch: scratch, stats: &stats)
            // ...and every index matches them, once a build the kill stopped is finished.
            try await Self.expectExact(path: path, table: "crash", scratch: scratch, label: "run \(run)")
            stats.kills += 1
        }
        stats.report("indexed table, seed \(random.seed), \(interruptedBuilds) kills during an index build")
        #expect(stats.lost == 0)
    }

    @Test("Processes and tasks writing one indexed table at once keep its entries exact")
    func processesOnIndexedTable() async throws {
        let scratch = try Scratch("index-processes")
        let path = scratch.path("shared.sqlite")
        let seed = TestRandom().seed
        let writer = try Executable.url("docstore-crashwriter")
        let children = try (0..<3).map { worker in
            try ChildProcess(writer, ["contend", "--db", path, "--worker", "\(worker)", "--keys", "6", "--ops", "200",
                                      "--seed", "\(seed)", "--indexes", "1"], in: scratch, label: "worker\(worker)")
        }
        let store = try await MultiProcessTests.open(path)
        let table = store.table("contend")
        // A second store in this process, on the same file, writing beside the processes.
        let second = try DocumentStore(path: path).table("contend")
        var local = Contender(table: second, worker: 3, keys: 6, random: TestRandom(seed: seed &+ 3))
        var totals: [Int: Contender.Totals] = [3: try await local.run(ops: 200)]
        for (worker, child) in children.enumerated() {
            let status = await child.wait(timeout: .seconds(120))
            #expect(status == 0, "worker \(worker) failed: \(child.stderr)")
            totals[worker] = try MultiProcessTests.totals(child.stdout)
        }
        try await Contender.check(table, workers: totals)
        _ = try await table.indexWait()
        try await Self.expectExact(path: path, table: "contend", scratch: scratch, label: "contend")
    }

    /// Opens the file with the library, waits for every index, and compares each entry table,
    /// row by row, with the entries computed from the table's documents.
    static func expectExact(path: String, table: String, scratch: Scratch, label: String) async throws {
        let store = try DocumentStore(path: path)
        guard (try? await store.table(table).primaryKey()) != nil else { return }
        let statuses = try await store.table(table).indexWait()
        let unready = statuses.filter { !$0.ready }.map(\.index)
        #expect(unready.isEmpty, "\(label): not ready after indexWait: \(unready)")
        let rows = try await sqlite3(path, "SELECT doc FROM \(table)", in: scratch)
        let documents = try rows.split(separator: "\n").map { try Document(parsing: String($0)) }
        for index in indexes where statuses.contains(where: { $0.index == index.name }) {
            let storage = try await sqlite3(path, "SELECT storage FROM \"docstore$indexes\" WHERE table_name = '\(table)' AND name = '\(index.name)'", in: scratch)
                .trimmingCharacters(in: .newlines)
            let actual = try await sqlite3(path, "SELECT quote(id), tag, value FROM \"\(storage)\"", in: scratch)
            let actualRows = actual.split(separator: "\n").map(String.init)
            let expected = Self.expected(documents, path: index.path, multi: index.multi)
            #expect(actualRows.count == expected.count, "\(label): index \(index.name) has \(actualRows.count) entries, \(expected.count) expected")
            #expect(Set(actualRows) == Set(expected), "\(label): index \(index.name) differs from its documents")
        }
    }

    /// The entry rows (`quote(id)|tag|value`) RethinkDB's rules give: the value at `path`, none
    /// for a missing field, null or an object; for multi, one per such element of an array.
    static func expected(_ documents: [Document], path: [String], multi: Bool) -> [String] {
        var rows: [String] = []
        for document in documents {
            var value: Document? = document
            for field in path { value = value?.objectValue?[field] }
            guard let value, let id = document["id"]?.stringValue else { continue }
            let quoted = "'" + id.replacingOccurrences(of: "'", with: "''") + "'"
            if multi, case .array(let elements) = value {
                for (position, element) in elements.enumerated() where indexable(element) {
                    rows.append("\(quoted)|\(position)|\(element.jsonString)")
                }
            } else if indexable(value) {
                rows.append("\(quoted)|0|\(value.jsonString)")
            }
        }
        return rows
    }

    static func indexable(_ value: Document) -> Bool {
        switch value {
        case .null: return false
        case .object(let object): return ["TIME", "BINARY"].contains(object["$reql_type$"]?.stringValue ?? "")
        case .array(let elements): return elements.allSatisfy(indexable)
        default: return true
        }
    }
}
