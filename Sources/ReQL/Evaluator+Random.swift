import DocumentModel

extension Evaluator {
    /// `r.random`: a float in [0, 1) with no bounds; an integer in [0, n) or [a, b) with
    /// bounds; a float in those bounds with `float=True`. Integer bounds must be integers
    /// within 2^53, lower below upper, as in RethinkDB.
    func random(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        var useFloat = term.args.isEmpty
        if let option = try optarg("float", term, env) { useFloat = truthy(try datum(of: option, term: term)) }
        if useFloat {
            var lower = 0.0
            var upper = 1.0
            if term.args.count == 1 {
                upper = try number(term.args[0], env)
            } else if term.args.count == 2 {
                lower = try number(term.args[0], env)
                upper = try number(term.args[1], env)
            }
            // Bounds of opposite signs near the largest doubles would overflow the width.
            let scaled = (lower > 0) != (upper > 0) && abs(lower) > Double.greatestFiniteMagnitude / 2 - abs(upper)
            if scaled {
                lower /= 4
                upper /= 4
            }
            var result = lower + Double.random(in: 0..<1) * (upper - lower)
            if upper > lower ? result >= upper : result <= upper { result = lower }
            return .datum(.number(scaled ? result * 4 : result))
        }
        guard !term.args.isEmpty else {
            throw .runtime(.queryLogic, "Generating a random integer requires one or two bounds.", backtrace: term.path)
        }
        func bound(_ argument: Term, _ name: String) throws(ReqlError) -> Int64 {
            let value = try number(argument, env)
            guard abs(value) <= Double(1 << 53), let exact = Int64(exactly: value) else {
                throw .runtime(.queryLogic, "\(name) bound (\(JSONNumber.reconstructable(value))) could not be safely converted to an integer.", backtrace: term.path)
            }
            return exact
        }
        let lower = term.args.count == 2 ? try bound(term.args[0], "Lower") : 0
        let upper = try bound(term.args[term.args.count - 1], "Upper")
        guard lower < upper else {
            throw .runtime(.queryLogic, "Lower bound (\(lower)) is not less than upper bound (\(upper)).", backtrace: term.path)
        }
        return .datum(.number(Double(Int64.random(in: lower..<upper))))
    }
}
