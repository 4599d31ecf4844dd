import DocumentModel

extension Evaluator {
    /// The time terms (`time.cc`): constructors, conversions, timezones, portions and
    /// `during`; nil when the term is not one of them. `r.now()` is the query's own instant,
    /// ``QueryContext/now``.
    func timeOperation(_ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        if let constant = term.type.calendarConstant {
            try arity(term, 0...0)
            return .datum(.number(Double(constant)))
        }
        switch term.type {
        case .epochTime:
            try arity(term, 1...1)
            return .datum(ReqlTime(epochTime: try number(term.args[0], env), timezone: .utc).document)
        case .time:
            return .datum(try makeTime(term, env).document)
        case .iso8601:
            try arity(term, 1...1)
            let text = try string(term.args[0], env)
            var defaultTimezone: String?
            if let value = try optarg("default_timezone", term, env) {
                let zone = try datum(of: value, term: term)
                guard case .string(let name) = zone else { throw typeError("STRING", found: zone.typeName, term) }
                defaultTimezone = name
            }
            return .datum(try located(term.args[0]) { () throws(ReqlError) in
                try ISO8601.parse(text, defaultTimezone: defaultTimezone).document
            })
        case .toISO8601:
            return .datum(.string(try ISO8601.format(try timeArgument(term, env))))
        case .toEpochTime:
            return .datum(.number(try timeArgument(term, env).epochTime))
        case .timezone:
            return .datum(.string(try timeArgument(term, env).timezone.text))
        case .inTimezone:
            try arity(term, 2...2)
            let time = try ReqlTime.required(try datum(term.args[0], env))
            let zone = try string(term.args[1], env)
            return .datum(ReqlTime(epochTime: time.epochTime, timezone: try TimeZoneOffset(zone)).document)
        case .during:
            try arity(term, 3...3)
            var times: [Double] = []
            for argument in term.args { times.append(try ReqlTime.required(try datum(argument, env)).epochTime) }
            let leftOpen = try boundIsOpen("left_bound", term, env, default: false)
            let rightOpen = try boundIsOpen("right_bound", term, env, default: true)
            let (time, lower, upper) = (times[0], times[1], times[2])
            let afterLower = leftOpen ? time > lower : time >= lower
            let beforeUpper = rightOpen ? time < upper : time <= upper
            return .datum(.bool(afterLower && beforeUpper))
        case .date:
            let time = try timeArgument(term, env)
            let civil = try time.civil()
            let midnight = civil.dayNumber * CivilTime.microsecondsPerDay - Int64(time.timezone.minutes) * 60_000_000
            return .datum(ReqlTime(epochTime: Double(midnight) / 1_000_000, timezone: time.timezone).document)
        case .timeOfDay:
            let civil = try timeArgument(term, env).civil()
            return .datum(.number(ReqlTime.millisecondRounded(Double(civil.microsecondOfDay) / 1_000_000)))
        case .year, .month, .day, .dayOfWeek, .dayOfYear, .hours, .minutes, .seconds:
            return .datum(.number(try portion(term.type, of: timeArgument(term, env))))
        default:
            return nil
        }
    }

    /// The one argument of a term that reads a time.
    private func timeArgument(_ term: Term, _ env: Environment) throws(ReqlError) -> ReqlTime {
        try arity(term, 1...1)
        return try ReqlTime.required(try datum(term.args[0], env))
    }

    private func portion(_ type: TermType, of time: ReqlTime) throws(ReqlError) -> Double {
        let civil = try time.civil()
        switch type {
        case .year: return Double(civil.year)
        case .month: return Double(civil.month)
        case .day: return Double(civil.day)
        case .dayOfWeek: return Double(civil.dayOfWeek)
        case .dayOfYear: return Double(civil.dayOfYear)
        case .hours: return Double(civil.hours)
        case .minutes: return Double(civil.minutes)
        default:
            // RethinkDB adds the epoch time's own fraction to the local whole seconds, so a time
            // before 1970 with a fraction reads one second early; kept for compatibility.
            let fraction = time.epochTime.truncatingRemainder(dividingBy: 1)
            return Double(civil.wholeSeconds) + ReqlTime.millisecondRounded(fraction)
        }
    }

    /// `r.time(year, month, day, [hours, minutes, seconds,] timezone)`.
    private func makeTime(_ term: Term, _ env: Environment) throws(ReqlError) -> ReqlTime {
        try arity(term, 4...7)
        guard term.args.count == 4 || term.args.count == 7 else {
            throw .runtime(.queryLogic, "Got \(term.args.count) arguments to TIME (expected 4 or 7).", backtrace: term.path)
        }
        let year = try integer(term.args[0], env), month = try integer(term.args[1], env), day = try integer(term.args[2], env)
        var hours: Int64 = 0, minutes: Int64 = 0, seconds = 0.0
        if term.args.count == 7 {
            hours = try integer(term.args[3], env)
            minutes = try integer(term.args[4], env)
            seconds = try number(term.args[5], env)
        }
        let zoneText = try string(term.args[term.args.count - 1], env)
        try CivilTime.checkDate(year: year, month: month, day: day)
        let zone = try TimeZoneOffset(zoneText)
        let days = CivilTime.days(fromCivil: Int(year), Int(month), Int(day))
        guard let secondsPart = CivilTime.microseconds(fromSeconds: seconds) else {
            throw CivilTime.logic("Year is out of valid range: 1400..10000")
        }
        // Boost takes hours and minutes as a duration, so 25:61 rolls over rather than failing.
        let (hourPart, hourOverflow) = hours.multipliedReportingOverflow(by: 3_600_000_000)
        let (minutePart, minuteOverflow) = minutes.multipliedReportingOverflow(by: 60_000_000)
        guard !hourOverflow, !minuteOverflow else { throw CivilTime.logic("Year is out of valid range: 1400..10000") }
        let local = days * CivilTime.microsecondsPerDay + hourPart + minutePart + secondsPart
        let utc = local - Int64(zone.minutes) * 60_000_000
        _ = try CivilTime(microseconds: utc, offsetMinutes: zone.minutes)
        return ReqlTime(epochTime: Double(utc) / 1_000_000, timezone: zone)
    }

    /// Runs `body`, pointing its errors at `term` (datum-level checks have no term of their own).
    func located<T>(_ term: Term, _ body: () throws(ReqlError) -> T) throws(ReqlError) -> T {
        do throws(ReqlError) {
            return try body()
        } catch var error {
            if error.backtrace.isEmpty && error.responseType == .runtimeError { error.backtrace = term.path }
            throw error
        }
    }
}
