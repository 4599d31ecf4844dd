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
    /// RethinkDB's `durability: "hard"`, SQLite's `synchronous = FULL`: the call returns once
    /// the write is synced to disk, so it survives a power loss. The default.
    ///
    /// ```swift
    /// try await accounts.insert(payment, durability: .hard)
    /// ```
    case hard
    /// RethinkDB's `durability: "soft"`, SQLite's `synchronous = NORMAL`: the call returns once
    /// the write is in the WAL file, not yet synced; it survives the process crashing, and a
    /// power loss can lose only the last soft writes. Use it for bulk loads, then `sync()`.
    ///
    /// ```swift
    /// try await logs.insert(events, durability: .soft)
    /// ```
    case soft

    /// Parses RethinkDB's option text, with its error for anything else.
    ///
    /// Front ends that receive the option as text (the CLI's `--durability`) use it, so the
    /// error is worded as RethinkDB words it.
    ///
    /// ```swift
    /// let durability = try Durability(option: "soft")   // .soft
    /// ```
    ///
    /// - Parameter text: `"hard"` or `"soft"`.
    /// - Throws: `DocumentStoreError` (`.queryLogic`) "Durability option \`fast\` unrecognized
    ///   (options are "hard" and "soft")." for any other text.
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
