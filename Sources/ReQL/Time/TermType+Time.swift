/// The time terms of `ql2.proto` (v2.4).
extension TermType {
    package static let toISO8601 = TermType(rawValue: 100)!, inTimezone = TermType(rawValue: 104)!
    package static let during = TermType(rawValue: 105)!, date = TermType(rawValue: 106)!
    package static let timeOfDay = TermType(rawValue: 126)!, timezone = TermType(rawValue: 127)!
    package static let year = TermType(rawValue: 128)!, month = TermType(rawValue: 129)!, day = TermType(rawValue: 130)!
    package static let dayOfWeek = TermType(rawValue: 131)!, dayOfYear = TermType(rawValue: 132)!
    package static let hours = TermType(rawValue: 133)!, minutes = TermType(rawValue: 134)!, seconds = TermType(rawValue: 135)!
    package static let time = TermType(rawValue: 136)!

    /// `r.monday` ... `r.sunday` (107-113) and `r.january` ... `r.december` (114-125): the
    /// number each stands for.
    var calendarConstant: Int? {
        switch rawValue {
        case 107...113: return rawValue - 106
        case 114...125: return rawValue - 113
        default: return nil
        }
    }

    /// The optional arguments of the time terms (`time.cc`); nil for other terms.
    var timeOptargs: Set<String>? {
        switch self {
        case .iso8601: return ["default_timezone"]
        case .during: return ["left_bound", "right_bound"]
        case .toISO8601, .epochTime, .toEpochTime, .inTimezone, .date, .timeOfDay, .timezone, .time,
             .year, .month, .day, .dayOfWeek, .dayOfYear, .hours, .minutes, .seconds:
            return []
        default:
            return calendarConstant == nil ? nil : []
        }
    }
}
