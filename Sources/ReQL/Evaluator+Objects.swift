import DocumentModel

extension Evaluator {
    /// Object shaping (`merge`, `pluck`, `without`), on one object or element-wise on a
    /// sequence.
    func objectOperation(_ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        switch term.type {
        case .merge:
            try arity(term, 1...Int.max)
            let target = try eval(term.args[0], env)
            var patches: [Value] = []
            for argument in term.args.dropFirst() { patches.append(try eval(argument, env)) }
            return try objectOrSequence("merge", target, term: term) { (object: Document) throws(ReqlError) -> Document in
                var result = object
                for (index, patch) in patches.enumerated() {
                    let change = try self.callDatum(patch, [result], term: term)
                    if case .object(let fields) = change, let type = fields.reqlType, type != "LITERAL" {
                        throw .runtime(.queryLogic, "Cannot merge objects of type `\(change.typeName)`.", backtrace: term.args[index + 1].path)
                    }
                    result = Literal.merge(result, change)
                }
                try Literal.rejectStray(in: result)
                return result
            }
        case .pluck, .without:
            try arity(term, 1...Int.max)
            let target = try eval(term.args[0], env)
            var paths: [Document] = []
            for argument in term.args.dropFirst() { paths.append(try datum(argument, env)) }
            for path in paths { try Self.checkPath(path, term: term) }
            let keep = term.type == .pluck
            return try objectOrSequence(keep ? "pluck" : "without", target, term: term) { (object: Document) throws(ReqlError) -> Document in
                guard case .object(let fields) = object else { return object }
                return .object(keep ? Self.pluck(fields, paths) : Self.without(fields, paths))
            }
        default:
            return nil
        }
    }

    /// RethinkDB's object-or-sequence terms (`obj_or_seq.cc`): on an object the operation
    /// itself (pseudotypes such as times refused), on an array or stream the operation on each
    /// element (which may not be a sequence again), on anything else an error.
    func objectOrSequence(_ name: String, _ target: Value, term: Term,
                          _ transform: @escaping (Document) throws(ReqlError) -> Document) throws(ReqlError) -> Value {
        func apply(_ value: Document, inSequence: Bool) throws(ReqlError) -> Document {
            guard case .object(let object) = value else {
                if inSequence, case .array = value {
                    throw .runtime(.queryLogic, "Cannot perform \(name) on a sequence of sequences.", backtrace: term.path)
                }
                throw .runtime(value.isNull ? .nonExistence : .queryLogic,
                               "Cannot perform \(name) on a non-object non-sequence `\(value.truncatedPrettyPrinted)`.", backtrace: term.args[0].path)
            }
            if object.reqlType != nil {
                throw .runtime(.queryLogic, "Cannot call `\(name)` on objects of type `\(value.typeName)`.", backtrace: term.args[0].path)
            }
            return try transform(value)
        }
        let value = target.datumValue
        if let value, value.arrayValue == nil { return .datum(try apply(value, inSequence: false)) }
        let rows = try stream(of: target, term: term.args[0]).map { (row: Document) throws(ReqlError) -> Document in
            try apply(row, inSequence: true)
        }
        if value != nil { return .datum(.array(try rows.collect(limit: context.arrayLimit))) }
        return .stream(rows)
    }

    /// A path spec must be a field name, an array of specs or an object of them.
    static func checkPath(_ path: Document, term: Term) throws(ReqlError) {
        switch path {
        case .string: return
        case .array(let paths): for inner in paths { try checkPath(inner, term: term) }
        case .object(let nested):
            for (_, spec) in nested where spec != .bool(true) { try checkPath(spec, term: term) }
        default:
            throw .runtime(.queryLogic, "Invalid path argument `\(path.prettyPrinted)`.", backtrace: term.path)
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
