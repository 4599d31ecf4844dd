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

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let term: Document
        let expected: Document
        var testDescription: String { name }
    }

    static let portions: [Case] = [
        Case(name: "date", term: Wire.term(102, Wire.term(106, Wire.epochTime(t1))), expected: 1375142400),
        Case(name: "time_of_day", term: Wire.term(126, Wire.epochTime(t1)), expected: 4896.681),
        Case(name: "year", term: Wire.term(128, Wire.epochTime(t1)), expected: 2013),
        Case(name: "month", term: Wire.term(129, Wire.epochTime(t1)), expected: 7),
        Case(name: "day", term: Wire.term(130, Wire.epochTime(t1)), expected: 30),
        Case(name: "day_of_week", term: Wire.term(131, Wire.epochTime(t1)), expected: 2),
        Case(name: "day_of_year", term: Wire.term(132, Wire.epochTime(t1)), expected: 211),
        Case(name: "hours", term: Wire.term(133, Wire.epochTime(t1)), expected: 1),
        Case(name: "minutes", term: Wire.term(134, Wire.epochTime(t1)), expected: 21),
        Case(name: "seconds", term: Wire.term(135, Wire.epochTime(t1)), expected: 36.681),
        Case(name: "a later date", term: Wire.term(102, Wire.term(106, Wire.epochTime(t4))), expected: 2375136000),
        Case(name: "a later time of day", term: Wire.term(126, Wire.epochTime(t4)), expected: 11296.681),
        Case(name: "a later year", term: Wire.term(128, Wire.epochTime(t4)), expected: 2045),
        Case(name: "a later day of week", term: Wire.term(131, Wire.epochTime(t4)), expected: 5),
        Case(name: "a later day of year", term: Wire.term(132, Wire.epochTime(t4)), expected: 97),
        Case(name: "a later second", term: Wire.term(135, Wire.epochTime(t4)), expected: 16.681),
        Case(name: "year 10000 is still a year", term: Wire.term(128, Wire.epochTime(253430000000)), expected: 10000),
        Case(name: "year 1400 is the first", term: Wire.term(128, Wire.epochTime(-17980000000)), expected: 1400),
        Case(name: "any time has an epoch time", term: Wire.term(102, Wire.epochTime(253440000000)), expected: 253440000000),
        Case(name: "a date keeps its timezone",
             term: Wire.term(100, Wire.term(106, Wire.term(104, Wire.epochTime(1436428422.339), "-08:00"))),
             expected: "2015-07-08T00:00:00-08:00"),
        Case(name: "a date is local midnight",
             term: Wire.term(100, Wire.term(106, Wire.term(104, Wire.epochTime(1436428422.339), "-07:00"))),
             expected: "2015-07-09T00:00:00-07:00"),
    ]

    @Test("Date parts are read in the time's own timezone", arguments: portions)
    func portion(_ test: Case) async throws {
        try await ReqlEngineTests.withEngine { engine in
            try await Wire.check(test.term, engine, test.expected)
        }
    }

    static let conversions: [Case] = [
        Case(name: "epoch_time rounds to the millisecond", term: Wire.term(102, Wire.epochTime(1.4444445)), expected: 1.444),
        Case(name: "to_iso8601 writes milliseconds", term: Wire.term(100, Wire.epochTime(1.4444445)), expected: "1970-01-01T00:00:01.444+00:00"),
        Case(name: "milliseconds are rounded, not truncated", term: Wire.term(100, Wire.epochTime(1.001)), expected: "1970-01-01T00:00:01.001+00:00"),
        Case(name: "another millisecond", term: Wire.term(100, Wire.epochTime(2.058)), expected: "1970-01-01T00:00:02.058+00:00"),
        Case(name: "seconds of a rounded time", term: Wire.term(135, Wire.epochTime(1.4444445)), expected: 1.444),
        Case(name: "negative epoch time", term: Wire.term(102, Wire.epochTime(-1)), expected: -1),
        Case(name: "r.time with seconds and a zone", term: Wire.term(102, Wire.term(136, 2013, Wire.term(120), 29, 23, 30, 0.1, "-07:00")),
             expected: 1375165800.1),
        Case(name: "r.time's zone", term: Wire.term(127, Wire.term(136, 2013, 7, 29, 23, 30, 0.1, "-07:00")), expected: "-07:00"),
        Case(name: "r.time of a date", term: Wire.term(102, Wire.term(136, 2013, 7, 29, "-07:00")), expected: 1375081200),
        Case(name: "r.iso8601 with a zone", term: Wire.term(102, Wire.term(99, "2013-07-30T20:56:05-07:00")), expected: 1375242965),
        Case(name: "in_timezone then to_iso8601", term: Wire.term(100, Wire.term(104, Wire.epochTime(1375242965), "-07:00")),
             expected: "2013-07-30T20:56:05-07:00"),
        Case(name: "a default timezone", term: Wire.term(100, Wire.term(99, "2013-07-30T20:56:05", options: ["default_timezone": "-07"])),
             expected: "2013-07-30T20:56:05-07:00"),
        Case(name: "a TIME object from a driver is rounded and its zone made canonical",
             term: ["$reql_type$": "TIME", "epoch_time": 1375445163.08832, "timezone": "-0700"],
             expected: ["$reql_type$": "TIME", "epoch_time": 1375445163.088, "timezone": "-07:00"]),
        Case(name: "weekdays", term: Wire.array((107...113).map { Wire.term($0) }), expected: [1, 2, 3, 4, 5, 6, 7]),
        Case(name: "months", term: Wire.array((114...125).map { Wire.term($0) }), expected: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
        Case(name: "r.now() is a time", term: Wire.term(52, Wire.term(103)), expected: "PTYPE<TIME>"),
        Case(name: "r.now() is one instant per query", term: Wire.term(25, Wire.term(103), Wire.term(103)), expected: 0),
    ]

    @Test("Times are built and converted as RethinkDB does", arguments: conversions)
    func conversion(_ test: Case) async throws {
        try await ReqlEngineTests.withEngine { engine in
            try await Wire.check(test.term, engine, test.expected)
        }
    }

    struct Failure: CustomTestStringConvertible, Sendable {
        let term: Document
        let message: String
        var type: ResponseType = .runtimeError
        var testDescription: String { message }
    }

    static let failures: [Failure] = [
        Failure(term: Wire.term(100, Wire.epochTime(253430000000)), message: "Year `10000` out of valid ISO 8601 range [0, 9999]."),
        Failure(term: Wire.term(128, Wire.epochTime(253440000000)), message: "Error in time logic: Year is out of valid range: 1400..10000."),
        Failure(term: Wire.term(128, Wire.epochTime(-17990000000)), message: "Error in time logic: Year is out of valid range: 1400..10000."),
        Failure(term: Wire.term(102, Wire.term(136, 2013, 7, 29, 23, 30, 0.1)), message: "Got 6 arguments to TIME (expected 4 or 7)."),
        Failure(term: Wire.term(102, Wire.term(136, 2013, 7, 29, 23, 30)), message: "Got 5 arguments to TIME (expected 4 or 7)."),
        Failure(term: Wire.term(102, Wire.term(136, 2013, 7, 29, 23)), message: "Expected type STRING but found NUMBER."),
        Failure(term: Wire.term(102, Wire.term(136, 2013, 7, 29)), message: "Expected between 4 and 7 arguments but found 3.", type: .compileError),
        Failure(term: Wire.term(136, 2013, 2, 30, "Z"), message: "Error in time logic: Day of month is not valid for year."),
        Failure(term: Wire.term(136, 2013, 13, 1, "Z"), message: "Error in time logic: Month number is out of range 1..12."),
        Failure(term: Wire.term(100, Wire.term(99, "2013-07-30T20:56:05")),
                message: "ISO 8601 string has no time zone, and no default time zone was provided."),
        Failure(term: Wire.term(25, Wire.term(24, Wire.epochTime(t1), Wire.epochTime(t1)), Wire.epochTime(t1)),
                message: "Expected type NUMBER but found PTYPE<TIME>."),
        Failure(term: Wire.term(128, 1), message: "Not a TIME pseudotype: `1`."),
        Failure(term: ["$reql_type$": "TIME", "epoch_time": 1], message: "Invalid time object constructed (no field `timezone`):\n{\n\t\"$reql_type$\":\t\"TIME\",\n\t\"epoch_time\":\t1\n}"),
        Failure(term: ["$reql_type$": "TIME", "epoch_time": "1", "timezone": "Z"],
                message: "Invalid time object constructed (field `epoch_time` must be a number (got `\"1\"` of type STRING)):\n{\n\t\"$reql_type$\":\t\"TIME\",\n\t\"epoch_time\":\t\"1\",\n\t\"timezone\":\t\"Z\"\n}"),
        Failure(term: Wire.term(105, Wire.epochTime(1), Wire.epochTime(0), Wire.epochTime(2), options: ["left_bound": "half"]),
                message: "Expected `open` or `closed` for optarg `left_bound` (got `\"half\"`)."),
    ]

    @Test("Bad times fail with RethinkDB's messages", arguments: failures)
    func failure(_ test: Failure) async throws {
        try await ReqlEngineTests.withEngine { engine in
            let error = try #require(try await Wire.error(test.term, engine))
            #expect(error.message == test.message)
            #expect(error.responseType == test.type)
        }
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
