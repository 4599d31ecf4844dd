import ArgumentParser
import DocumentStore

/// `--desc` and `--limit`, which `between` and `scan` share.
struct RangeOptions: ParsableArguments {
    @Flag(help: "Largest index value first (RethinkDB's r.desc).")
    var desc = false

    // `.unconditional`: `--limit -1` reaches `limit()`, which gives RethinkDB's text, instead of
    // ArgumentParser taking -1 for an option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Print at most this many documents.", valueName: "n"))
    var limit: Int?

    /// The limit, or RethinkDB's "LIMIT takes a non-negative argument (got -1)".
    func checkedLimit() throws -> Int? {
        if let limit, limit < 0 { throw CommandFailure("LIMIT takes a non-negative argument (got \(limit))") }
        return limit
    }

    /// Pages no larger than the limit, so `--limit 10` reads ten entries, not a full page.
    static func pageSize(for limit: Int?) -> Int {
        min(1000, max(1, limit ?? 1000))
    }
}
