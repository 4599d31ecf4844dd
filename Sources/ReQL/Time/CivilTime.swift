/// A point of the proleptic Gregorian calendar, to the microsecond, in some timezone's local
/// time: what `year()`, `hours()`, `date()` and `to_iso8601()` read from a time.
///
/// RethinkDB computes these with Boost.Date_Time, whose calendar runs from year 1400 to
/// 10000; a time outside it fails with Boost's message, which RethinkDB passes on as
/// `Error in time logic: Year is out of valid range: 1400..10000.`. Seconds become
/// microseconds the way RethinkDB 2.4 rounds them (`add_seconds_to_ptime`), so
/// `r.epoch_time(1.001)` is `.001` and not `.000999...`.
struct CivilTime: Equatable {
    var year: Int
    var month: Int
    var day: Int
    /// Microseconds since local midnight.
    var microsecondOfDay: Int64
    /// Days since 1970-01-01 (negative before it).
    var dayNumber: Int64

    static let microsecondsPerDay: Int64 = 86_400_000_000
    static let yearRange = 1400...10000

    /// The local calendar time of an instant given in microseconds since the epoch (UTC).
    init(microseconds: Int64, offsetMinutes: Int) throws(ReqlError) {
        try Self.checkYear(of: microseconds)
        let local = microseconds + Int64(offsetMinutes) * 60_000_000
        try Self.checkYear(of: local)
        self.init(validLocalMicroseconds: local)
    }

    private init(validLocalMicroseconds local: Int64) {
        let (days, remainder) = Self.floorDivision(local, Self.microsecondsPerDay)
        dayNumber = days
        microsecondOfDay = remainder
        (year, month, day) = Self.civil(fromDays: days)
    }

    var hours: Int { Int(microsecondOfDay / 3_600_000_000) }
    var minutes: Int { Int(microsecondOfDay / 60_000_000 % 60) }
    var wholeSeconds: Int { Int(microsecondOfDay / 1_000_000 % 60) }
    var microsecondOfSecond: Int { Int(microsecondOfDay % 1_000_000) }

    /// ISO 8601's numbering: Monday is 1, Sunday 7 (1970-01-01 was a Thursday).
    var dayOfWeek: Int { Int(Self.floorDivision(dayNumber + 3, 7).remainder) + 1 }
    var dayOfYear: Int { Int(dayNumber - Self.days(fromCivil: year, 1, 1)) + 1 }

    /// Boost's calendar checks for a date given by its parts, in Boost's order and words.
    static func checkDate(year: Int64, month: Int64, day: Int64) throws(ReqlError) {
        guard yearRange.contains(Int(clamping: year)) else { throw logic("Year is out of valid range: 1400..10000") }
        guard (1...12).contains(month) else { throw logic("Month number is out of range 1..12") }
        guard (1...31).contains(day) else { throw logic("Day of month value is out of range 1..31") }
        guard day <= Int64(daysInMonth(Int(year), Int(month))) else { throw logic("Day of month is not valid for year") }
    }

    /// RethinkDB's wrapper around Boost's exceptions (`HANDLE_BOOST_ERRORS`).
    static func logic(_ message: String) -> ReqlError {
        .runtime(.queryLogic, "Error in time logic: \(message).")
    }

    private static func checkYear(of microseconds: Int64) throws(ReqlError) {
        let days = floorDivision(microseconds, microsecondsPerDay).quotient
        guard yearRange.contains(civil(fromDays: days).year) else {
            throw logic("Year is out of valid range: 1400..10000")
        }
    }

    /// Seconds since the epoch as whole microseconds, rounded half away from zero in the
    /// fractional part as RethinkDB 2.4 does; nil when the number is too large to be a time.
    static func microseconds(fromSeconds seconds: Double) -> Int64? {
        // 2^62 µs is about 146,000 years, well past Boost's calendar.
        guard seconds.isFinite, abs(seconds) < 4.6e12 else { return nil }
        let whole = seconds.rounded(.towardZero)
        let fraction = (seconds * 1_000_000 - whole * 1_000_000 + (seconds < 0 ? -0.5 : 0.5)).rounded(.towardZero)
        return Int64(whole) * 1_000_000 + Int64(fraction)
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month), d = Int64(day)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    static func floorDivision(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }
}
