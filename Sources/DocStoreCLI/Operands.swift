import ArgumentParser
import DocumentStore

/// The operands after the table (`KEY`, `KEY DOCUMENT` for update and replace, `VALUE...` for
/// `get --index`, `LOW HIGH` for between), read so that a negative number is a key:
/// `docstore get scores -1` needs no `--`.
///
/// ArgumentParser reads any word that starts with `-` as an option, `-1` included, before any
/// positional argument sees it. The commands therefore collect their operands with
/// `@Argument(parsing: .allUnrecognized)` (which still lets every known option, `--db`,
/// `--help` and the rest, stand anywhere) and check them here with ArgumentParser's own wording.
enum Operands {
    /// The operands named `names`, in order.
    ///
    /// - Throws: a `ValidationError` (exit 64): "Missing expected argument '<key>'", "Unexpected
    ///   argument ...", or "Unknown option ..." for a dash word that is not a number and comes
    ///   before any `--` (after it, every word is an operand).
    static func exactly(_ names: [String], in captured: [String]) throws -> [String] {
        let operands = try collect(captured)
        if operands.count < names.count {
            throw ValidationError("Missing expected argument '<\(names[operands.count])>'")
        }
        if operands.count > names.count {
            throw ValidationError("Unexpected argument '\(operands[names.count])'")
        }
        return operands
    }

    /// One or more operands called `name` (`VALUE...`), checked as ``exactly(_:in:)`` checks.
    static func atLeastOne(_ name: String, in captured: [String]) throws -> [String] {
        let operands = try collect(captured)
        if operands.isEmpty { throw ValidationError("Missing expected argument '<\(name)> ...'") }
        return operands
    }

    /// The operands in order, `--` dropped; a dash word before it that is not a number is an
    /// unknown option.
    private static func collect(_ captured: [String]) throws -> [String] {
        var operands: [String] = []
        var afterTerminator = false
        for word in captured {
            if word == "--" && !afterTerminator {
                afterTerminator = true
                continue
            }
            if !afterTerminator && isOptionLike(word) {
                throw ValidationError("Unknown option '\(word)'")
            }
            operands.append(word)
        }
        return operands
    }

    /// A word ArgumentParser would have taken for an option: a dash followed by anything but a
    /// JSON number (`-` alone is standard input or a key, and `-1.5e3` is a number).
    static func isOptionLike(_ word: String) -> Bool {
        guard word.hasPrefix("-"), word != "-" else { return false }
        guard let value = try? Document(parsing: word), case .number = value else { return true }
        return false
    }
}
