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
        case .branch:
            try arity(term, 3...Int.max)
            var index = 0
            while index + 1 < term.args.count {
                if truthy(try datum(term.args[index], env)) { return try eval(term.args[index + 1], env) }
                index += 2
            }
            return try eval(term.args[term.args.count - 1], env)
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
        case .error:
            try arity(term, 0...1)
            guard let message = term.args.first else { throw .runtime(.queryLogic, "Empty ERROR term outside a default block.") }
            throw .runtime(.user, try string(message, env), backtrace: term.path)
        case .default:
            try arity(term, 2...2)
            do throws(ReqlError) {
                let value = try eval(term.args[0], env)
                if case .datum(.null) = value { return try call(try eval(term.args[1], env), [.datum(.null)]) }
                return value
            } catch where error.errorType == .nonExistence || error.errorType == .user {
                return try call(try eval(term.args[1], env), [.datum(.string(error.message))])
            }
        case .literal:
            try arity(term, 0...1)
            return .datum(Literal.make(try datumOptional(term.args.first, env)))
        case .now:
            try arity(term, 0...0)
            return .datum(context.now)
        case .uuid:
            try arity(term, 0...1)
            return .datum(.string(UUID().uuidString.lowercased()))
        case .typeOf:
            try arity(term, 1...1)
            let value = try eval(term.args[0], env)
            if case .datum(let document) = value { return .datum(.string(document.typeName)) }
            return .datum(.string(value.typeName))
        case .keys, .values:
            try arity(term, 1...1)
            let object = try objectArgument(term.args[0], env)
            return .datum(.array(term.type == .keys ? object.keys.map(Document.string) : object.values))
        case .append, .prepend:
            try arity(term, 2...2)
            var array = try arrayArgument(term.args[0], env)
            let element = try datum(term.args[1], env)
            if term.type == .append { array.append(element) } else { array.insert(element, at: 0) }
            if array.count > context.arrayLimit { throw .arrayLimit(context.arrayLimit) }
            return .datum(.array(array))
        case .coerceTo:
            try arity(term, 2...2)
            return .datum(try coerce(term, env))
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
                throw .runtime(.queryLogic, "Expected type \(result.typeName) but found \(value.typeName).", backtrace: term.args[offset + 1].path)
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

    private func coerce(_ term: Term, _ env: Environment) throws(ReqlError) -> Document {
        let target = try string(term.args[1], env).lowercased()
        let value = try eval(term.args[0], env)
        switch target {
        case "array":
            if case .datum(.object(let object)) = value {
                return .array(object.map { .array([.string($0.key), $0.value]) })
            }
            return .array(try stream(of: value, term: term.args[0]).collect(limit: context.arrayLimit))
        case "object":
            let document = try datum(of: value, term: term.args[0])
            if case .object = document { return document }
            guard case .array(let pairs) = document else { break }
            var fields: [(String, Document)] = []
            for pair in pairs {
                guard case .array(let items) = pair, items.count == 2, case .string(let key) = items[0] else {
                    throw .runtime(.queryLogic, "Expected array of size 2, but got size \(pair.arrayValue?.count ?? 0).")
                }
                fields.removeAll { $0.0 == key }
                fields.append((key, items[1]))
            }
            return .object(DocumentObject(uniqueKeysWithValues: fields))
        case "string":
            let document = try datum(of: value, term: term.args[0])
            if case .string = document { return document }
            return .string(document.jsonString)
        case "number":
            let document = try datum(of: value, term: term.args[0])
            if case .number = document { return document }
            if case .string(let text) = document, let number = Double(text), number.isFinite { return .number(number) }
            throw .runtime(.queryLogic, "Could not coerce `\(document.jsonString)` to NUMBER.")
        case "bool":
            return .bool(truthy(try datum(of: value, term: term.args[0])))
        default:
            let document = try datum(of: value, term: term.args[0])
            if target == document.typeName.lowercased() { return document }
        }
        let shown = (try? datum(of: value, term: term.args[0]))?.typeName ?? value.typeName
        throw .runtime(.queryLogic, "Cannot coerce \(shown) to \(target.uppercased()).")
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
