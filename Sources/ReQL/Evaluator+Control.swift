import DocumentModel

extension ReqlError {
    /// `r.error()` with no message: inside `default` (or a `filter`'s `default`) it means
    /// "keep the original error or value"; anywhere else it is this QUERY_LOGIC error.
    package static let emptyError = ReqlError.runtime(.queryLogic, "Empty ERROR term outside a default block.")

    var isEmptyError: Bool { errorType == .queryLogic && message == Self.emptyError.message }
}

extension Evaluator {
    /// Control terms: `r.do`, `branch`, `default`, `error`, `r.args` and `r.http`; nil for
    /// other terms.
    func controlOperation(_ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        switch term.type {
        case .funcall:
            return try funcall(term, env)
        case .branch:
            guard term.args.count % 2 == 1 else {
                throw .runtime(.queryLogic, "Cannot call `branch` term with an even number of arguments.", backtrace: term.path)
            }
            var index = 0
            while index + 1 < term.args.count {
                if truthy(try datum(term.args[index], env)) { return try eval(term.args[index + 1], env) }
                index += 2
            }
            return try eval(term.args[term.args.count - 1], env)
        case .default:
            return try defaultValue(term, env)
        case .error:
            guard let message = term.args.first else { throw ReqlError.emptyError }
            throw .runtime(.user, try string(message, env), backtrace: term.path)
        case .args:
            // Spliced into the enclosing term when it runs; alone it is its array.
            let value = try datum(term.args[0], env)
            guard case .array = value else { throw typeError("ARRAY", found: value.typeName, term.args[0]) }
            return .datum(value)
        case .http:
            _ = try string(term.args[0], env)
            throw .runtime(.opFailed, "`r.http` is not supported by DocStore: the server makes no network requests.", backtrace: term.path)
        default:
            return nil
        }
    }

    /// The term with each `r.args(array)` argument replaced by the array's elements, which
    /// RethinkDB evaluates before the other arguments.
    func splice(_ term: Term, _ env: Environment) throws(ReqlError) -> Term {
        if term.type == .orderBy || term.type == .union {
            throw .runtime(.queryLogic, "r.args is not supported in an order_by or union command yet.", backtrace: term.path)
        }
        var arguments: [Term] = []
        for argument in term.args {
            guard argument.type == .args else {
                arguments.append(argument)
                continue
            }
            guard case .datum(.array(let elements)) = try eval(argument, env) else {
                throw .runtime(.internal, "r.args did not give an array.", backtrace: argument.path)
            }
            arguments += elements.map { Term.constant($0, path: term.path, deterministic: argument.isDeterministic) }
        }
        return try term.spliced(arguments)
    }

    /// `r.do(args..., f)` (sent as FUNCALL f, args...): calls `f` with the arguments; a value
    /// that is not a function is returned as it is (RethinkDB's constant shortcut).
    private func funcall(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        let callee = try eval(term.args[0], env)
        switch callee {
        case .function, .datum, .singleSelection, .writeResult: break
        default: throw valueTypeError("FUNCTION", callee, term.args[0])
        }
        var arguments: [Value] = []
        for argument in term.args.dropFirst() { arguments.append(.datum(try datum(argument, env))) }
        guard case .function(let function) = callee else { return callee }
        return try call(function, arguments)
    }

    /// `default`: the value, unless it is null or its evaluation failed for a missing value
    /// (a NON_EXISTENCE error); then the default, called with the error message (or null) if
    /// it is a function. `r.error()` as the default keeps the original error (or null).
    private func defaultValue(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        var original: ReqlError?
        var value: Value = .datum(.null)
        let argument: Document
        do throws(ReqlError) {
            value = try eval(term.args[0], env)
            switch value {
            case .datum(.null): argument = .null
            case .singleSelection(_, _, .none): argument = .null
            default: return value
            }
        } catch where error.errorType == .nonExistence {
            original = error
            argument = .string(error.message)
        }
        do throws(ReqlError) {
            let fallback = try eval(term.args[1], env)
            if case .function(let function) = fallback { return try call(function, [.datum(argument)]) }
            return fallback
        } catch where error.isEmptyError {
            if let original { throw original }
            return value
        }
    }
}
