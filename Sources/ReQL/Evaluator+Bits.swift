import DocumentModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Evaluator {
    /// `bit_and`, `bit_or`, `bit_xor`, `bit_not`, `bit_sal`, `bit_sar` on integers in
    /// [-2^53, 2^53), two's complement as in RethinkDB; nil for other terms.
    func bitOperation(_ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        switch term.type {
        case .bitAnd, .bitOr, .bitXor:
            var result = try bitOperand(term.args[0], env, term: term)
            for argument in term.args.dropFirst() {
                let operand = try bitOperand(argument, env, term: term)
                switch term.type {
                case .bitAnd: result &= operand
                case .bitOr: result |= operand
                default: result ^= operand
                }
            }
            return .datum(.number(Double(result)))
        case .bitNot:
            return .datum(.number(Double(~(try bitOperand(term.args[0], env, term: term)))))
        case .bitSal, .bitSar:
            let value = try bitOperand(term.args[0], env, term: term)
            let shift = try integer(term.args[1], env)
            guard shift >= 0 else { throw .runtime(.queryLogic, "Cannot bit-shift by a negative value", backtrace: term.path) }
            let result: Double
            if term.type == .bitSal {
                // A left shift multiplies by a power of two and may leave the integers.
                result = shift < 4096 ? ldexp(Double(value), Int32(shift)) : (value == 0 ? 0 : .infinity)
            } else {
                result = Double(shift > 63 ? (value < 0 ? -1 : 0) : value >> shift)
            }
            guard result.isFinite else { throw .runtime(.queryLogic, "Non-finite number: \(result < 0 ? "-inf" : "inf")", backtrace: term.path) }
            return .datum(.number(result))
        default:
            return nil
        }
    }

    /// An integer whose bits may be flipped without leaving the doubles' exact range.
    private func bitOperand(_ argument: Term, _ env: Environment, term: Term) throws(ReqlError) -> Int64 {
        let value = try integer(argument, env)
        guard value >= -(1 << 53) && value < 1 << 53 else {
            throw .runtime(.queryLogic, "Integer too large: \(value)", backtrace: term.path)
        }
        return value
    }
}
