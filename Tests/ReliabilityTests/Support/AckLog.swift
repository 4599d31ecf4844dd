import DocumentStore
import Foundation

/// What a writer child printed before it was killed, read back by the test.
///
/// Writers announce each write before making it and acknowledge it once the call returned:
///
///     INTENT <op> <kind> <key>=<checksum> ...      (the Swift crash writer)
///     INTENTJSON <op> <JSON array of documents>    (the Python writer: whole documents)
///     ACK <op>
///
/// Only complete lines count: the kill may cut the last one short. A writer makes one write
/// at a time, so each of its INTENTs but the last has its ACK; a child running several writers
/// at once (`--writers`, each with its own ops and keys) may leave one unacknowledged write per
/// writer. Each may or may not have committed, and the table must show all of it or none of it.
struct AckLog {
    struct Write {
        let op: Int
        /// The checksum each touched key must have once the write is in.
        var expected: [(key: String, checksum: String)]
    }

    private(set) var acknowledged: [Write] = []
    /// The writes announced and not acknowledged, in announcement order.
    private(set) var pendingWrites: [Write] = []
    var pending: Write? { pendingWrites.last }
    private(set) var sawReady = false

    var acknowledgedDocuments: Int { acknowledged.reduce(0) { $0 + $1.expected.count } }

    /// Each key's checksum after all acknowledged writes.
    var confirmed: [String: String] {
        var state: [String: String] = [:]
        for write in acknowledged {
            for (key, checksum) in write.expected { state[key] = checksum }
        }
        return state
    }

    init(_ text: String) throws {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // After the last "\n" comes "" when the output ended cleanly, or a cut line.
        lines.removeLast()
        var current: [Int: Write] = [:]
        var order: [Int] = []
        for line in lines {
            let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            switch fields.first {
            case "READY":
                sawReady = true
            case "INTENT":
                guard fields.count >= 2, let op = Int(fields[1]) else { throw Malformed(line: String(line)) }
                let pairs = fields.count == 3 ? fields[2].split(separator: " ").dropFirst() : []
                order.append(op)
                current[op] = Write(op: op, expected: try pairs.map { pair in
                    let parts = pair.split(separator: "=")
                    guard parts.count == 2 else { throw Malformed(line: String(line)) }
                    return (String(parts[0]), String(parts[1]))
                })
            case "INTENTJSON":
                guard fields.count == 3, let op = Int(fields[1]),
                      case .array(let documents) = try Document(parsing: String(fields[2])) else {
                    throw Malformed(line: String(line))
                }
                order.append(op)
                current[op] = Write(op: op, expected: documents.map { ($0["id"]?.stringValue ?? "?", checksum($0)) })
            case "ACK":
                guard fields.count == 2, let op = Int(fields[1]), let write = current.removeValue(forKey: op) else {
                    throw Malformed(line: String(line))
                }
                acknowledged.append(write)
            default:
                // DONE, and anything a writer prints for people.
                break
            }
        }
        pendingWrites = order.compactMap { current[$0] }
    }

    struct Malformed: Error, CustomStringConvertible {
        let line: String
        var description: String { "malformed writer line: \(line.prefix(200))" }
    }
}

/// FNV-1a over the canonical JSON text, as the crash writer computes it.
func checksum(_ document: Document) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in document.jsonBytes {
        hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

/// Compares what one run's writer reported with what the table holds for that run's keys.
enum RunCheck {
    /// `actual` maps every key the log mentions to the checksum found (nil: absent). Returns
    /// the problems: an acknowledged document missing or different, or the unacknowledged last
    /// write applied in part.
    static func problems(log: AckLog, actual: [String: String?]) -> [String] {
        var problems: [String] = []
        let confirmed = log.confirmed
        let pendingKeys = Set(log.pendingWrites.flatMap { $0.expected.map(\.key) })
        for (key, checksum) in confirmed where !pendingKeys.contains(key) {
            let found = actual[key] ?? nil
            if found != checksum {
                problems.append("acknowledged \(key): expected \(checksum), found \(found ?? "nothing")")
            }
        }
        for pending in log.pendingWrites where !pending.expected.isEmpty {
            let applied = pending.expected.allSatisfy { (actual[$0.key] ?? nil) == $0.checksum }
            let notApplied = pending.expected.allSatisfy { (actual[$0.key] ?? nil) == confirmed[$0.key] }
            if !applied && !notApplied {
                let detail = pending.expected.prefix(5).map { "\($0.key): intended \($0.checksum), before \(confirmed[$0.key] ?? "nothing"), found \((actual[$0.key] ?? nil) ?? "nothing")" }
                problems.append("unacknowledged write \(pending.op) is half applied: \(detail.joined(separator: "; "))")
            }
        }
        return problems
    }

    /// Every key the log mentions.
    static func keys(_ log: AckLog) -> Set<String> {
        var keys = Set(log.acknowledged.flatMap { $0.expected.map(\.key) })
        keys.formUnion(log.pendingWrites.flatMap { $0.expected.map(\.key) })
        return keys
    }
}
