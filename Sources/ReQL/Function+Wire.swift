import DocumentModel

extension Function {
    /// The function as a FUNC term in the JSON wire form (`[69, [[2, [params]], body]]`), what
    /// the library stores for an index function and evaluates again on every write.
    ///
    /// A function that was written inside another one closes over its variables
    /// (`r.expr(10).do(lambda n: t.index_create('i', lambda d: d['a'] + n))`); their values are
    /// written into the term as datums, as RethinkDB serialises a function with its captures.
    package var wireForm: Document {
        var captures: [Int: Document] = [:]
        for (id, value) in captured.variables where !parameters.contains(id) {
            if case .datum(let document) = value { captures[id] = document }
        }
        let parameterList: Document = [2, .array(parameters.map { .number(Double($0)) })]
        return [69, [parameterList, body.wireForm(substituting: captures)]]
    }
}

extension Term {
    /// This term in the wire form a driver sends, with the variables in `values` replaced by
    /// their datums.
    func wireForm(substituting values: [Int: Document]) -> Document {
        switch type {
        case .datum:
            return Self.wireDatum(datum)
        case .variable:
            if let id = args.first?.datum.intValue, let value = values[id] { return Self.wireDatum(value) }
        case .makeObject:
            return .object(DocumentObject(uniqueKeysWithValues: optargs.map { ($0.name, $0.term.wireForm(substituting: values)) }))
        default:
            break
        }
        var parts: [Document] = [.number(Double(type.rawValue)), .array(args.map { $0.wireForm(substituting: values) })]
        if !optargs.isEmpty {
            parts.append(.object(DocumentObject(uniqueKeysWithValues: optargs.map { ($0.name, $0.term.wireForm(substituting: values)) })))
        }
        return .array(parts)
    }

    /// A datum as a term: JSON arrays stand for terms on the wire, so an array datum goes as
    /// MAKE_ARRAY; objects and scalars go as they are.
    private static func wireDatum(_ value: Document) -> Document {
        switch value {
        case .array(let elements):
            return [2, .array(elements.map(wireDatum))]
        case .object(let object):
            return .object(DocumentObject(uniqueKeysWithValues: object.map { ($0.key, wireDatum($0.value)) }))
        default:
            return value
        }
    }
}
