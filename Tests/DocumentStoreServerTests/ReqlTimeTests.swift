import DocumentStore
import ReQL
import Testing
@testable import DocumentStoreServer

/// ReQL's time terms, with the values and messages of RethinkDB's own tests
/// (`test/rql_test/src/times/*.yaml`).
@Suite("ReQL times")
struct ReqlTimeTests {
    /// 2013-07-30T01:21:36.681Z, the time RethinkDB's tests take apart.
    static let t1 = 1375147296.681
    /// 2045-04-07T03:08:16.681Z.
    static let t4 = 2375147296.681

    static let portions: [WireCase] = [
        WireCase(name: "date", term: Wire.term(102, Wire.term(106, Wire.epochTime(t1))), expected: 1375142400),
        WireCase(name: "time_of_day", term: Wire.term(126, Wire.epochTime(t1)), expected: 4896.681),
        WireCase(name: "year", term: Wire.term(128, Wire.epochTime(t1)), expected: 2013),
        WireCase(name: "month", term: Wire.term(129, Wire.epochTime(t1)), expected: 7),
        WireCase(name: "day", term: Wire.term(130, Wire.epochTime(t1)), expected: 30),
        WireCase(name: "day_of_week", term: Wire.term(131, Wire.epochTime(t1)), expected: 2),
        WireCase(name: "day_of_year", term: Wire.term(132, Wire.epochTime(t1)), expected: 211),
        WireCase(name: "hours", term: Wire.term(133, Wire.epochTime(t1)), expected: 1),
        WireCase(name: "minutes", term: Wire.term(134, Wire.epochTime(t1)), expected: 21),
        WireCase(name: "seconds", term: Wire.term(135, Wire.epochTime(t1)), expected: 36.681),
        WireCase(name: "a later date", term: Wire.term(102, Wire.term(106, Wire.epochTime(t4))), expected: 2375136000),
        WireCase(name: "a later time of day", term: Wire.term(126, Wire.epochTime(t4)), expected: 11296.681),
        WireCase(name: "a later year", term: Wire.term(128, Wire.epochTime(t4)), expected: 2045),
        WireCase(name: "a later day of week", term: Wire.term(131, Wire.epochTime(t4)), expected: 5),
        WireCase(name: "a later day of year", term: Wire.term(132, Wire.epochTime(t4)), expected: 97),
        WireCase(name: "a later second", term: Wire.term(135, Wire.epochTime(t4)), expected: 16.681),
        WireCase(name: "year 10000 is still a year", term: Wire.term(128, Wire.epochTime(253430000000)), expected: 10000),
        WireCase(name: "year 1400 is the first", term: Wire.term(128, Wire.epochTime(-17980000000)), expected: 1400),
        WireCase(name: "any time has an epoch time", term: Wire.term(102, Wire.epochTime(253440000000)), expected: 253440000000),
        WireCase(name: "a date keeps its timezone",
             term: Wire.term(100, Wire.term(106, Wire.term(104, Wire.epochTime(1436428422.339), "-08:00"))),
             expected: "2015-07-08T00:00:00-08:00"),
        WireCase(name: "a date is local midnight",
             term: Wire.term(100, Wire.term(106, Wire.term(104, Wire.epochTime(1436428422.339), "-07:00"))),
             expected: "2015-07-09T00:00:00-07:00"),
    ]

    @Test("Date parts are read in the time's own timezone", arguments: portions)
    func portion(_ test: WireCase) async throws {
        try await ReqlEngineTests.withEngine { engine in
            try await Wire.check(test.term, engine, test.expected)
        }
    }

    static let conversions: [WireCase] = [
        WireCase(name: "epoch_time rounds to the millisecond", term: Wire.term(102, Wire.epochTime(1.4444445)), expected: 1.444),
        WireCase(name: "to_iso8601 writes milliseconds", term: Wire.term(100, Wire.epochTime(1.4444445)), expected: "1970-01-01T00:00:01.444+00:00"),
        WireCase(name: "milliseconds are rounded, not truncated", term: Wire.term(100, Wire.epochTime(1.001)), expected: "1970-01-01T00:00:01.001+00:00"),
        WireCase(name: "another millisecond", term: Wire.term(100, Wire.epochTime(2.058)), expected: "1970-01-01T00:00:02.058+00:00"),
        WireCase(name: "seconds of a rounded time", term: Wire.term(135, Wire.epochTime(1.4444445)), expected: 1.444),
        WireCase(name: "negative epoch time", term: Wire.term(102, Wire.epochTime(-1)), expected: -1),
        WireCase(name: "r.time with seconds and a zone", term: Wire.term(102, Wire.term(136, 2013, Wire.term(120), 29, 23, 30, 0.1, "-07:00")),
             expected: 1375165800.1),
        WireCase(name: "r.time's zone", term: Wire.term(127, Wire.term(136, 2013, 7, 29, 23, 30, 0.1, "-07:00")), expected: "-07:00"),
        WireCase(name: "r.time of a date", term: Wire.term(102, Wire.term(136, 2013, 7, 29, "-07:00")), expected: 1375081200),
        WireCase(name: "r.iso8601 with a zone", term: Wire.term(102, Wire.term(99, "2013-07-30T20:56:05-07:00")), expected: 1375242965),
        WireCase(name: "in_timezone then to_iso8601", term: Wire.term(100, Wire.term(104, Wire.epochTime(1375242965), "-07:00")),
             expected: "2013-07-30T20:56:05-07:00"),
        WireCase(name: "a default timezone", term: Wire.term(100, Wire.term(99, "2013-07-30T20:56:05", options: ["default_timezone": "-07"])),
             expected: "2013-07-30T20:56:05-07:00"),
        WireCase(name: "a TIME object from a driver is rounded and its zone made canonical",
             term: ["$reql_type$": "TIME", "epoch_time": 1375445163.08832, "timezone": "-0700"],
             expected: ["$reql_type$": "TIME", "epoch_time": 1375445163.088, "timezone": "-07:00"]),
        WireCase(name: "weekdays", term: Wire.array((107...113).map { Wire.term($0) }), expected: [1, 2, 3, 4, 5, 6, 7]),
        WireCase(name: "months", term: Wire.array((114...125).map { Wire.term($0) }), expected: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
        WireCase(name: "r.now() is a time", term: Wire.term(52, Wire.term(103)), expected: "PTYPE<TIME>"),
        WireCase(name: "r.now() is one instant per query", term: Wire.term(25, Wire.term(103), Wire.term(103)), expected: 0),
    ]

    @Test("Times are built and converted as RethinkDB does", arguments: conversions)
    func conversion(_ test: WireCase) async throws {
        try await ReqlEngineTests.withEngine { engine in
            try await Wire.check(test.term, engine, test.expected)
        }
    }

    static let failures: [WireFailure] = [
        WireFailure(term: Wire.term(100, Wire.epochTime(253430000000)), message: "Year `10000` out of valid ISO 8601 range [0, 9999]."),
        WireFailure(term: Wire.term(128, Wire.epochTime(253440000000)), message: "Error in time logic: Year is out of valid range: 1400..10000."),
        WireFailure(term: Wire.term(128, Wire.epochTime(-17990000000)), message: "Error in time logic: Year is out of valid range: 1400..10000."),
        WireFailure(term: Wire.term(102, Wire.term(136, 2013, 7, 29, 23, 30, 0.1)), message: "Got 6 arguments to TIME (expected 4 or 7)."),
        WireFailure(term: Wire.term(102, Wire.term(136, 2013, 7, 29, 23, 30)), message: "Got 5 arguments to TIME (expected 4 or 7)."),
        WireFailure(term: Wire.term(102, Wire.term(136, 2013, 7, 29, 23)), message: "Expected type STRING but found NUMBER."),
        WireFailure(term: Wire.term(102, Wire.term(136, 2013, 7, 29)), message: "Expected between 4 and 7 arguments but found 3.", response: .compileError),
        WireFailure(term: Wire.term(136, 2013, 2, 30, "Z"), message: "Error in time logic: Day of month is not valid for year."),
        WireFailure(term: Wire.term(136, 2013, 13, 1, "Z"), message: "Error in time logic: Month number is out of range 1..12."),
        WireFailure(term: Wire.term(100, Wire.term(99, "2013-07-30T20:56:05")),
                message: "ISO 8601 string has no time zone, and no default time zone was provided."),
        WireFailure(term: Wire.term(25, Wire.term(24, Wire.epochTime(t1), Wire.epochTime(t1)), Wire.epochTime(t1)),
                message: "Expected type NUMBER but found PTYPE<TIME>."),
        WireFailure(term: Wire.term(128, 1), message: "Not a TIME pseudotype: `1`."),
        WireFailure(term: ["$reql_type$": "TIME", "epoch_time": 1], message: "Invalid time object constructed (no field `timezone`):\n{\n\t\"$reql_type$\":\t\"TIME\",\n\t\"epoch_time\":\t1\n}"),
        WireFailure(term: ["$reql_type$": "TIME", "epoch_time": "1", "timezone": "Z"],
                message: "Invalid time object constructed (field `epoch_time` must be a number (got `\"1\"` of type STRING)):\n{\n\t\"$reql_type$\":\t\"TIME\",\n\t\"epoch_time\":\t\"1\",\n\t\"timezone\":\t\"Z\"\n}"),
        WireFailure(term: Wire.term(105, Wire.epochTime(1), Wire.epochTime(0), Wire.epochTime(2), options: ["left_bound": "half"]),
                message: "Expected `open` or `closed` for optarg `left_bound` (got `\"half\"`)."),
    ]

    @Test("Bad times fail with RethinkDB's messages", arguments: failures)
    func failure(_ test: WireFailure) async throws {
        try await ReqlEngineTests.withEngine { engine in try await test.check(engine) }
    }

    @Test("Time arithmetic keeps the timezone and time minus time is seconds")
    func arithmetic() async throws {
        try await ReqlEngineTests.withEngine { engine in
            let t1 = Wire.epochTime(Self.t1)
            try await Wire.check(Wire.term(102, Wire.term(24, t1, 1000)), engine, 1375148296.681)
            try await Wire.check(Wire.term(102, Wire.term(25, t1, 1000)), engine, 1375146296.681)
            try await Wire.check(Wire.term(25, t1, Wire.term(25, t1, 1000)), engine, 1000)
            try await Wire.check(Wire.term(25, Wire.epochTime(1375147297.681), t1), engine, 1)
            let shifted = Wire.term(24, Wire.term(104, t1, "+01:00"), 60)
            try await Wire.check(Wire.term(127, shifted), engine, "+01:00")
        }
    }

    @Test("Times compare by instant, whatever their timezones")
    func comparisons() async throws {
        try await ReqlEngineTests.withEngine { engine in
            let t1 = Wire.epochTime(Self.t1)
            let later = Wire.epochTime(Self.t1 + 1000)
            try await Wire.check(Wire.term(19, t1, later), engine, true)
            try await Wire.check(Wire.term(17, t1, Wire.term(104, t1, "-07:00")), engine, true)
            try await Wire.check(Wire.term(22, t1, later), engine, false)
            // Times sort after numbers and before strings.
            try await Wire.check(Wire.term(19, 1, t1), engine, true)
            try await Wire.check(Wire.term(19, t1, "1"), engine, true)
        }
    }

    struct Bounds: Sendable, CustomTestStringConvertible {
        let options: DocumentObject
        let atStart: Bool
        let atEnd: Bool
        var testDescription: String { options.isEmpty ? "default bounds" : Document.object(options).jsonString }
    }

    @Test("during is closed on the left and open on the right unless told", arguments: [
        Bounds(options: [:], atStart: true, atEnd: false),
        Bounds(options: ["left_bound": "open"], atStart: false, atEnd: false),
        Bounds(options: ["right_bound": "closed"], atStart: true, atEnd: true),
        Bounds(options: ["left_bound": "open", "right_bound": "closed"], atStart: false, atEnd: true),
    ])
    func during(_ bounds: Bounds) async throws {
        try await ReqlEngineTests.withEngine { engine in
            let start = Wire.epochTime(Self.t1), end = Wire.epochTime(Self.t1 + 1000)
            try await Wire.check(Wire.term(105, start, start, end, options: bounds.options), engine, .bool(bounds.atStart))
            try await Wire.check(Wire.term(105, end, start, end, options: bounds.options), engine, .bool(bounds.atEnd))
            try await Wire.check(Wire.term(105, Wire.epochTime(Self.t1 + 1), start, end, options: bounds.options), engine, true)
        }
    }
}
