import DocumentStore
import ReQL
import Testing
@testable import DocumentStoreServer

/// ISO 8601 strings and timezones, as RethinkDB reads them (`times/constructors.yaml`,
/// `times/timezones.yaml`).
@Suite("ReQL ISO 8601 and timezones")
struct ReqlTimeParsingTests {
    static let dates = ["2013", "2013-01", "2013-01-01", "20130101", "2013-001", "2013001"]
    static let times = ["13", "13:00", "1300", "13:00:00", "13:00:00.000000", "130000.000000"]
    static let zones = ["Z", "+00", "+0000", "+00:00"]

    /// Every spelling RethinkDB's test accepts, each meaning 2013-01-01 13:00 UTC.
    static let spellings: [String] = dates.flatMap { date in times.flatMap { time in zones.map { "\(date)T\(time)\($0)" } } }

    @Test("Every ISO 8601 spelling RethinkDB accepts reads as the same time", arguments: spellings)
    func spelling(_ text: String) throws {
        let time = try ISO8601.parse(text, defaultTimezone: nil)
        #expect(try ISO8601.format(time) == "2013-01-01T13:00:00+00:00")
    }

    static let badDates = ["201301", "2013-0101", "2a13", "2013+01", "2013-01-01.1"]
    static let badTimes = ["a3", "13:0000", "13:000", "13:00.00", "130000.00000000a"]
    static let badZones = ["X", "-7", "-07:-1", "+07+01", "PST", "UTC", "Z+00"]
    static let rejected: [String] = badDates.map { "\($0)T13:00:00Z" } + badTimes.map { "2013-01-01T\($0)Z" }
        + badZones.map { "2013-01-01T13:00:00\($0)" }

    @Test("Malformed ISO 8601 strings are refused", arguments: rejected)
    func rejects(_ text: String) {
        #expect(throws: ReqlError.self) { try ISO8601.parse(text, defaultTimezone: nil) }
    }

    @Test("Sanitizer messages name the part that is wrong", arguments: [
        ("2013-0101T13Z", "Date string `2013-0101` must have 0 or 2 hyphens."),
        ("2013-01-01T13:0000Z", "Time string `13:0000` must have 0 or 2 colons."),
        ("2a13", "Invalid date string `2a13` (got `a` but expected a digit)."),
        ("2013-01-01Tx", "Invalid date string `x` (got `x` but expected a digit)."),
        ("2013-W01-1", "Due to limitations in the boost time library we use for parsing, we cannot support ISO week dates right now.  Sorry about that!  Please use years, calendar dates, or ordinal dates instead."),
        ("2013-02-30", "Error in time logic: Day of month is not valid for year."),
    ])
    func sanitizerMessages(_ text: String, _ message: String) {
        #expect(throws: ReqlError.runtime(.queryLogic, message)) { try ISO8601.parse(text, defaultTimezone: "Z") }
    }

    @Test("Fractions of a second are kept to the millisecond")
    func fractions() throws {
        #expect(try ISO8601.parse("2013-07-29T18:21:36.680000-07:00", defaultTimezone: nil).epochTime == 1375147296.68)
        #expect(try ISO8601.parse("1970-01-01T00:00:00.0015Z", defaultTimezone: nil).epochTime == 0.002)
    }

    @Test("Ordinal dates count days from January 1st")
    func ordinalDates() throws {
        #expect(try ISO8601.format(try ISO8601.parse("2012-060T00:00:00Z", defaultTimezone: nil)) == "2012-02-29T00:00:00+00:00")
        #expect(try ISO8601.format(try ISO8601.parse("2013-365", defaultTimezone: "Z")) == "2013-12-31T00:00:00+00:00")
    }

    @Test("Timezone spellings become one canonical offset", arguments: [
        ("Z", "+00:00"), ("+00", "+00:00"), ("+0000", "+00:00"), ("-00:59", "-00:59"), ("+01:01", "+01:01"),
        ("-07", "-07:00"), ("+0530", "+05:30"), ("+24:59", "+24:59"),
    ])
    func canonicalZones(_ raw: String, _ canonical: String) throws {
        #expect(try TimeZoneOffset(raw).text == canonical)
    }

    @Test("Invalid timezones fail with RethinkDB's messages", arguments: [
        ("", "Timezone `` does not start with `-` or `+`."),
        ("-00", "`-00` is not a valid time offset."),
        ("-00:00", "`-00:00` is not a valid time offset."),
        ("UTC+00", "Timezone `UTC+00` does not start with `-` or `+`."),
        ("+00:60", "Minutes out of range in `+00:60`."),
        ("+25:00", "Hours out of range in `+25:00`."),
        ("+07+01", "Invalid date string `+07+01` (got `+` but expected a digit)."),
        ("+07:001", "Garbage characters `1` at end of timezone string `+07:001`."),
        ("-7", "Invalid time zone string `-7`. Valid time zones are `+hh:mm`, `-hh:mm`, `+hhmm`, `-hhmm`, `+hh`, `-hh` and `Z`."),
    ])
    func invalidZones(_ raw: String, _ message: String) async throws {
        try await ReqlEngineTests.withEngine { engine in
            let inZone = try #require(try await Wire.error(Wire.term(104, Wire.term(103), .string(raw)), engine))
            #expect(inZone.message == message)
            let constructed = try #require(try await Wire.error(Wire.term(136, 2013, 1, 1, .string(raw)), engine))
            #expect(constructed.message == message)
        }
    }

    @Test("A time's day depends on its timezone")
    func dayInZone() async throws {
        try await ReqlEngineTests.withEngine { engine in
            // r.time(2013, r.july, 29, 23, 30, 0, "+00:00")
            let time = Wire.term(136, 2013, 7, 29, 23, 30, 0, "+00:00")
            for (zone, day) in [("Z", 29), ("-00:59", 29), ("-01:01", 29), ("+00:59", 30), ("+01:00", 30)] {
                let inZone = Wire.term(104, time, .string(zone))
                try await Wire.check(Wire.term(130, inZone), engine, .number(Double(day)))
                try await Wire.check(Wire.term(25, inZone, time), engine, 0)
            }
        }
    }
}
