import DocumentModel

extension Evaluator {
    /// `map` over several sequences at once (`r.map(a, b, f)`): `f` gets one element of each,
    /// the result is as long as the shortest and endless only when all are. Also checks a
    /// one-sequence `map`'s function arity with RethinkDB's message. Nil when the term is a
    /// plain one-sequence `map`, which the sequence terms handle.
    func mapOfSequences(_ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        guard term.type == .map else { return nil }
        try arity(term, 2...Int.max)
        let count = term.args.count - 1
        var sources: [Value] = []
        for argument in term.args.dropLast() { sources.append(try eval(argument, env)) }
        let function = try eval(term.args[count], env)
        if case .function(let body) = function, !body.parameters.isEmpty, body.parameters.count != count {
            let expected = body.parameters.count
            throw .runtime(.queryLogic, "The function passed to `map` expects \(expected) argument\(expected == 1 ? "" : "s"), but \(count) sequence\(count == 1 ? " was" : "s were") found.", backtrace: term.path)
        }
        guard count > 1 else { return nil }
        var streams: [RowStream] = []
        for (source, argument) in zip(sources, term.args) { streams.append(try stream(of: source, term: argument)) }
        let zipped = RowStream(cancellation: context.cancellation, isInfinite: streams.allSatisfy(\.isInfinite)) { () throws(ReqlError) -> Document? in
            var elements: [Value] = []
            for stream in streams {
                guard let element = try stream.next() else { return nil }
                elements.append(.datum(element))
            }
            return try self.datum(of: try self.call(function, elements), term: term)
        }
        let allArrays = sources.allSatisfy { if case .datum = $0 { return true } else { return false } }
        return allArrays ? .datum(.array(try zipped.collect(limit: context.arrayLimit))) : .stream(zipped)
    }
}
