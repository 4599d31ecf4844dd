import DocumentModel

extension ReqlTime {
    /// Time arithmetic (`pseudo::time_add`, `time_sub`): a time plus or minus seconds is a time
    /// in the same timezone, and a time minus a time is the seconds between them. Nil when
    /// neither operand makes this a time operation, so numbers, strings and arrays go on as
    /// before; an operand that is not a number where seconds are needed gets RethinkDB's
    /// type error.
    ///
    /// ```swift
    /// // r.epoch_time(10) - r.epoch_time(4)   ->  6
    /// // r.epoch_time(10) + 0.5               ->  the time 10.5, timezone kept
    /// ```
    static func arithmetic(_ type: TermType, _ lhs: Document, _ rhs: Document) throws(ReqlError) -> Document? {
        switch type {
        case .add:
            if let time = ReqlTime(lhs) { return try time.shifted(by: rhs, sign: 1) }
            if let time = ReqlTime(rhs) { return try time.shifted(by: lhs, sign: 1) }
            return nil
        case .sub:
            guard let time = ReqlTime(lhs) else { return nil }
            if let other = ReqlTime(rhs) { return .number(millisecondRounded(time.epochTime - other.epochTime)) }
            return try time.shifted(by: rhs, sign: -1)
        default:
            return nil
        }
    }

    private func shifted(by seconds: Document, sign: Double) throws(ReqlError) -> Document {
        guard case .number(let amount) = seconds else {
            throw .runtime(seconds.isNull ? .nonExistence : .queryLogic, "Expected type NUMBER but found \(seconds.typeName).")
        }
        return ReqlTime(epochTime: epochTime + sign * amount, timezone: timezone).document
    }
}
