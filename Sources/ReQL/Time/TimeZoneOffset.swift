/// A time's timezone as ReQL keeps it: a fixed offset from UTC, written `+hh:mm` or `-hh:mm`.
///
/// RethinkDB has no named zones and no daylight-saving rules: `in_timezone("-07")`, `r.time(...,
/// "+0530")` and an ISO 8601 string's `Z` all become one canonical text, which is what a time
/// pseudotype stores and what `timezone()` returns. Parsing follows RethinkDB's sanitizer
/// (`pseudo_time.cc`), message for message, because drivers show those messages to users.
///
/// ```swift
/// try TimeZoneOffset("-07").text     // "-07:00"
/// try TimeZoneOffset("Z").minutes    // 0
/// try TimeZoneOffset("+25:00")       // throws "Hours out of range in `+25:00`."
/// ```
package struct TimeZoneOffset: Sendable, Equatable {
    /// The canonical text, `±hh:mm`.
    package let text: String
    /// Minutes east of UTC.
    package let minutes: Int

    package static let utc = TimeZoneOffset(text: "+00:00", minutes: 0)

    private init(text: String, minutes: Int) {
        self.text = text
        self.minutes = minutes
    }

    /// Parses `+hh:mm`, `-hh:mm`, `+hhmm`, `-hhmm`, `+hh`, `-hh` or `Z`.
    package init(_ raw: String) throws(ReqlError) {
        guard raw != "-00" && raw != "-00:00" else {
            throw TimeText.error("`\(raw)` is not a valid time offset.")
        }
        if raw == "Z" {
            self = .utc
            return
        }
        var scanner = TimeText.Scanner(raw)
        guard let sign = scanner.take(anyOf: "-+") else {
            throw TimeText.error("Timezone `\(raw)` does not start with `-` or `+`.")
        }
        let hours = try scanner.digits(2)
        var minutes = "00"
        if !scanner.isAtEnd {
            _ = scanner.take(anyOf: ":")
            minutes = try scanner.digits(2)
            guard scanner.isAtEnd else {
                throw TimeText.error("Garbage characters `\(scanner.rest)` at end of timezone string `\(raw)`.")
            }
        }
        let hourValue = Int(hours) ?? 0, minuteValue = Int(minutes) ?? 0
        // RethinkDB allows 00..24 hours (so `+24:59` passes) and 00..59 minutes.
        guard hourValue <= 24 else { throw TimeText.error("Hours out of range in `\(raw)`.") }
        guard minuteValue <= 59 else { throw TimeText.error("Minutes out of range in `\(raw)`.") }
        text = "\(sign)\(hours):\(minutes)"
        self.minutes = (sign == "-" ? -1 : 1) * (hourValue * 60 + minuteValue)
    }

    /// Whether `raw` is a timezone RethinkDB accepts, in any of its spellings.
    package static func isValid(_ raw: String) -> Bool {
        (try? TimeZoneOffset(raw)) != nil
    }
}

/// The text side of RethinkDB's time handling: the character scanner its sanitizers share, and
/// the messages they throw.
package enum TimeText {
    static func error(_ message: String) -> ReqlError {
        .runtime(.queryLogic, message)
    }

    /// Walks a string the way RethinkDB's `sanitize` helpers do, with their messages.
    struct Scanner {
        let text: String
        private let characters: [Character]
        private(set) var position = 0

        init(_ text: String) {
            self.text = text
            characters = Array(text)
        }

        var isAtEnd: Bool { position >= characters.count }
        var remaining: Int { characters.count - position }
        var rest: String { String(characters[min(position, characters.count)...]) }

        /// Exactly `count` digits (`mandatory_digits`): running out of text gives RethinkDB's
        /// timezone message, whatever is being parsed, as RethinkDB does.
        mutating func digits(_ count: Int) throws(ReqlError) -> String {
            var out = ""
            for _ in 0..<count {
                guard position < characters.count else {
                    throw TimeText.error("Invalid time zone string `\(text)`. Valid time zones are `+hh:mm`, `-hh:mm`, `+hhmm`, `-hhmm`, `+hh`, `-hh` and `Z`.")
                }
                let character = characters[position]
                position += 1
                guard character.isASCII, character.isNumber else {
                    throw TimeText.error("Invalid date string `\(text)` (got `\(character)` but expected a digit).")
                }
                out.append(character)
            }
            return out
        }

        /// Consumes the next character when it is one of `options`.
        mutating func take(anyOf options: String) -> Character? {
            guard position < characters.count, options.contains(characters[position]) else { return nil }
            defer { position += 1 }
            return characters[position]
        }
    }
}
