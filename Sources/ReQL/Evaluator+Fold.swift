import DocumentModel

extension Evaluator {
    /// `fold`: a left fold with a base; with `emit` a stream of what `emit` returns for each
    /// step (and `final_emit` for the end), evaluated lazily so it works on `r.range()`.
    func fold(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        let source = try eval(term.args[0], env)
        let rows = try stream(of: source, term: term.args[0])
        let base = try datum(term.args[1], env)
        let accumulate = try function(term.args[2], env)
        guard accumulate.parameters.isEmpty || accumulate.parameters.count == 2 else {
            throw .runtime(.queryLogic, "The accumulator function passed to `fold` should expect 2 arguments", backtrace: term.path)
        }
        let emit = try optarg("emit", term, env)
        let finalEmit = try optarg("final_emit", term, env)
        func step(_ accumulator: Document, _ row: Document) throws(ReqlError) -> Document {
            try callDatum(.function(accumulate), [accumulator, row], term: term)
        }
        guard let emit else {
            if rows.feed != nil { throw .terminalOnFeed }
            if rows.isInfinite { throw .infiniteStream }
            var accumulator = base
            while let row = try rows.next() { accumulator = try step(accumulator, row) }
            guard let finalEmit else { return .datum(accumulator) }
            return .datum(try callDatum(finalEmit, [accumulator], term: term))
        }
        var accumulator = base
        var pending: [Document] = []
        var finished = false
        // Over a change feed (RethinkDB folds feeds too), a nil may only mean "no change yet".
        let emitted = RowStream(cancellation: context.cancellation, isInfinite: rows.isInfinite, feed: rows.feed) { () throws(ReqlError) -> Document? in
            while pending.isEmpty && !finished {
                let waited = rows.feed?.emptyPolls
                if let row = try rows.next() {
                    let next = try step(accumulator, row)
                    pending = try self.emittedElements(try self.callDatum(emit, [accumulator, row, next], term: term), term: term)
                    accumulator = next
                } else if let feed = rows.feed, feed.emptyPolls != waited {
                    return nil
                } else {
                    finished = true
                    if let finalEmit {
                        pending = try self.emittedElements(try self.callDatum(finalEmit, [accumulator], term: term), term: term)
                    }
                }
            }
            return pending.isEmpty ? nil : pending.removeFirst()
        }
        if case .datum = source { return .datum(.array(try emitted.collect(limit: context.arrayLimit))) }
        return .stream(emitted)
    }

    private func emittedElements(_ value: Document, term: Term) throws(ReqlError) -> [Document] {
        guard case .array(let elements) = value else { throw typeError("ARRAY", found: value.typeName, term) }
        return elements
    }
}
