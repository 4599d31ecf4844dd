import DocumentModel

extension Evaluator {
    /// Object shaping (`merge`, `pluck`, `without`), on one object or element-wise on a
    /// sequence.
    func objectOperation(_ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        switch term.type {
        case .merge:
            try arity(term, 1...Int.max)
            var patches: [Value] = []
            for argument in term.args.dropFirst() { patches.append(try eval(argument, env)) }
            return try elementWise(term, env) { (object: Document) throws(ReqlError) -> Document in
                var result = object
                for patch in patches {
                    result = Literal.merge(result, try self.callDatum(patch, [result], term: term))
                }
                try Literal.rejectStray(in: result)
                return result
            }
        case .pluck, .without:
            try arity(term, 1...Int.max)
            var paths: [Document] = []
            for argument in term.args.dropFirst() { paths.append(try datum(argument, env)) }
            let keep = term.type == .pluck
            return try elementWise(term, env) { (object: Document) throws(ReqlError) -> Document in
                guard case .object(let fields) = object else {
                    throw .runtime(.queryLogic, "Cannot perform \(keep ? "pluck" : "without") on a non-object non-sequence `\(object.jsonString)`.")
                }
                return .object(keep ? Self.pluck(fields, paths) : Self.without(fields, paths))
            }
        default:
            return nil
        }
    }

    /// Applies `transform` to an object, or lazily to every element of a sequence.
    private func elementWise(_ term: Term, _ env: Environment,
                             _ transform: @escaping (Document) throws(ReqlError) -> Document) throws(ReqlError) -> Value {
        try elementWise(try eval(term.args[0], env), term: term, transform)
    }

    private func elementWise(_ target: Value, term: Term,
                             _ transform: @escaping (Document) throws(ReqlError) -> Document) throws(ReqlError) -> Value {
        switch target {
        case .datum(.array(let elements)):
            var results: [Document] = []
            for element in elements { results.append(try transform(element)) }
            return .datum(.array(results))
        case .datum(let document):
            return .datum(try transform(document))
        case .singleSelection(_, _, let row):
            return .datum(try transform(row ?? .null))
        case .writeResult(let result):
            return .datum(try transform(result.document))
        default:
            return .stream(try stream(of: target, term: term.args[0]).map(transform))
        }
    }

    /// RethinkDB's path specs: a field name, an array of them, or an object of nested specs.
    package static func pluck(_ object: DocumentObject, _ paths: [Document]) -> DocumentObject {
        var result = DocumentObject()
        for path in paths {
            switch path {
            case .string(let name): if let value = object[name] { result[name] = value }
            case .array(let names): result = mergeFields(result, pluck(object, names))
            case .object(let nested):
                for (name, spec) in nested {
                    guard let value = object[name] else { continue }
                    if case .bool(true) = spec {
                        result[name] = value
                    } else if case .object(let inner) = value {
                        result[name] = .object(pluck(inner, [spec]))
                    }
                }
            default: break
            }
        }
        return result
    }

    package static func without(_ object: DocumentObject, _ paths: [Document]) -> DocumentObject {
        var result = object
        for path in paths {
            switch path {
            case .string(let name): result[name] = nil
            case .array(let names): result = without(result, names)
            case .object(let nested):
                for (name, spec) in nested {
                    if case .bool(true) = spec {
                        result[name] = nil
                    } else if case .object(let inner)? = result[name] {
                        result[name] = .object(without(inner, [spec]))
                    }
                }
            default: break
            }
        }
        return result
    }

    private static func mergeFields(_ base: DocumentObject, _ extra: DocumentObject) -> DocumentObject {
        var result = base
        for (key, value) in extra { result[key] = value }
        return result
    }
}
