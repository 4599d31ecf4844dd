import DocumentModel

/// A ReQL time: an instant (seconds since the Unix epoch, to the millisecond) and the
/// timezone it is shown in. On the wire and in storage it is RethinkDB's TIME pseudotype,
/// `{"$reql_type$": "TIME", "epoch_time": 1375147296.681, "timezone": "+00:00"}`.
///
/// RethinkDB rounds every time it builds to the millisecond (`sanitize_epoch_sec`) and keeps
/// the timezone as a canonical `±hh:mm`, so two times compare, group and key by their instant
/// alone whatever zone they are in.
///
/// ```swift
/// let time = ReqlTime(epochTime: 1.4444445, timezone: .utc)
/// time.epochTime       // 1.444
/// time.document        // {"$reql_type$":"TIME","epoch_time":1.444,"timezone":"+00:00"}
/// ```
package struct ReqlTime: Sendable, Equatable {
    package let epochTime: Double
    package let timezone: TimeZoneOffset

    package init(epochTime: Double, timezone: TimeZoneOffset) {
        self.epochTime = Self.millisecondRounded(epochTime)
        self.timezone = timezone
    }

    /// The pseudotype object.
    package var document: Document {
        ["$reql_type$": "TIME", "epoch_time": .number(epochTime), "timezone": .string(timezone.text)]
    }

    /// `round(d * 1000) / 1000`, halves away from zero, as RethinkDB writes it.
    package static func millisecondRounded(_ seconds: Double) -> Double {
        (seconds * 1000).rounded() / 1000
    }

    /// The local calendar time, or Boost's out-of-range error.
    func civil() throws(ReqlError) -> CivilTime {
        guard let microseconds = CivilTime.microseconds(fromSeconds: epochTime) else {
            throw CivilTime.logic("Year is out of valid range: 1400..10000")
        }
        return try CivilTime(microseconds: microseconds, offsetMinutes: timezone.minutes)
    }

    /// Reads a TIME pseudotype already checked by ``sanitized(_:)`` (every time a query holds
    /// has been); nil for any other value.
    package init?(_ value: Document) {
        guard case .object(let object) = value, object.reqlType == "TIME",
              let epoch = object["epoch_time"]?.doubleValue,
              let zone = object["timezone"]?.stringValue, let offset = try? TimeZoneOffset(zone) else { return nil }
        epochTime = epoch
        timezone = offset
    }

    /// A value a term needs to be a time (`as_ptype(TIME)`), with RethinkDB's message otherwise.
    package static func required(_ value: Document) throws(ReqlError) -> ReqlTime {
        if let time = ReqlTime(value) { return time }
        let type: ErrorType = value.isNull ? .nonExistence : .queryLogic
        throw .runtime(type, "Not a TIME pseudotype: `\(value.truncatedPrettyPrinted)`.")
    }

    /// RethinkDB's check of a TIME object a query builds (`sanitize_time`): exactly
    /// `$reql_type$`, a numeric `epoch_time` (rounded to the millisecond) and a valid
    /// `timezone` (made canonical). Any other value comes back unchanged.
    package static func sanitized(_ value: Document) throws(ReqlError) -> Document {
        guard case .object(let object) = value, object.reqlType == "TIME" else { return value }
        var problem: String?
        var epoch: Double?
        var zone: TimeZoneOffset?
        // The first bad field in key order is the one reported, as RethinkDB does.
        fields: for (key, field) in object {
            switch key {
            case "$reql_type$":
                continue
            case "epoch_time":
                guard case .number(let number) = field else {
                    problem = "field `epoch_time` must be a number (got `\(field.truncatedPrettyPrinted)` of type \(field.typeName))"
                    break fields
                }
                epoch = number
            case "timezone":
                guard case .string(let text) = field else {
                    problem = "field `timezone` must be a string (got `\(field.truncatedPrettyPrinted)` of type \(field.typeName))"
                    break fields
                }
                guard let offset = try? TimeZoneOffset(text) else {
                    problem = "invalid timezone string `\(field.truncatedPrettyPrinted)`"
                    break fields
                }
                zone = offset
            default:
                problem = "unrecognized field `\(key)`"
                break fields
            }
        }
        if problem == nil && epoch == nil {
            problem = "no field `epoch_time`"
        } else if problem == nil && zone == nil {
            problem = "no field `timezone`"
        }
        if let problem {
            throw .runtime(.queryLogic, "Invalid time object constructed (\(problem)):\n\(value.truncatedPrettyPrinted)")
        }
        guard let epoch, let zone else { return value }
        return ReqlTime(epochTime: epoch, timezone: zone).document
    }
}
