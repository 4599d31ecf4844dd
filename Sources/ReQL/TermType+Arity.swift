/// How many arguments each term takes (`argspec_t` in RethinkDB's `terms/*.cc`), checked when
/// the query compiles, so a malformed term fails before anything runs, even in a branch that
/// would never be taken. A term with an `r.args` argument is checked once its arguments are
/// spliced in, at run time.
extension TermType {
    /// The accepted argument counts; `Int.max` as the upper bound means "or more". Nil for the
    /// terms whose shape is checked elsewhere (DATUM, MAKE_OBJ, VAR, FUNC).
    package var argumentCount: ClosedRange<Int>? {
        Self.argumentCounts[rawValue]
    }

    private static let many = Int.max

    private static let argumentCounts: [Int: ClosedRange<Int>] = {
        var counts: [Int: ClosedRange<Int>] = [:]
        func set(_ range: ClosedRange<Int>, _ terms: [Int]) {
            for term in terms { counts[term] = range }
        }
        // Constants: r.now(), r.minval, r.maxval, r.monday ... r.december.
        set(0...0, [13, 59, 103, 180, 181] + Array(107...125))
        set(0...1, [12, 62, 137, 169, 176, 177, 179])
        set(0...2, [151, 173])
        set(0...many, [2, 44, 66, 67, 143])
        // One argument: variables aside, the unary terms.
        set(1...1, [11, 14, 23, 42, 54, 52, 57, 58, 72, 73, 74, 77, 79, 86, 94, 98, 99, 100, 101, 102, 106, 126, 127,
                    128, 129, 130, 131, 132, 133, 134, 135, 138, 141, 142, 150, 152, 153, 154, 155, 157, 158, 167,
                    172, 174, 175, 183, 184, 185, 186, 190, 194])
        set(1...2, [15, 43, 60, 61, 145, 146, 147, 148])
        set(1...3, [149])
        set(1...many, [24, 25, 26, 27, 32, 33, 34, 35, 41, 64, 78, 93, 96, 139, 140, 144, 191, 192, 193])
        set(2...2, [16, 28, 29, 31, 37, 39, 40, 45, 51, 53, 55, 56, 68, 70, 71, 76, 80, 81, 87, 88, 89, 90, 91,
                    92, 95, 97, 104, 159, 162, 163, 164, 165, 166, 168, 170, 171, 189, 195, 196])
        set(2...3, [30, 75, 83, 188])
        set(2...many, [17, 18, 19, 20, 21, 22, 38, 160])
        set(3...3, [48, 49, 50, 82, 84, 85, 105, 156, 182, 187])
        set(3...many, [65, 161])
        set(4...7, [136])
        return counts
    }()

    /// RethinkDB's `argspec_t::print`: "1 argument", "between 1 and 3 arguments", "2 or more arguments".
    package static func describe(_ range: ClosedRange<Int>) -> String {
        if range.lowerBound == range.upperBound {
            return "\(range.lowerBound) argument\(range.lowerBound == 1 ? "" : "s")"
        } else if range.upperBound == Int.max {
            return "\(range.lowerBound) or more arguments"
        }
        return "between \(range.lowerBound) and \(range.upperBound) arguments"
    }

    /// Writes and meta operations (`term_is_write_or_meta`): not allowed inside the function
    /// arguments of a stream operation.
    package var isWriteOrMeta: Bool {
        [53, 54, 55, 56, 57, 58, 60, 61, 177, 176, 179, 138, 188, 189, 190, 75, 76, 140, 156].contains(rawValue)
    }

    /// Terms whose arguments after the first may not write (`term_forbids_writes`): the stream
    /// operations, joins, aggregations and the writes themselves.
    package var forbidsWritesInArguments: Bool {
        [37, 38, 187, 39, 40, 144, 48, 49, 50, 53, 54, 55, 56, 43, 145, 146, 147, 148].contains(rawValue)
    }
}
