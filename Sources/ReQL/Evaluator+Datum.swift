import DocumentModel
import Foundation

extension Evaluator {
    /// Terms that compute a datum from datums; nil when the term is not one of them.
    func datumOperation(_ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        switch term.type {
        case .eq, .ne, .lt, .le, .gt, .ge:
            try arity(term, 1...Int.max)
            var values: [Document] = []
            for argument in term.args { values.append(try datum(argument, env)) }
            return .datum(.bool(comparison(term.type, values)))
        case .not:
            try arity(term, 1...1)
            return .datum(.bool(!truthy(try datum(term.args[0], env))))
        case .and, .or:
            var last: Document = .bool(term.type == .and)
            for argument in term.args {
                last = try datum(argument, env)
                if truthy(last) != (term.type == .and) { return .datum(last) }
            }
            return .datum(last)
        case .add, .sub, .mul, .div, .mod:
            try arity(term, 1...Int.max)
            var values: [Document] = []
            for argument in term.args { values.append(try datum(argument, env)) }
            return .datum(try arithmetic(term, values))
        case .floor, .ceil, .round:
            try arity(term, 1...1)
            let value = try number(term.args[0], env)
            let rule: FloatingPointRoundingRule = term.type == .floor ? .down : term.type == .ceil ? .up : .toNearestOrAwayFromZero
            return .datum(.number(value.rounded(rule)))
        case .literal:
            try arity(term, 0...1)
            let value = try datumOptional(term.args.first, env)
            // Literals do not nest: `r.literal(r.literal(x))` is a stray literal.
            if let value { try Literal.rejectStray(in: value) }
            return .datum(Literal.make(value))
        case .now:
            try arity(term, 0...0)
            return .datum(context.now)
        case .uuid:
            try arity(term, 0...1)
            guard let name = term.args.first else { return .datum(.string(UUID().uuidString.lowercased())) }
            return .datum(.string(NameBasedUUID.make(try string(name, env))))
        case .append, .prepend:
            try arity(term, 2...2)
            var array = try arrayArgument(term.args[0], env)
            let element = try datum(term.args[1], env)
            if term.type == .append { array.append(element) } else { array.insert(element, at: 0) }
            if array.count > context.arrayLimit { throw .arrayLimit(context.arrayLimit) }
            return .datum(.array(array))
        default:
            return try objectOperation(term, env)
        }
    }

    func truthy(_ value: Document) -> Bool {
        switch value {
        case .bool(false), .null: return false
        default: return true
        }
    }

    private func comparison(_ type: TermType, _ values: [Document]) -> Bool {
        for (left, right) in zip(values, values.dropFirst()) {
            let order = ReqlOrder.compare(left, right)
            let holds: Bool
            switch type {
            case .eq: holds = order == 0
            case .ne: holds = order != 0
            case .lt: holds = order < 0
            case .le: holds = order <= 0
            case .gt: holds = order > 0
            default: holds = order >= 0
            }
            if !holds { return false }
        }
        return true
    }

    private func arithmetic(_ term: Term, _ values: [Document]) throws(ReqlError) -> Document {
        var result = values[0]
        for (offset, value) in values.dropFirst().enumerated() {
            if let time = try located(term.args[offset + 1], { () throws(ReqlError) in
                try ReqlTime.arithmetic(term.type, result, value)
            }) {
                result = time
                continue
            }
            switch (term.type, result, value) {
            case (.add, .string(let a), .string(let b)): result = .string(a + b)
            case (.add, .array(let a), .array(let b)): result = .array(a + b)
            case (.mul, .array, _), (.mul, _, .array):
                result = try repeated(result, value, term: term, operand: term.args[offset + 1])
            case (_, .number(let a), .number(let b)):
                switch term.type {
                case .add: result = .number(a + b)
                case .sub: result = .number(a - b)
                case .mul: result = .number(a * b)
                case .div:
                    guard b != 0 else { throw .runtime(.queryLogic, "Cannot divide by zero.", backtrace: term.args[offset + 1].path) }
                    result = .number(a / b)
                default:
                    guard b != 0 else { throw .runtime(.queryLogic, "Cannot take a number modulo 0.", backtrace: term.args[offset + 1].path) }
                    result = .number(a.truncatingRemainder(dividingBy: b))
                }
            case (.add, .string, _), (.add, .array, _):
                // Strings add to strings and arrays to arrays; the right operand is the odd one.
                throw typeError(result.typeName, found: value.typeName, term.args[offset + 1])
            case (_, .number, _):
                throw typeError("NUMBER", found: value.typeName, term.args[offset + 1])
            default:
                throw typeError("NUMBER", found: result.typeName, term.args[0])
            }
            if case .number(let number) = result, !number.isFinite {
                throw .runtime(.queryLogic, "Non-finite number: \(number.isNaN ? "nan" : number < 0 ? "-inf" : "inf")")
            }
        }
        return result
    }

    /// `[1, 2] * 3`: the array repeated (either operand may be the array).
    private func repeated(_ left: Document, _ right: Document, term: Term, operand: Term) throws(ReqlError) -> Document {
        let (array, times) = if case .array(let elements) = left { (elements, right) } else { (right.arrayValue ?? [], left) }
        guard case .number(let number) = times else { throw typeError("NUMBER", found: times.typeName, operand) }
        let copies = try integer(of: number, term: operand)
        guard copies >= 0 else { throw .runtime(.queryLogic, "Cannot multiply an ARRAY by a negative number.", backtrace: term.path) }
        guard array.isEmpty || copies <= Int64(context.arrayLimit / array.count) else { throw .arrayLimit(context.arrayLimit) }
        return .array(Array([[Document]](repeating: array, count: Int(copies)).joined()))
    }

    func objectArgument(_ term: Term, _ env: Environment) throws(ReqlError) -> DocumentObject {
        let value = try datum(term, env)
        guard case .object(let object) = value else {
            throw typeError("OBJECT", found: value.typeName, term)
        }
        return object
    }

    func arrayArgument(_ term: Term, _ env: Environment) throws(ReqlError) -> [Document] {
        let value = try datum(term, env)
        guard case .array(let array) = value else {
            throw typeError("ARRAY", found: value.typeName, term)
        }
        return array
    }
}
