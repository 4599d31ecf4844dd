import DocumentModel
/// How long a write waits before it counts as done, RethinkDB's `durability` option.
///
/// DocStore keeps its file in WAL mode and maps the two levels onto `PRAGMA synchronous`:
///
/// - ``hard`` (`synchronous = FULL`): the WAL is synced to disk before the call returns, so an
///   acknowledged write survives a power loss. It is the default, as in RethinkDB.
/// - ``soft`` (`synchronous = NORMAL`): the call returns once the write is in the WAL file; it
///   survives the application crashing, but a power loss may take the last soft writes (never
///   earlier ones, and never leaving the file corrupt). It is several times faster per commit.
///
/// ```swift
/// try await marvel.insert(heroes, durability: .soft)   // bulk load, fast
/// try await marvel.sync()                              // now make it all durable
/// ```
///
/// A call without the option uses the table's default (set by `tableCreate(_:durability:)`).
public enum Durability: String, Sendable, Codable, CaseIterable {
    case hard
    case soft

    /// Parses RethinkDB's option text, with its error for anything else.
    public init(option text: String) throws {
        guard let value = Durability(rawValue: text) else {
            throw DocumentStoreError(.queryLogic, "Durability option `\(text)` unrecognized (options are \"hard\" and \"soft\").")
        }
        self = value
    }

    var synchronous: SQLiteConnection.Synchronous {
        self == .hard ? .full : .normal
    }
}
