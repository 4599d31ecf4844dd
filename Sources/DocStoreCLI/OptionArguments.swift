import ArgumentParser
import DocumentStore

// The write options as ArgumentParser types: their values are listed in `--help`, and each
// turns into the library's value once, in `value()`.
//
// Parsing never fails on the text itself. An unknown value is kept and refused by the
// library's own parser when the command runs, so the message is RethinkDB's (the one
// `docstore serve` gives for the same optarg) and the exit code 1, before anything is opened:
// ArgumentParser would instead print a usage error, and for `--return-changes=sometimes`
// (an option with `defaultAsFlag`) it would silently take the flag's value.

/// `--durability`: `hard` or `soft`.
struct DurabilityArgument: ExpressibleByArgument, CustomStringConvertible {
    let text: String

    init(argument: String) { text = argument }

    static var allValueStrings: [String] { Durability.allCases.map(\.rawValue) }

    static var allValueDescriptions: [String: String] {
        ["hard": "synced to disk before the result is printed", "soft": "faster; a power loss may take the last writes"]
    }

    var description: String { text }

    /// The library's level, or RethinkDB's "Durability option ... unrecognized".
    func value() throws -> Durability { try Durability(option: text) }
}

/// `--conflict`: `error`, `replace` or `update`.
struct ConflictArgument: ExpressibleByArgument, CustomStringConvertible {
    let text: String

    init(argument: String) { text = argument }

    static var allValueStrings: [String] { ["error", "replace", "update"] }

    static var allValueDescriptions: [String: String] {
        ["error": "count the document as an error and keep the stored one",
         "replace": "store the new document as it is",
         "update": "merge the new document into the stored one"]
    }

    var description: String { text }

    /// The library's strategy, or RethinkDB's "Conflict option ... unrecognized".
    func value() throws -> ConflictStrategy { try ConflictStrategy(option: text) }
}

/// `--return-changes`: `true`, `false` or `always`; alone, `true` (RethinkDB's flag use).
struct ReturnChangesArgument: ExpressibleByArgument, CustomStringConvertible {
    let text: String

    init(argument: String) { text = argument }

    /// What a bare `--return-changes` means.
    static let bare = ReturnChangesArgument(argument: "true")

    static var allValueStrings: [String] { ["true", "false", "always"] }

    static var allValueDescriptions: [String: String] {
        ["true": "the documents that changed", "false": "no changes array", "always": "every document, failed ones included"]
    }

    var description: String { text }

    /// The library's setting, or RethinkDB's "Invalid return_changes value ...".
    func value() throws -> ReturnChanges {
        switch text {
        case "true": .on
        case "false": .off
        default: try ReturnChanges(option: .string(text))
        }
    }
}

/// `--left-bound` and `--right-bound` of `between`: `open` or `closed`.
struct BoundArgument: ExpressibleByArgument, CustomStringConvertible {
    let text: String

    init(argument: String) { text = argument }

    static var allValueStrings: [String] { ["open", "closed"] }

    static var allValueDescriptions: [String: String] {
        ["open": "the bound itself is left out", "closed": "the bound itself is included"]
    }

    var description: String { text }

    /// The library's kind, or RethinkDB's "Expected \`open\` or \`closed\` for optarg ..."
    /// naming the optarg (`left_bound`, `right_bound`) as the server would.
    func value(optarg: String) throws -> BoundKind {
        switch text {
        case "open": return .open
        case "closed": return .closed
        default: throw CommandFailure("Expected `open` or `closed` for optarg `\(optarg)` (got `\(Document.string(text).jsonString)`).")
        }
    }
}
