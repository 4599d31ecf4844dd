import DocumentStore
import Foundation

/// What a query runs against: the databases, the query's global optargs and its clock.
struct QueryContext: Sendable {
    let registry: DatabaseRegistry
    let defaultDatabase: String
    /// Global optargs of `run(...)`, evaluated; term optargs fall back to them.
    let globalOptargs: [String: Value]
    let arrayLimit: Int
    /// `r.now()`: one instant for the whole query, as in RethinkDB.
    let now: Document
}

/// Evaluates ReQL terms onto the DocumentStore library. Datum operations are computed here;
/// everything that touches a table goes through the library's public API, so the server is a
/// translator, never a second engine.
struct Evaluator: Sendable {
    let context: QueryContext

    func eval(_ term: Term, _ env: Environment) async throws(ReqlError) -> Value {
        do throws(ReqlError) {
            return try await dispatch(term, env)
        } catch var error {
            // The innermost failing term names the place; outer terms leave it alone.
            if error.backtrace.isEmpty && error.responseType == 18 && !term.path.isEmpty {
                error.backtrace = term.path
            }
            throw error
        }
    }

    private func dispatch(_ term: Term, _ env: Environment) async throws(ReqlError) -> Value {
        switch term.type {
        case .datum: return .datum(term.datum)
        case .makeArray:
            var elements: [Document] = []
            for argument in term.args { elements.append(try await datum(argument, env)) }
            if elements.count > context.arrayLimit { throw ReqlEngine.arrayLimitError(context.arrayLimit) }
            return .datum(.array(elements))
        case .makeObject:
            var fields: [(String, Document)] = []
            for (name, value) in term.optargs { fields.append((name, try await datum(value, env))) }
            return .datum(.object(DocumentObject(uniqueKeysWithValues: fields)))
        case .variable:
            try arity(term, 1...1)
            guard let id = term.args[0].datum.intValue, let value = env.variables[id] else {
                throw .compile("Variable name not found.", backtrace: term.path)
            }
            return value
        case .implicitVar:
            guard let value = env.implicit else {
                throw .compile("r.row is not defined in this context.", backtrace: term.path)
            }
            return value
        case .function:
            try arity(term, 2...2)
            let parameters = term.args[0].args.compactMap { $0.datum.intValue }
            return .function(Function(parameters: parameters, body: term.args[1], captured: env))
        case .funcall:
            try arity(term, 1...Int.max)
            let function = try await self.function(term.args[0], env)
            var arguments: [Value] = []
            for argument in term.args.dropFirst() { arguments.append(try await eval(argument, env)) }
            return try await call(function, arguments)
        case .minval: return .datum(Bound.minval)
        case .maxval: return .datum(Bound.maxval)
        case .db, .table, .tableCreate, .tableDrop, .tableList, .dbCreate, .dbDrop, .dbList, .config, .sync:
            return try await admin(term, env)
        case .get, .getAll:
            return try await selection(term, env)
        case .insert, .update, .replace, .delete, .forEach:
            return try await write(term, env)
        default:
            if let value = try await sequenceOperation(term, env) { return value }
            if let value = try await datumOperation(term, env) { return value }
            throw .compile("Term type \(term.type.rawValue) is not supported by DocStore.", backtrace: term.path)
        }
    }

    // MARK: Conversions

    /// The term's value as a datum: a single selection gives its row, a stream its elements.
    func datum(_ term: Term, _ env: Environment) async throws(ReqlError) -> Document {
        try await datum(of: eval(term, env), term: term)
    }

    func datum(of value: Value, term: Term) async throws(ReqlError) -> Document {
        switch value {
        case .datum(let document): return document
        case .singleSelection(_, _, let row): return row ?? .null
        case .selection(_, let stream), .stream(let stream):
            return .array(try await stream.collect(limit: context.arrayLimit))
        case .table(let table):
            return .array(try await RowStream.table(table.table).collect(limit: context.arrayLimit))
        default:
            throw .runtime(.queryLogic, "Expected type DATUM but found \(value.typeName).", backtrace: term.path)
        }
    }

    /// The term's value as a sequence of documents.
    func stream(of value: Value, term: Term) throws(ReqlError) -> RowStream {
        switch value {
        case .datum(.array(let elements)): return .array(elements)
        case .datum(let other):
            throw .runtime(.queryLogic, "Cannot convert \(other.typeName) to SEQUENCE", backtrace: term.path)
        case .table(let table): return .table(table.table)
        case .selection(_, let stream), .stream(let stream): return stream
        default:
            throw .runtime(.queryLogic, "Expected type SEQUENCE but found \(value.typeName).", backtrace: term.path)
        }
    }

    func string(_ term: Term, _ env: Environment) async throws(ReqlError) -> String {
        let value = try await datum(term, env)
        guard case .string(let text) = value else {
            throw .runtime(.queryLogic, "Expected type STRING but found \(value.typeName).", backtrace: term.path)
        }
        return text
    }

    func number(_ term: Term, _ env: Environment) async throws(ReqlError) -> Double {
        let value = try await datum(term, env)
        guard case .number(let number) = value else {
            throw .runtime(.queryLogic, "Expected type NUMBER but found \(value.typeName).", backtrace: term.path)
        }
        return number
    }

    func function(_ term: Term, _ env: Environment) async throws(ReqlError) -> Function {
        let value = try await eval(term, env)
        guard case .function(let function) = value else {
            throw .runtime(.queryLogic, "Expected type FUNCTION but found \(value.typeName).", backtrace: term.path)
        }
        return function
    }

    /// A function argument, or a constant wrapped as one (ReQL accepts either in most places).
    func callable(_ term: Term, _ env: Environment) async throws(ReqlError) -> Value {
        try await eval(term, env)
    }

    /// Calls a function (or returns a constant) with these arguments.
    func call(_ value: Value, _ arguments: [Value]) async throws(ReqlError) -> Value {
        guard case .function(let function) = value else { return value }
        return try await call(function, arguments)
    }

    func call(_ function: Function, _ arguments: [Value]) async throws(ReqlError) -> Value {
        if !function.parameters.isEmpty && function.parameters.count != arguments.count {
            let expected = function.parameters.count
            throw .runtime(.queryLogic, "Expected function with \(arguments.count) argument\(arguments.count == 1 ? "" : "s") but found function with \(expected) argument\(expected == 1 ? "" : "s").")
        }
        var env = function.captured
        for (id, argument) in zip(function.parameters, arguments) { env.variables[id] = argument }
        if function.parameters.count == 1 { env.implicit = arguments.first }
        return try await eval(function.body, env)
    }

    func callDatum(_ value: Value, _ arguments: [Document], term: Term) async throws(ReqlError) -> Document {
        try await datum(of: call(value, arguments.map(Value.datum)), term: term)
    }

    /// RethinkDB's argument-count messages (`argspec_t::print`), as compile errors.
    func arity(_ term: Term, _ range: ClosedRange<Int>) throws(ReqlError) {
        let count = term.args.count
        guard !range.contains(count) else { return }
        let expected: String
        if range.lowerBound == range.upperBound {
            expected = "\(range.lowerBound) argument\(range.lowerBound == 1 ? "" : "s")"
        } else if range.upperBound == Int.max {
            expected = "\(range.lowerBound) or more arguments"
        } else {
            expected = "between \(range.lowerBound) and \(range.upperBound) arguments"
        }
        throw .compile("Expected \(expected) but found \(count).", backtrace: term.path)
    }

    /// A term optarg, else the query's global optarg of the same name.
    func optarg(_ name: String, _ term: Term, _ env: Environment) async throws(ReqlError) -> Value? {
        if let local = term.optarg(name) { return try await eval(local, env) }
        return context.globalOptargs[name]
    }
}
