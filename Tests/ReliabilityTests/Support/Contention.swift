import DocumentStore
import Foundation
import Testing

/// One in-process contender: the same mix as the crash writer's `contend` mode (counters by a
/// conflict function, merges, replaces, claims with `conflict: error`, reads), with the totals
/// it needs to be checked against the table afterwards.
struct Contender {
    let table: Table
    let worker: Int
    let keys: Int
    var random: TestRandom

    struct Totals: Sendable {
        var increments = 0
        var claims = 0
        var refused = 0
        var attempts = 0
        var merged: [String: Int] = [:]
    }

    mutating func run(ops: Int) async throws -> Totals {
        var totals = Totals()
        for op in 1...ops {
            let picked = Array(Set((0..<(1 + Int(random.next() % 4))).map { _ in Int(random.next() % UInt64(keys)) })).sorted()
            switch random.next() % 5 {
            case 0:
                let documents: [Document] = picked.map { ["id": .string("c\($0)"), "hits": 1] }
                let result = try await table.insert(documents, conflict: .resolve { _, old, _ in
                    var updated = old
                    updated["hits"] = .number((old["hits"]?.doubleValue ?? 0) + 1)
                    return updated
                })
                #expect(result.inserted + result.replaced == documents.count)
                totals.increments += documents.count
            case 1:
                var documents: [Document] = []
                for key in picked {
                    var patch: Document = ["id": .string("m\(key)")]
                    patch["w\(worker)"] = .number(Double(op))
                    documents.append(patch)
                    totals.merged["m\(key)"] = op
                }
                let result = try await table.insert(documents, conflict: .update)
                #expect(result.inserted + result.replaced == documents.count)
            case 2:
                let documents: [Document] = picked.map { ["id": .string("r\($0)"), "writer": .number(Double(worker)), "op": .number(Double(op))] }
                let result = try await table.insert(documents, conflict: .replace)
                #expect(result.inserted + result.replaced == documents.count)
            case 3:
                let result = try await table.insert(["id": .string("e\(totals.attempts)"), "worker": .number(Double(worker))])
                totals.attempts += 1
                #expect(result.inserted + result.errors == 1)
                totals.claims += result.inserted
                totals.refused += result.errors
            default:
                for key in picked {
                    for prefix in ["c", "m", "r", "e"] {
                        if let document = try await table.get(.string("\(prefix)\(key)")) {
                            #expect(document["id"] == .string("\(prefix)\(key)"))
                        }
                    }
                }
            }
        }
        return totals
    }

    /// Reads the table and checks it against every worker's totals: no increment, merge or
    /// claim lost, none counted twice.
    static func check(_ table: Table, workers: [Int: Totals]) async throws {
        var hits = 0.0
        var claimed = 0
        var documents: [String: Document] = [:]
        for try await document in table.documents() {
            let key = try #require(document["id"]?.stringValue)
            documents[key] = document
            if key.hasPrefix("c") { hits += document["hits"]?.doubleValue ?? 0 }
            if key.hasPrefix("e") { claimed += 1 }
            if key.hasPrefix("r") {
                #expect(document["writer"]?.doubleValue != nil && document["op"]?.doubleValue != nil, "\(document)")
            }
        }
        let increments = workers.values.reduce(0) { $0 + $1.increments }
        #expect(hits == Double(increments), "counters: \(hits) hits for \(increments) increments")
        let claims = workers.values.reduce(0) { $0 + $1.claims }
        let attempts = workers.values.map(\.attempts).max() ?? 0
        #expect(claimed == claims && claims == attempts, "claims: \(claimed) rows, \(claims) inserted, \(attempts) keys tried")
        #expect(workers.values.reduce(0) { $0 + $1.claims + $1.refused } == workers.values.reduce(0) { $0 + $1.attempts })
        for (worker, totals) in workers {
            for (key, op) in totals.merged {
                #expect(documents[key]?["w\(worker)"] == .number(Double(op)), "merge of worker \(worker) into \(key) lost")
            }
        }
    }
}
