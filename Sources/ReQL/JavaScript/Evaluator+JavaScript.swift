import DocumentModel

/// A function `r.js` evaluated to: its source (which finds it in the query's engine again,
/// as RethinkDB's `js_func_t` does) and the timeout each call gets.
package struct JavaScriptFunction: Sendable {
    package let source: String
    package let timeoutMilliseconds: UInt64
}

extension Evaluator {
    /// `r.js(source, timeout=5)`: a datum, or a function that ReQL terms can call.
    ///
    /// Never deterministic (``TermType/isNonDeterministic``), so `update`/`replace` refuse it
    /// without `non_atomic`, and index functions and write hooks refuse it altogether.
    func javascript(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        try arity(term, 1...1)
        let timeout = try javascriptTimeout(term, env)
        let source = try string(term.args[0], env)
        let limits = javascriptLimits(timeout)
        switch try context.javascript.evaluate(source, limits: limits) {
        case .datum(let document):
            return .datum(document)
        case .function:
            // The body is the `r.js` term itself: it points errors at it and is not deterministic.
            return .function(Function(
                parameters: [], body: term, captured: Environment(),
                javascript: JavaScriptFunction(source: source, timeoutMilliseconds: timeout)
            ))
        }
    }

    /// Calls a JavaScript function with datum arguments; errors point at its `r.js` term.
    func callJavaScript(_ function: JavaScriptFunction, _ arguments: [Value], term: Term) throws(ReqlError) -> Value {
        do throws(ReqlError) {
            var datums: [Document] = []
            for argument in arguments { datums.append(try datum(of: argument, term: term)) }
            let limits = javascriptLimits(function.timeoutMilliseconds)
            return .datum(try context.javascript.call(function.source, datums, limits: limits))
        } catch var error {
            if error.backtrace.isEmpty && error.responseType == .runtimeError { error.backtrace = term.path }
            throw error
        }
    }

    /// The `timeout` optarg (or the query's), in RethinkDB's milliseconds.
    private func javascriptTimeout(_ term: Term, _ env: Environment) throws(ReqlError) -> UInt64 {
        guard let value = try optarg("timeout", term, env) else { return JavaScriptLimits.defaultTimeout }
        let place = term.optarg("timeout") ?? term
        let seconds = try datum(of: value, term: place)
        guard case .number(let number) = seconds else { throw typeError("NUMBER", found: seconds.typeName, place) }
        return JavaScriptLimits.milliseconds(fromSeconds: number)
    }

    private func javascriptLimits(_ timeout: UInt64) -> JavaScriptLimits {
        JavaScriptLimits(timeoutMilliseconds: timeout, arrayLimit: context.arrayLimit, cancellation: context.cancellation)
    }
}
