import DocumentModel

extension Evaluator {
    /// `map` over one sequence, or over several in step (`r.map(a, b, f)`, as long as the
    /// shortest): arrays give an array, anything else a stream (a mapped table is no longer a
    /// selection).
    func map(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        var sources: [Value] = []
        for argument in term.args.dropLast() { sources.append(try eval(argument, env)) }
        var streams: [RowStream] = []
        for (index, source) in sources.enumerated() { streams.append(try stream(of: source, term: term.args[index])) }
        let function = try self.function(term.args[term.args.count - 1], env)
        let expected = function.parameters.count
        guard expected == 0 || expected == streams.count else {
            throw .runtime(.queryLogic, "The function passed to `map` expects \(expected) argument\(expected == 1 ? "" : "s"), but \(streams.count) sequence\(streams.count == 1 ? " was" : "s were") found.", backtrace: term.path)
        }
        let mapped: RowStream
        if streams.count == 1 {
            mapped = streams[0].map { (row: Document) throws(ReqlError) -> Document in
                try self.callDatum(.function(function), [row], term: term)
            }
        } else {
            mapped = RowStream(cancellation: context.cancellation, isInfinite: streams.allSatisfy(\.isInfinite)) { () throws(ReqlError) -> Document? in
                var rows: [Document] = []
                for stream in streams {
                    guard let row = try stream.next() else { return nil }
                    rows.append(row)
                }
                return try self.callDatum(.function(function), rows, term: term)
            }
        }
        if sources.allSatisfy({ if case .datum = $0 { return true } else { return false } }) {
            return .datum(.array(try mapped.collect(limit: context.arrayLimit)))
        }
        return .stream(mapped)
    }
}
