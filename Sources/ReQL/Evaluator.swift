import DocumentModel

/// What a query runs against: its tables, the query's global optargs, its clock and its
/// cancellation token.
package struct QueryContext: Sendable {
    package let tables: any TableAccess
    /// `r.now()`: one instant for the whole query, as in RethinkDB.
    package let now: Document
    package let cancellation: CancellationToken
    /// The global optargs' effects, RethinkDB's defaults until `run(...)` says otherwise.
    package var defaultDatabase = "test"
    /// Global optargs of `run(...)`, evaluated; term optargs fall back to them.
    package var globalOptargs: [String: Value] = [:]
    /// Global optargs whose evaluation failed: RethinkDB evaluates them only when a term
    /// reads them, so the error belongs to that term (a client sending `db=None` can still
    /// run `db_create`).
    package var deferredOptargErrors: [String: ReqlError] = [:]
    package var arrayLimit = ArrayLimit.default
    /// `r.js`'s engine, made on first use and shared by every copy of this context.
    package let javascript = JavaScriptEngine()
    /// Set when the query runs with `profile: true`.
    package var profile: QueryProfile?
    /// The documents of the query's `insert` as JSON text, and the term that stands for them
    /// (a `null` DATUM): given by the server when a client's documents are plain data.
    package var insertDocuments: (term: Term, json: [UInt8])?

    package init(tables: any TableAccess, now: Document, cancellation: CancellationToken) {
        self.tables = tables
        self.now = now
        self.cancellation = cancellation
    }
}

/// Evaluates ReQL terms. Datum operations are computed here; everything that touches a table
/// goes through ``QueryContext/tables``, so storage has one implementation, the library's.
///
/// Synchronous on purpose: the library calls it from its writer thread (conflict functions,
/// update functions, and later index functions and write hooks), where nothing may suspend.
/// Every term and every stream element checks the query's cancellation token.
package struct Evaluator: Sendable {
    package let context: QueryContext

    package init(context: QueryContext) {
        self.context = context
    }

    package func eval(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        do throws(ReqlError) {
            try context.cancellation.check()
            if let substitute = env.substitute, substitute.term === term { return substitute.value }
            if term.splicesArguments { return try evaluate(try splice(term, env), env) }
            guard let profile = context.profile else { return try evaluate(term, env) }
            profile.start("Evaluating \(term.type.name).")
            defer { profile.stop() }
            return try evaluate(term, env)
        } catch var error {
            // The innermost failing term names the place; outer terms leave it alone.
            if error.backtrace.isEmpty && error.responseType == .runtimeError && !term.path.isEmpty {
                error.backtrace = term.path
            }
            throw error
        }
    }

    private func evaluate(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        if let index = term.type.groupedArgument, index < term.args.count, term.args[index].type.rawValue != 154 {
            // 154 is `r.args`, which expands into arguments rather than being one.
            return try evaluateGroupable(term, argument: index, env)
        }
        return try dispatch(term, env)
    }

    func dispatch(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        switch term.type {
        case .datum:
            if let folded = term.folded, folded.longestArray > context.arrayLimit {
                // Over this query's array limit: the terms the literal came as give the error.
                return try eval(try Term.compile(folded.wire, path: term.path), env)
            }
            return .datum(term.datum)
        case .makeArray:
            var elements: [Document] = []
            for argument in term.args { elements.append(try datum(argument, env)) }
            if elements.count > context.arrayLimit { throw .arrayLimit(context.arrayLimit) }
            return .datum(.array(elements))
        case .makeObject:
            var fields: [(String, Document)] = []
            for (name, value) in term.optargs { fields.append((name, try datum(value, env))) }
            return .datum(try ReqlTime.sanitized(try Binary.sanitize(.object(DocumentObject(uniqueKeysWithValues: fields)))))
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
        case .javascript: return try javascript(term, env)
        case .minval: return .datum(Bound.minval)
        case .maxval: return .datum(Bound.maxval)
        case .db, .table, .tableCreate, .tableDrop, .tableList, .dbCreate, .dbDrop, .dbList, .config, .sync:
            return try admin(term, env)
        case .get, .getAll:
            return try selection(term, env)
        case .status, .wait, .reconfigure, .rebalance:
            return try cluster(term, env)
        case .insert, .update, .replace, .delete, .forEach:
            return try write(term, env)
        case .indexCreate, .indexDrop, .indexList, .indexRename, .indexStatus, .indexWait:
            return try indexOperation(term, env)
        case .between:
            return try between(term, env)
        case .eqJoin, .innerJoin, .outerJoin, .zip:
            return try join(term, env)
        case .changes:
            return try changes(term, env)
        default:
            if let value = try extendedOperation(term, env) { return value }
            if let value = try timeOperation(term, env) { return value }
            if let value = try aggregationOperation(term, env) { return value }
            if let value = try sequenceOperation(term, env) { return value }
            if let value = try datumOperation(term, env) { return value }
            throw .compile("Term type \(term.type.rawValue) is not supported by DocStore.", backtrace: term.path)
        }
    }

    // MARK: Conversions

    /// The term's value as a datum: a single selection gives its row, a stream its elements.
    package func datum(_ term: Term, _ env: Environment) throws(ReqlError) -> Document {
        try datum(of: eval(term, env), term: term)
    }

    package func datum(of value: Value, term: Term) throws(ReqlError) -> Document {
        switch value {
        case .datum(let document): return document
        case .singleSelection(_, _, let row): return row ?? .null
        case .writeResult(let result): return result.document
        default:
            // Streams are not datums: RethinkDB makes a query say `coerce_to('array')`.
            throw valueTypeError("DATUM", value, term)
        }
    }

    /// The term's value as a sequence of documents.
    package func stream(of value: Value, term: Term) throws(ReqlError) -> RowStream {
        switch value {
        case .datum(.array(let elements)): return .array(elements, cancellation: context.cancellation)
        case .datum(let other):
            throw .runtime(.queryLogic, "Cannot convert \(other.typeName) to SEQUENCE", backtrace: term.path)
        case .table(let table): return context.tables.scan(table)
        case .selection(let selection): return rows(of: selection)
        case .stream(let stream): return stream
        default:
            throw valueTypeError("SEQUENCE", value, term)
        }
    }

    /// The rows of a selection; `get_all` reads all its keys in one library call, on the first pull.
    func rows(of selection: RowSelection) -> RowStream {
        switch selection.target {
        case .all:
            return context.tables.scan(selection.table)
        case .rows(let stream):
            return stream
        case .slice(let scan):
            return context.tables.indexScan(scan, in: selection.table)
        case .keys(let keys):
            let tables = context.tables
            var rows: [Document]?
            var index = 0
            return RowStream(cancellation: context.cancellation) { () throws(ReqlError) -> Document? in
                if rows == nil { rows = try tables.getAll(keys, in: selection.table) }
                guard let rows, index < rows.count else { return nil }
                defer { index += 1 }
                return rows[index]
            }
        }
    }

    func string(_ term: Term, _ env: Environment) throws(ReqlError) -> String {
        let value = try datum(term, env)
        guard let text = value.stringValue else { throw typeError("STRING", found: value.typeName, term) }
        return text
    }

    func number(_ term: Term, _ env: Environment) throws(ReqlError) -> Double {
        let value = try datum(term, env)
        guard let number = value.doubleValue else { throw typeError("NUMBER", found: value.typeName, term) }
        return number
    }

    /// RethinkDB's "Expected type X but found Y." for an argument of the wrong type. A null
    /// where a value was needed is a NON_EXISTENCE error (`exc_type`), which `default` catches.
    func typeError(_ expected: String, found: String, _ term: Term) -> ReqlError {
        .runtime(found == "NULL" ? .nonExistence : .queryLogic, "Expected type \(expected) but found \(found).", backtrace: term.path)
    }

    /// An integer argument, with RethinkDB's messages for fractions and numbers past 2^53
    /// (`checked_convert_to_int`).
    func integer(_ term: Term, _ env: Environment) throws(ReqlError) -> Int64 {
        try integer(of: try number(term, env), term: term)
    }

    func integer(of value: Double, term: Term) throws(ReqlError) -> Int64 {
        let bound = Double(1 << 53)
        guard value >= -bound, value <= bound, let exact = Int64(exactly: value) else {
            let range = value < -bound ? " (<-2^53)" : value > bound ? " (>2^53)" : ""
            throw .runtime(.queryLogic, "Number not an integer\(range): \(JSONNumber.reconstructable(value))", backtrace: term.path)
        }
        return exact
    }

    func function(_ term: Term, _ env: Environment) throws(ReqlError) -> Function {
        let value = try eval(term, env)
        guard case .function(let function) = value else { throw valueTypeError("FUNCTION", value, term) }
        return function
    }

    /// Calls a function (or returns a constant) with these arguments.
    package func call(_ value: Value, _ arguments: [Value]) throws(ReqlError) -> Value {
        guard case .function(let function) = value else { return value }
        return try call(function, arguments)
    }

    package func call(_ function: Function, _ arguments: [Value]) throws(ReqlError) -> Value {
        if let javascript = function.javascript { return try callJavaScript(javascript, arguments, term: function.body) }
        if !function.parameters.isEmpty && function.parameters.count != arguments.count {
            let expected = function.parameters.count
            throw .runtime(.queryLogic, "Expected function with \(arguments.count) argument\(arguments.count == 1 ? "" : "s") but found function with \(expected) argument\(expected == 1 ? "" : "s").")
        }
        var env = function.captured
        for (id, argument) in zip(function.parameters, arguments) { env.variables[id] = argument }
        if function.parameters.count == 1 { env.implicit = arguments.first }
        return try eval(function.body, env)
    }

    package func callDatum(_ value: Value, _ arguments: [Document], term: Term) throws(ReqlError) -> Document {
        try datum(of: call(value, arguments.map(Value.datum)), term: term)
    }

    /// RethinkDB's argument-count messages (`argspec_t::print`): compile errors, or runtime
    /// errors once `r.args` has spliced the arguments in.
    func arity(_ term: Term, _ range: ClosedRange<Int>) throws(ReqlError) {
        let count = term.args.count
        guard !range.contains(count) else { return }
        let message = "Expected \(TermType.describe(range)) but found \(count)."
        if term.isSpliced { throw .runtime(.queryLogic, message, backtrace: term.path) }
        throw .compile(message, backtrace: term.path)
    }

    /// A term optarg, else the query's global optarg of the same name.
    func optarg(_ name: String, _ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        if let local = term.optarg(name) { return try eval(local, env) }
        if let error = context.deferredOptargErrors[name] { throw error }
        return context.globalOptargs[name]
    }

    func evalOptional(_ term: Term?, _ env: Environment) throws(ReqlError) -> Value? {
        guard let term else { return nil }
        return try eval(term, env)
    }

    func datumOptional(_ term: Term?, _ env: Environment) throws(ReqlError) -> Document? {
        guard let term else { return nil }
        return try datum(term, env)
    }
}
