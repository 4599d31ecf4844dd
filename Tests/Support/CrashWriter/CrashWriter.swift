import DocumentStore

/// `write` mode: an endless (or `--ops`-long) mix of inserts, each reported twice on stdout:
///
///     INTENT <op> <kind> <key>=<checksum> ...   before the call: what the table will hold
///     ACK <op>                                  after the call returned and matched the model
///
/// A write the process was killed during has an INTENT and no ACK: the table may show it
/// entirely or not at all, never in part. Keys are `r<run>-<n>`, so each run (one process
/// between two kills) writes its own keys, and overlaps happen among them: replaced, merged,
/// resolved and refused duplicates, in single inserts and in batches of up to 1,500 documents.
struct CrashWriter {
    let table: Table
    let options: Options
    /// Which of `--writers` concurrent writers this is: its keys are `r<run>-<lane>_<n>` and its
    /// ops `lane * 100,000,000 + n`, so the lanes never touch each other's documents.
    let lane: Int?
    private var random: SeededGenerator
    /// This run's keys as the table holds them after the last acknowledged write.
    private var state: [String: Document] = [:]
    private var keys: [String] = []
    private var nextKey = 0
    private var op = 0

    init(options: Options, table: Table, lane: Int? = nil) {
        self.options = options
        self.table = table
        self.lane = lane
        random = SeededGenerator(seed: options.seed &* 1_000_003 &+ UInt64(options.run) &+ UInt64(lane ?? 0) &* 7919)
    }

    static func table(for options: Options) async throws -> Table {
        try await openTable(options.db, name: options.table.isEmpty ? "crash" : options.table, indexes: options.indexes)
    }

    private var reportedOp: Int { (lane ?? 0) * 100_000_000 + op }

    enum Kind: String, CaseIterable {
        case single, batch, replace, update, resolve, json, duplicate, big, large
    }

    /// One planned call: the documents it sends, what the table must hold afterwards for each
    /// key it touches, and the counts its result must show.
    private struct Plan {
        var kind: Kind
        var documents: [Document] = []
        var expected: [(key: String, document: Document)] = []
        var inserted = 0
        var replaced = 0
        var errors = 0
    }

    mutating func run() async throws {
        if options.indexes && options.run % 3 == 2 && (lane ?? 0) == 0 {
            // A build on a populated table, in chunks of its own transactions beside the writes
            // below: a kill may land in it, and the next open must finish it exactly.
            do {
                try await table.indexDrop(IndexedTable.rebuilt)
            } catch let error as DocumentStoreError where error.code == .opFailed {
                // Not created yet.
            }
            try await table.indexCreate(IndexedTable.rebuilt, .field("v"))
        }
        LineOutput.line("READY")
        while op < options.ops {
            op += 1
            try await step()
        }
    }

    private mutating func step() async throws {
        var plan = makePlan(kind: pickKind())
        let intent = plan.expected.map { "\($0.key)=\(checksum($0.document))" }.joined(separator: " ")
        LineOutput.line("INTENT \(reportedOp) \(plan.kind.rawValue) \(intent)")
        let result = try await perform(&plan)
        guard result.inserted == plan.inserted, result.replaced == plan.replaced, result.errors == plan.errors else {
            throw ModelMismatch(description: "op \(op) \(plan.kind): expected inserted \(plan.inserted), replaced \(plan.replaced), errors \(plan.errors); got \(result.jsonString)")
        }
        for (key, document) in plan.expected {
            if state[key] == nil { keys.append(key) }
            state[key] = document
        }
        LineOutput.line("ACK \(reportedOp)")
    }

    private mutating func pickKind() -> Kind {
        let roll = Int(random.next() % 100)
        let kind: Kind
        switch roll {
        case ..<20: kind = .single
        case ..<35: kind = .batch
        case ..<50: kind = .replace
        case ..<63: kind = .update
        case ..<73: kind = .resolve
        case ..<83: kind = .json
        case ..<88: kind = .duplicate
        case ..<94: kind = .big
        default: kind = .large
        }
        // Overwrites need something to overwrite.
        if keys.isEmpty && [.replace, .update, .resolve, .duplicate].contains(kind) { return .single }
        return kind
    }

    private mutating func makePlan(kind: Kind) -> Plan {
        var plan = Plan(kind: kind)
        switch kind {
        case .single:
            addNew(&plan, count: 1, textSize: 64)
        case .batch:
            addNew(&plan, count: 2 + Int(random.next() % 39), textSize: 128)
        case .big:
            // A long transaction, so that kills land inside one.
            addNew(&plan, count: 300 + Int(random.next() % 1201), textSize: 32)
        case .large:
            addNew(&plan, count: 1, textSize: 20_000 + Int(random.next() % 180_000))
        case .replace, .json:
            for key in existing(1 + Int(random.next() % 8)) {
                let document = makeDocument(key: key, textSize: 96)
                plan.documents.append(document)
                plan.expected.append((key, document))
                plan.replaced += 1
            }
            addNew(&plan, count: Int(random.next() % 5), textSize: 96)
        case .update:
            for key in existing(1 + Int(random.next() % 8)) {
                var patch: Document = ["id": .string(key), "v": .number(Double(op))]
                patch["p\(op)"] = ["merged": true, "text": .string(text(16))]
                plan.documents.append(patch)
                plan.expected.append((key, state[key]!.merging(patch)))
                plan.replaced += 1
            }
            addNew(&plan, count: Int(random.next() % 3), textSize: 48)
        case .resolve:
            let key = existing(1)[0]
            let document: Document = ["id": .string(key), "v": .number(Double(op))]
            plan.documents = [document]
            plan.expected = [(key, Self.resolved(old: state[key]!, new: document))]
            plan.replaced = 1
        case .duplicate:
            let key = existing(1)[0]
            plan.documents = [makeDocument(key: key, textSize: 8)]
            plan.errors = 1
        }
        return plan
    }

    private func perform(_ plan: inout Plan) async throws -> WriteResult {
        let durability = options.durability
        switch plan.kind {
        case .single, .large, .duplicate:
            return try await table.insert(plan.documents[0], durability: durability)
        case .batch, .big:
            return try await table.insert(plan.documents, durability: durability)
        case .replace:
            return try await table.insert(plan.documents, conflict: .replace, durability: durability)
        case .update:
            return try await table.insert(plan.documents, conflict: .update, durability: durability)
        case .resolve:
            return try await table.insert(plan.documents[0], conflict: .resolve { _, old, new in
                Self.resolved(old: old, new: new)
            }, durability: durability)
        case .json:
            // The text path: pretty-printed, keys unsorted, as a client would send it.
            let text = "[\n" + plan.documents.map { "  " + $0.jsonString }.joined(separator: ",\n") + "\n]"
            return try await table.insert(json: text, options: InsertOptions(conflict: .replace, durability: durability))
        }
    }

    /// The conflict function: counts hits and takes the new `v`.
    static func resolved(old: Document, new: Document) -> Document {
        var merged = old
        merged["hits"] = .number((old["hits"]?.doubleValue ?? 0) + 1)
        merged["v"] = new["v"]
        return merged
    }

    private mutating func addNew(_ plan: inout Plan, count: Int, textSize: Int) {
        for _ in 0..<count {
            let key = lane.map { "r\(options.run)-\($0)_\(nextKey)" } ?? "r\(options.run)-\(nextKey)"
            nextKey += 1
            let document = makeDocument(key: key, textSize: textSize)
            plan.documents.append(document)
            plan.expected.append((key, document))
            plan.inserted += 1
        }
    }

    /// `count` distinct keys of this run (fewer when there are fewer).
    private mutating func existing(_ count: Int) -> [String] {
        var picked: [String] = []
        var seen = Set<String>()
        for _ in 0..<min(count, keys.count) * 2 where picked.count < count {
            let key = keys[Int(random.next() % UInt64(keys.count))]
            if seen.insert(key).inserted { picked.append(key) }
        }
        return picked
    }

    private mutating func makeDocument(key: String, textSize: Int) -> Document {
        [
            "id": .string(key), "v": .number(Double(op)), "run": .number(Double(options.run)),
            "text": .string(text(textSize)),
            "nested": ["list": [1, 2.5, true, .null, "é😀"], "n": .number(Double(random.next() % 1_000_000)),
                       "deep": ["a": ["b": ["c": .string(text(4))]]]],
        ]
    }

    /// Text with what JSON must escape or encode: quotes, backslashes, control characters,
    /// NUL, two- and four-byte UTF-8.
    private mutating func text(_ count: Int) -> String {
        let alphabet: [Character] = Array("abcdefghijklmnopqrstuvwxyz 0123456789") + ["é", "😀", "\"", "\\", "\n", "\u{0}", "\u{7}"]
        var characters: [Character] = []
        // Large texts repeat a random block: the debug build would spend seconds on a megabyte
        // of random draws, and the disk does not care.
        for _ in 0..<min(count, 4096) {
            characters.append(alphabet[Int(random.next() % UInt64(alphabet.count))])
        }
        let block = String(characters)
        return count <= 4096 ? block : String(repeating: block, count: count / 4096)
    }
}
