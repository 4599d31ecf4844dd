import DocumentStore
import Foundation
import ReQL
import Synchronization

/// Who this server is in the `rethinkdb` tables: its id (a UUID made on first start and kept
/// in the data directory, as RethinkDB keeps its own in its metadata), its name (kept there
/// too once renamed through `server_config`), its tags and when it started.
///
/// ```swift
/// let identity = try ServerIdentity(directory: "/var/lib/docstore", defaultName: "docstore")
/// identity.id   // the same after every restart
/// ```
final class ServerIdentity: Sendable {
    let id: String
    let started: Date
    private let file: String
    private let state: Mutex<Stored>

    /// What the data directory keeps: the id, and the name and tags once `server_config`
    /// changed them (until then the configured name shows, so `--server-name` still works).
    private struct Stored: Codable {
        var id: String
        var name: String?
        var tags: [String]?
    }

    /// The RethinkDB version whose behaviour DocStore's server follows, and DocStore's own.
    static let rethinkVersion = "2.4.4"
    static let docStoreVersion = "0.1.0"
    /// `process.version` as RethinkDB's tools read it: they want `rethinkdb X.Y.Z` first.
    static var versionText: String { "rethinkdb \(rethinkVersion) (DocStore \(docStoreVersion))" }

    private let defaultName: String

    init(directory: String, defaultName: String) throws {
        file = (directory as NSString).appendingPathComponent("server.json")
        self.defaultName = defaultName
        started = Date()
        var stored: Stored
        if let data = FileManager.default.contents(atPath: file), let decoded = try? JSONDecoder().decode(Stored.self, from: data) {
            stored = decoded
        } else {
            stored = Stored(id: UUID().uuidString.lowercased())
            try Self.save(stored, to: file)
        }
        id = stored.id
        state = Mutex(stored)
    }

    var name: String { state.withLock { $0.name ?? defaultName } }
    var tags: [String] { state.withLock { $0.tags ?? ["default"] } }

    /// Renames the server and sets its tags, kept for the next start.
    func update(name: String, tags: [String]) throws(ReqlError) {
        let stored = state.withLock { stored in
            stored.name = name
            stored.tags = tags
            return stored
        }
        do {
            try Self.save(stored, to: file)
        } catch {
            throw .runtime(.opFailed, "Could not save the server's configuration: \(error.localizedDescription)")
        }
    }

    private static func save(_ stored: Stored, to file: String) throws {
        // `.atomic` writes beside and renames over, so a crash never leaves half a file (and
        // with it a new id on the next start).
        try JSONEncoder().encode(stored).write(to: URL(fileURLWithPath: file), options: .atomic)
    }

    /// Seconds since the server started.
    var uptime: Double { Date().timeIntervalSince(started) }

    /// RethinkDB's rule for server names (and tags): letters, digits, `_` and `-`.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte == 0x5f || byte == 0x2d
        }
    }
}
