/// `r.iso8601(...)` and `to_iso8601()`: RethinkDB's ISO 8601 reading and writing.
///
/// RethinkDB accepts calendar dates (`2013-07-30`, `20130730`, `2013-07`, `2013`) and ordinal
/// dates (`2013-211`), times with 0 or 2 colons and any number of fractional digits, and the
/// timezones of ``TimeZoneOffset``; week dates are refused with its apology. Its checks run in
/// its order with its messages (`sanitize::iso8601`, then Boost's calendar checks).
///
/// ```swift
/// try ISO8601.parse("2013-07-30T20:56:05-07:00", defaultTimezone: nil).epochTime   // 1375242965
/// try ISO8601.format(ReqlTime(epochTime: 1.444, timezone: .utc))   // "1970-01-01T00:00:01.444+00:00"
/// ```
package enum ISO8601 {
    private enum DateForm { case calendar(month: Int, day: Int), ordinal(Int) }

    /// Parses an ISO 8601 string; `defaultTimezone` applies when it has none.
    package static func parse(_ text: String, defaultTimezone: String?) throws(ReqlError) -> ReqlTime {
        let dateEnd = text.firstIndex(of: "T") ?? text.endIndex
        let (year, form) = try date(String(text[..<dateEnd]))
        var microseconds: Int64 = 0
        let zoneText = defaultTimezone ?? ""
        var explicitZone: TimeZoneOffset?
        if dateEnd < text.endIndex {
            let rest = text[text.index(after: dateEnd)...]
            // RethinkDB looks for `-`, then `+`, then `Z` to find where the timezone begins.
            let zoneStart = rest.firstIndex(of: "-") ?? rest.firstIndex(of: "+") ?? rest.firstIndex(of: "Z")
            microseconds = try time(String(rest[..<(zoneStart ?? rest.endIndex)]))
            if let zoneStart {
                explicitZone = try TimeZoneOffset(String(rest[zoneStart...]))
            }
        }
        let days: Int64
        switch form {
        case .calendar(let month, let day):
            try CivilTime.checkDate(year: Int64(year), month: Int64(month), day: Int64(day))
            days = CivilTime.days(fromCivil: year, month, day)
        case .ordinal(let dayOfYear):
            try CivilTime.checkDate(year: Int64(year), month: 1, day: 1)
            guard (1...366).contains(dayOfYear) else { throw CivilTime.logic("Day of year value is out of range 1..366") }
            days = CivilTime.days(fromCivil: year, 1, 1) + Int64(dayOfYear - 1)
        }
        let zone: TimeZoneOffset
        if let explicitZone {
            zone = explicitZone
        } else if zoneText.isEmpty {
            throw .runtime(.queryLogic, "ISO 8601 string has no time zone, and no default time zone was provided.")
        } else {
            guard let parsed = try? TimeZoneOffset(zoneText) else {
                throw .runtime(.queryLogic, "Invalid ISO 8601 timezone: `\(zoneText)`.")
            }
            zone = parsed
        }
        let local = days * CivilTime.microsecondsPerDay + microseconds
        let utc = local - Int64(zone.minutes) * 60_000_000
        return ReqlTime(epochTime: Double(utc) / 1_000_000, timezone: zone)
    }

    /// `to_iso8601()`: local time with milliseconds when the time has a fraction, and the zone.
    package static func format(_ time: ReqlTime) throws(ReqlError) -> String {
        let civil = try time.civil()
        guard (0...9999).contains(civil.year) else {
            throw .runtime(.queryLogic, "Year `\(civil.year)` out of valid ISO 8601 range [0, 9999].")
        }
        var out = pad(civil.year, 4) + "-" + pad(civil.month, 2) + "-" + pad(civil.day, 2)
        out += "T" + pad(civil.hours, 2) + ":" + pad(civil.minutes, 2) + ":" + pad(civil.wholeSeconds, 2)
        if civil.microsecondOfSecond != 0 {
            // Boost writes six digits; RethinkDB keeps the first three.
            out += "." + pad(civil.microsecondOfSecond / 1000, 3)
        }
        return out + time.timezone.text
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `sanitize::date`: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYYMMDD`, `YYYY-DDD` or `YYYYDDD`.
    private static func date(_ text: String) throws(ReqlError) -> (Int, DateForm) {
        var scanner = TimeText.Scanner(text)
        let year = Int(try scanner.digits(4)) ?? 0
        if scanner.isAtEnd { return (year, .calendar(month: 1, day: 1)) }
        let firstHyphen = scanner.take(anyOf: "-") != nil
        let form: DateForm
        if scanner.take(anyOf: "W") != nil {
            _ = try scanner.digits(2)
            if !scanner.isAtEnd {
                _ = scanner.take(anyOf: "-")
                _ = try scanner.digits(1)
            }
            try checkEnd(scanner, of: text)
            throw .runtime(.queryLogic, "Due to limitations in the boost time library we use for parsing, we cannot support ISO week dates right now.  Sorry about that!  Please use years, calendar dates, or ordinal dates instead.")
        } else if scanner.remaining == 3 {
            form = .ordinal(Int(try scanner.digits(3)) ?? 0)
        } else {
            let month = Int(try scanner.digits(2)) ?? 0
            if firstHyphen && scanner.isAtEnd { return (year, .calendar(month: month, day: 1)) }
            let secondHyphen = scanner.take(anyOf: "-") != nil
            guard firstHyphen == secondHyphen else {
                throw .runtime(.queryLogic, "Date string `\(text)` must have 0 or 2 hyphens.")
            }
            form = .calendar(month: month, day: Int(try scanner.digits(2)) ?? 0)
        }
        try checkEnd(scanner, of: text)
        return (year, form)
    }

    private static func checkEnd(_ scanner: TimeText.Scanner, of text: String) throws(ReqlError) {
        guard scanner.isAtEnd else {
            throw .runtime(.queryLogic, "Garbage characters `\(scanner.rest)` at end of date string `\(text)`.")
        }
    }

    /// `sanitize::time`: `hh`, `hh:mm`, `hhmm`, `hh:mm:ss`, `hhmmss`, each with any fraction;
    /// the time of day in microseconds (digits past the sixth are dropped, as Boost does).
    private static func time(_ text: String) throws(ReqlError) -> Int64 {
        var scanner = TimeText.Scanner(text)
        let hours = Int64(try scanner.digits(2)) ?? 0
        if scanner.isAtEnd { return hours * 3_600_000_000 }
        let firstColon = scanner.take(anyOf: ":") != nil
        let minutes = Int64(try scanner.digits(2)) ?? 0
        var total = hours * 3_600_000_000 + minutes * 60_000_000
        if scanner.isAtEnd { return total }
        let secondColon = scanner.take(anyOf: ":") != nil
        guard firstColon == secondColon else {
            throw .runtime(.queryLogic, "Time string `\(text)` must have 0 or 2 colons.")
        }
        total += (Int64(try scanner.digits(2)) ?? 0) * 1_000_000
        if scanner.take(anyOf: ".") != nil {
            var fraction = ""
            while !scanner.isAtEnd { fraction += try scanner.digits(1) }
            let micro = String((fraction + "000000").prefix(6))
            total += Int64(micro) ?? 0
        }
        guard scanner.isAtEnd else {
            throw .runtime(.queryLogic, "Garbage characters `\(scanner.rest)` at end of time string `\(text)`.")
        }
        return total
    }
}
