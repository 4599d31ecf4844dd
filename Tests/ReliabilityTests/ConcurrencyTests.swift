import DocumentStore
import Foundation
import Testing

/// Concurrency inside one process: many tasks on one store, and two stores (two writer
/// connections, so SQLite's own locking is in play) on one file.
@Suite("Concurrency: tasks in one process")
struct ConcurrencyTests {
    @Test("Tasks on one store and on two stores of one file lose no update", arguments: [1, 2])
    func tasksLoseNothing(stores storeCount: Int) async throws {
        let scratch = try Scratch("tasks")
        let path = scratch.path("tasks.sqlite")
        let stores = try (0..<storeCount).map { _ in try DocumentStore(path: path) }
        try await stores[0].tableCreate("contend")
        let seed = TestRandom().seed
        let workers = 8
        let totals = try await withThrowingTaskGroup(of: (Int, Contender.Totals).self) { group in
            for worker in 0..<workers {
                var contender = Contender(table: stores[worker % storeCount].table("contend"), worker: worker, keys: 6,
                                          random: TestRandom(seed: seed &+ UInt64(worker)))
                group.addTask {
                    // A thrown error (a `busy` one included) fails the test: none may reach us.
                    (worker, try await contender.run(ops: 150))
                }
            }
            var all: [Int: Contender.Totals] = [:]
            for try await (worker, result) in group { all[worker] = result }
            return all
        }
        try await Contender.check(stores[0].table("contend"), workers: totals)
    }

    /// Measured in a process of its own (the crash writer's `longwrite` mode): in this one,
    /// other tests keep the cooperative thread pool busy, and a get would wait for a thread,
    /// not for the write.
    @Test("A 200,000-document insert does not block gets, and readers never see part of it")
    func longWriteDoesNotBlockReads() async throws {
        let scratch = try Scratch("long-write")
        let result = try await runToEnd(try Executable.url("docstore-crashwriter"), ["longwrite", "--db", scratch.path("long.sqlite")],
                                        in: scratch, timeout: .seconds(300))
        try #require(result.status == 0, "\(result.stderr)")
        let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("RESULT ") })
        var fields: [String: String] = [:]
        for pair in line.split(separator: " ").dropFirst() {
            let parts = pair.split(separator: "=", maxSplits: 1)
            fields[String(parts[0])] = parts.count == 2 ? String(parts[1]) : ""
        }
        let seconds = try #require(Double(fields["seconds"] ?? ""))
        let gets = try #require(Int(fields["gets"] ?? ""))
        let slowest = try #require(Double(fields["slowest"] ?? ""))
        print("reliability: 200,000-document insert took \(seconds) s; \(gets) gets ran beside it, the slowest \(slowest) s")
        #expect(fields["inserted"] == "200000")
        #expect(gets >= 20, "only \(gets) gets completed during a write of \(seconds) s")
        // A get that waited for the write would take about as long as the write.
        #expect(slowest < seconds / 4, "a get waited \(slowest) s during a write of \(seconds) s")
        // The uncommitted documents are invisible: every count is all before or all after.
        let counts = Set((fields["counts"] ?? "").split(separator: ",").compactMap { Int($0) })
        #expect(counts.isSubset(of: [1000, 201_000]), "a reader saw a partial write: counts \(counts.sorted())")
    }
}

/// Concurrency across processes on one file: crash writers in `contend` mode, tasks of this
/// process, and `docstore insert` commands, all at once, with SQLite's locks between them.
/// Under the default settings (a 5 s busy timeout) no caller may see "database is locked".
@Suite("Concurrency: processes on one file")
struct MultiProcessTests {
    @Test("Four writer processes and two tasks on a new file lose no update")
    func processesAndTasks() async throws {
        let scratch = try Scratch("processes")
        let path = scratch.path("shared.sqlite")
        let seed = TestRandom().seed
        let writer = try Executable.url("docstore-crashwriter")
        // Started together on a file that does not exist yet: they race to create it, migrate
        // it and create the table.
        let children = try (0..<4).map { worker in
            try ChildProcess(writer, ["contend", "--db", path, "--worker", "\(worker)", "--keys", "6", "--ops", "300",
                                      "--seed", "\(seed)"], in: scratch, label: "worker\(worker)")
        }
        let store = try await Self.open(path)
        let local = try await withThrowingTaskGroup(of: (Int, Contender.Totals).self) { group in
            for worker in 4..<6 {
                var contender = Contender(table: store.table("contend"), worker: worker, keys: 6,
                                          random: TestRandom(seed: seed &+ UInt64(worker)))
                group.addTask { (worker, try await contender.run(ops: 300)) }
            }
            var all: [Int: Contender.Totals] = [:]
            for try await (worker, totals) in group { all[worker] = totals }
            return all
        }
        var totals = local
        for (worker, child) in children.enumerated() {
            let status = await child.wait(timeout: .seconds(120))
            #expect(status == 0, "worker \(worker) failed: \(child.stderr)")
            #expect(!child.stderr.contains("locked"), "worker \(worker): \(child.stderr)")
            totals[worker] = try Self.totals(child.stdout)
        }
        try await Contender.check(store.table("contend"), workers: totals)
    }

    @Test("Six docstore insert commands on overlapping keys add up, in every conflict mode")
    func parallelCommands() async throws {
        let scratch = try Scratch("commands")
        let docstore = try Executable.url("docstore")
        let keys = 200
        // Each round: six processes at once on the same 200 keys; the first creates the table.
        for (round, conflict) in ["update", "error", "replace"].enumerated() {
            let children = try (0..<6).map { process in
                let documents = (0..<keys).map { #"{"id": "k\#(round)-\#($0)", "p\#(process)": \#(process), "by": \#(process)}"# }
                let file = scratch.path("round\(round)-\(process).ndjson")
                try documents.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
                return try ChildProcess(docstore, ["--db", scratch.path("shared.sqlite"), "insert", "items", file, "--conflict", conflict],
                                        in: scratch, label: "round\(round)-\(process)")
            }
            var inserted = 0, replaced = 0, errors = 0
            for (process, child) in children.enumerated() {
                let status = await child.wait(timeout: .seconds(120))
                #expect(status == 0, "round \(round) process \(process): \(child.stderr)")
                #expect(!child.stderr.contains("locked"), "\(child.stderr)")
                guard status == 0 else { continue }
                let result = try Document(parsing: child.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
                inserted += result["inserted"]?.intValue ?? 0
                replaced += (result["replaced"]?.intValue ?? 0) + (result["unchanged"]?.intValue ?? 0)
                errors += result["errors"]?.intValue ?? 0
            }
            // Each key is inserted by exactly one process; the five others replace, merge or
            // are refused.
            #expect(inserted == keys, "round \(round) (\(conflict)): \(inserted) inserted")
            #expect(replaced + errors == keys * 5, "round \(round) (\(conflict)): \(replaced) replaced, \(errors) errors")
            if conflict == "error" { #expect(errors == keys * 5) }
        }
        let store = try DocumentStore(path: scratch.path("shared.sqlite"))
        let table = store.table("items")
        #expect(try await table.count() == keys * 3)
        for index in 0..<keys {
            // Merged: every process's field is there.
            let merged = try #require(try await table.get(.string("k0-\(index)")))
            #expect((0..<6).allSatisfy { merged["p\($0)"] == .number(Double($0)) }, "lost merge: \(merged)")
            // Replaced: exactly one process's document, whole.
            let replaced = try #require(try await table.get(.string("k2-\(index)")))
            let by = try #require(replaced["by"]?.intValue)
            #expect(replaced == ["id": .string("k2-\(index)"), .init(stringLiteral: "p\(by)"): .number(Double(by)), "by": .number(Double(by))])
        }
    }

    /// Opens the file once one of the workers has created it (they race to).
    static func open(_ path: String) async throws -> DocumentStore {
        for _ in 0..<2000 {
            if FileManager.default.fileExists(atPath: path),
               let store = try? DocumentStore(path: path), (try? await store.table("contend").primaryKey()) != nil {
                return store
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw ShellFailure(command: "open \(path)", output: "no worker created the table")
    }

    /// The totals a `contend` worker printed.
    static func totals(_ output: String) throws -> Contender.Totals {
        var totals = Contender.Totals()
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.first == "TOTAL" {
                for field in fields.dropFirst() {
                    let pair = field.split(separator: "=")
                    let value = Int(pair[1]) ?? -1
                    switch pair[0] {
                    case "increments": totals.increments = value
                    case "claims": totals.claims = value
                    case "refused": totals.refused = value
                    case "attempts": totals.attempts = value
                    default: break
                    }
                }
            } else if fields.first == "MERGED", let pair = fields.last?.split(separator: "="), pair.count == 2 {
                totals.merged[String(pair[0])] = Int(pair[1])
            }
        }
        return totals
    }
}
