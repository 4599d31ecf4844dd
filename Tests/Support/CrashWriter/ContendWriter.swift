import DocumentStore
import Synchronization

/// `contend` mode: one of several processes writing the same few keys of one file at once,
/// each conflict mode on keys of its own kind so that the totals can be added up afterwards:
///
/// - `c<i>`: counters, incremented by a conflict function (`hits` must end at the number of
///   increments all workers made: a lost update shows as a smaller sum);
/// - `m<i>`: merged with `conflict: update`, each worker its own field `w<worker>` (every
///   worker's last value must be there);
/// - `r<i>`: replaced whole (each stored document must be one some worker wrote);
/// - `e<n>`: claimed with `conflict: error` in order by every worker (each key is inserted
///   exactly once over all workers, the other attempts are refused as duplicates);
/// - and reads of all of them in between.
///
/// At the end it prints `TOTAL increments=… claims=… refused=…` and `MERGED <key>=<op>` for the
/// last value it merged into each key. Any thrown error (a `busy` one included) exits 1.
struct ContendWriter {
    let options: Options

    func run() async throws {
        let table = try await openTable(options.db, name: options.table.isEmpty ? "contend" : options.table, indexes: options.indexes)
        var random = SeededGenerator(seed: options.seed &* 7919 &+ UInt64(options.worker))
        let worker = options.worker
        let keyCount = options.keys
        var increments = 0
        var claims = 0
        var refused = 0
        var nextClaim = 0
        var merged: [String: Int] = [:]
        LineOutput.line("READY")
        let total = options.ops == .max ? 200 : options.ops
        for op in 1...max(1, total) {
            let keys = (0..<(1 + Int(random.next() % 4))).map { _ in Int(random.next() % UInt64(keyCount)) }
            let distinct = Array(Set(keys)).sorted()
            switch random.next() % 5 {
            case 0:
                let documents: [Document] = distinct.map { ["id": .string("c\($0)"), "hits": 1] }
                let result = try await table.insert(documents, conflict: .resolve { _, old, _ in
                    var updated = old
                    updated["hits"] = .number((old["hits"]?.doubleValue ?? 0) + 1)
                    return updated
                })
                try expect(result.inserted + result.replaced == documents.count, op, result)
                increments += documents.count
            case 1:
                var documents: [Document] = []
                for key in distinct {
                    var patch: Document = ["id": .string("m\(key)")]
                    patch["w\(worker)"] = .number(Double(op))
                    documents.append(patch)
                    merged["m\(key)"] = op
                }
                let result = try await table.insert(documents, conflict: .update)
                try expect(result.inserted + result.replaced == documents.count, op, result)
            case 2:
                let documents: [Document] = distinct.map {
                    ["id": .string("r\($0)"), "writer": .number(Double(worker)), "op": .number(Double(op))]
                }
                let result = try await table.insert(documents, conflict: .replace)
                try expect(result.inserted + result.replaced == documents.count, op, result)
            case 3:
                let key = "e\(nextClaim)"
                nextClaim += 1
                let result = try await table.insert(["id": .string(key), "worker": .number(Double(worker))])
                try expect(result.inserted + result.errors == 1, op, result)
                claims += result.inserted
                refused += result.errors
            default:
                for key in distinct {
                    for prefix in ["c", "m", "r", "e"] {
                        if let document = try await table.get(.string("\(prefix)\(key)")) {
                            try expect(document["id"] == .string("\(prefix)\(key)"), op, WriteResult())
                        }
                    }
                }
            }
        }
        LineOutput.line("TOTAL increments=\(increments) claims=\(claims) refused=\(refused) attempts=\(nextClaim)")
        for (key, op) in merged.sorted(by: { $0.key < $1.key }) {
            LineOutput.line("MERGED \(key)=\(op)")
        }
    }

    private func expect(_ condition: Bool, _ op: Int, _ result: WriteResult) throws {
        if !condition {
            throw ModelMismatch(description: "worker \(options.worker) op \(op): \(result.jsonString)")
        }
    }
}

/// `longwrite` mode: one 200,000-document insert (one transaction) while this process keeps
/// reading with `get` and `count`; prints how the reads fared:
///
///     RESULT inserted=200000 seconds=1.4 gets=51080 slowest=0.004 counts=1000,201000
///
/// It runs as a process of its own so that the measure is of the store, not of a test runner
/// whose thread pool other tests keep busy.
struct LongWrite {
    let options: Options

    func run() async throws {
        let store = try DocumentStore(path: options.db)
        try await store.tableCreate("big")
        let table = store.table("big")
        try await table.insert((0..<1000).map { ["id": .number(Double($0)), "before": true] })
        // NDJSON: one call and one transaction, without the 100,000-element limit of an array.
        var text = ""
        for index in 0..<200_000 {
            text += #"{"id":\#(1000 + index),"payload":"\#(index)-abcdefghijklmnopqrstuvwxyz"}"# + "\n"
        }
        let ndjson = Array(text.utf8)
        let writing = Atomic<Bool>(true)
        let started = ContinuousClock.now
        let insert = Task {
            defer { writing.store(false, ordering: .sequentiallyConsistent) }
            return try await table.insert(ndjson: ndjson)
        }
        var gets = 0
        var slowest = Duration.zero
        var counts = Set<Int>()
        while writing.load(ordering: .sequentiallyConsistent) {
            let before = ContinuousClock.now
            let document = try await table.get(.number(Double(gets % 1000)))
            if document?["before"] != true { throw ModelMismatch(description: "get \(gets % 1000) read \(String(describing: document))") }
            counts.insert(try await table.count())
            slowest = max(slowest, ContinuousClock.now - before)
            gets += 1
        }
        let result = try await insert.value
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        let countList = counts.sorted().map(String.init).joined(separator: ",")
        LineOutput.line("RESULT inserted=\(result.inserted) seconds=\(seconds) gets=\(gets) slowest=\(slowest / .seconds(1)) counts=\(countList)")
    }
}
