import DocumentModel
import ReQL

/// What a secondary index computes from each document: a one-argument ReQL function, kept as
/// its ReQL term so that every writer of the file (this library, the CLI, `docstore serve`,
/// another process) computes the same entries, and `index_status` can hand it back.
///
/// Build the common kinds with the helpers, or pass any ReQL function in its wire form:
///
/// ```swift
/// try await users.indexCreate("email")                                   // the field `email`
/// try await users.indexCreate("city", .field("address", "city"))         // a nested field
/// try await users.indexCreate("cityAge", .compound(["address", "city"], ["age"]))
/// // r.row("first").add(r.row("last")), as a driver sends it:
/// let fullName = try IndexFunction(reql: try Document(parsing: #"[69,[[2,[1]],[24,[[170,[[10,[1]],"first"]],[170,[[10,[1]],"last"]]]]]]"#))
/// try await users.indexCreate("fullName", fullName)
/// ```
///
/// A document for which the function fails (a missing field, a wrong type) or gives a value no
/// index can hold (null, an object) is left out of the index, as RethinkDB does.
public struct IndexFunction: Sendable, Hashable {
    /// The ReQL FUNC term as RethinkDB's JSON wire form, e.g. `[69,[[2,[1]],[170,[[10,[1]],"email"]]]]`
    /// (`function(var1) { return var1("email"); }`).
    public let term: Document

    private init(checked term: Document) {
        self.term = term
    }

    /// A function read back from the catalog, checked when it was stored.
    init(stored term: Document) {
        self.term = term
    }

    /// The value of a field, or of a field inside nested objects: `.field("address", "city")` is
    /// `r.row("address")("city")`.
    ///
    /// ```swift
    /// try await users.indexCreate("city", .field("address", "city"))
    /// ```
    public static func field(_ path: String...) -> IndexFunction {
        field(path: path)
    }

    /// ``field(_:)`` for a path known only at run time (Swift cannot pass an array to a
    /// variadic parameter): `.field(path: "address.city".split(separator: ".").map(String.init))`.
    ///
    /// ```swift
    /// try await users.indexCreate("city", .field(path: ["address", "city"]))
    /// ```
    public static func field(path: [String]) -> IndexFunction {
        IndexFunction(checked: function(body: fieldPath(path)))
    }

    /// An array of field values, RethinkDB's compound index: `.compound(["address", "city"], ["age"])`
    /// is `[r.row("address")("city"), r.row("age")]`. Arrays sort element by element, so a range
    /// over the first field and then the second is one `between`.
    ///
    /// ```swift
    /// try await users.indexCreate("cityAge", .compound(["address", "city"], ["age"]))
    /// let young = users.between(.value(["Paris", 0]), .value(["Paris", 30]), index: "cityAge")
    /// ```
    public static func compound(_ fields: [String]...) -> IndexFunction {
        compound(paths: fields)
    }

    /// ``compound(_:)`` for fields known only at run time, each a path of field names.
    ///
    /// ```swift
    /// try await users.indexCreate("cityAge", .compound(paths: [["address", "city"], ["age"]]))
    /// ```
    public static func compound(paths fields: [[String]]) -> IndexFunction {
        IndexFunction(checked: function(body: [.number(Double(TermType.makeArray.rawValue)), .array(fields.map(fieldPath))]))
    }

    /// Any ReQL function of one argument in its JSON wire form, as a driver sends it to
    /// `index_create`.
    ///
    /// ```swift
    /// let length = try IndexFunction(reql: try Document(parsing: #"[69,[[2,[1]],[170,[[10,[1]],"name"]]]]"#))
    /// ```
    ///
    /// - Throws: `DocumentStoreError` with RethinkDB's text: a term that is not a function
    ///   ("Expected type FUNCTION but found DATUM."), a function of more than one argument, a
    ///   function that reads tables or is random or depends on the time ("Index functions must
    ///   be deterministic."), or a malformed term (its compile error).
    public init(reql term: Document) throws {
        let compiled = try Self.compileFunction(term)
        let parameters = compiled.args[0].args.count
        guard parameters <= 1 else {
            throw DocumentStoreError(.queryLogic, "Expected function with 1 argument but found function with \(parameters) arguments.")
        }
        guard Self.isDeterministic(compiled) else {
            throw DocumentStoreError(.queryLogic, "Index functions must be deterministic.")
        }
        self.term = term
    }

    /// A stored function's term compiled: its compile error, or "Expected type FUNCTION but
    /// found DATUM." for a term that is not a FUNC (index functions and write hooks).
    static func compileFunction(_ term: Document) throws -> Term {
        let compiled: Term
        do {
            compiled = try Term.compile(term)
        } catch {
            throw DocumentStoreError(reql: error)
        }
        guard compiled.type == .function, compiled.args.count == 2 else {
            throw DocumentStoreError(.queryLogic, "Expected type FUNCTION but found DATUM.")
        }
        return compiled
    }

    /// RethinkDB's `deterministic_t` with `constant_now_t::no`: besides table reads and
    /// randomness, `r.now()` is refused too, since an index computed at one instant would
    /// disagree with itself at the next.
    static func isDeterministic(_ term: Term) -> Bool {
        term.isDeterministic && !containsNow(term) && !term.usesSingleServerGeometry
    }

    private static func containsNow(_ term: Term) -> Bool {
        term.type == .now || term.args.contains(where: containsNow) || term.optargs.contains { containsNow($0.term) }
    }

    /// `function(var1) { return body; }` with the variable numbered 1, as drivers number it.
    private static func function(body: Document) -> Document {
        [.number(Double(TermType.function.rawValue)), [[.number(Double(TermType.makeArray.rawValue)), [1]], body]]
    }

    private static func fieldPath(_ path: [String]) -> Document {
        var term: Document = [.number(Double(TermType.variable.rawValue)), [1]]
        for field in path {
            term = [.number(Double(TermType.bracket.rawValue)), [term, .string(field)]]
        }
        return term
    }
}

extension DocumentStoreError {
    /// A ReQL error in the library's terms: a compile error stays one, a runtime error keeps
    /// its ErrorType's class.
    init(reql error: ReqlError) {
        switch (error.responseType, error.errorType) {
        case (.compileError, _): self.init(.compile, error.message)
        case (_, .nonExistence?): self.init(.nonExistence, error.message)
        case (_, .opFailed?): self.init(.opFailed, error.message)
        case (_, .resourceLimit?): self.init(.resourceLimit, error.message)
        default: self.init(.queryLogic, error.message)
        }
    }
}
