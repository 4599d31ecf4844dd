import DocumentModel

/// A ReQL term as the client sent it, checked for shape: the JSON wire form
/// (`[type, [args...], {optargs}]`, objects as MAKE_OBJ, scalars as DATUM) turned into a tree
/// that knows its own backtrace path, so an error can point at the term that failed.
package final class Term: Sendable {
    package let type: TermType
    /// The literal value of a DATUM term.
    package let datum: Document
    package let args: [Term]
    package let optargs: [(name: String, term: Term)]
    /// Argument positions (numbers) and optarg names (strings) from the root to this term.
    package let path: [Document]
    /// Whether an argument is `r.args(...)`, whose elements become arguments when it runs.
    package let splicesArguments: Bool
    /// Set on a term rebuilt with the elements of its `r.args` arguments: its argument count
    /// is checked then, and a wrong count is a runtime error, as in RethinkDB.
    package let isSpliced: Bool
    /// For a constant spliced in from `r.args`: whether the `r.args` term was deterministic.
    private let constantIsDeterministic: Bool
    /// For a DATUM folded from an object literal: the wire form it came in, and the length of
    /// its longest array (see ``LiteralFolding``).
    let folded: (wire: Document, longestArray: Int)?

    private init(type: TermType, datum: Document = .null, args: [Term] = [], optargs: [(String, Term)] = [],
                 path: [Document], isSpliced: Bool = false, constantIsDeterministic: Bool = true,
                 folded: (wire: Document, longestArray: Int)? = nil) {
        self.type = type
        self.folded = folded
        self.datum = datum
        self.args = args
        self.optargs = optargs.map { (name: $0.0, term: $0.1) }
        self.path = path
        self.splicesArguments = !isSpliced && args.contains { $0.type == .args }
        self.isSpliced = isSpliced
        self.constantIsDeterministic = constantIsDeterministic
    }

    /// This term with other arguments: what `r.args` splicing makes. Checks the new count.
    package func spliced(_ arguments: [Term]) throws(ReqlError) -> Term {
        let term = Term(type: type, args: arguments, optargs: optargs.map { ($0.name, $0.term) }, path: path, isSpliced: true)
        try term.checkArgumentCount()
        return term
    }

    /// A constant standing for a value computed at run time (an `r.args` element), reporting
    /// errors at `path`, deterministic when the term that computed it was.
    package static func constant(_ value: Document, path: [Document], deterministic: Bool = true) -> Term {
        Term(type: .datum, datum: value, path: path, constantIsDeterministic: deterministic)
    }

    package func optarg(_ name: String) -> Term? {
        optargs.first { $0.name == name }?.term
    }

    /// Compiles the wire form, with RethinkDB's compile errors for malformed terms.
    ///
    /// With `foldingLiterals`, object literals made only of data become one DATUM each
    /// (``LiteralFolding``): what a client's query evaluates once. Definitions the library
    /// keeps (index functions, write hooks) are compiled without, so their stored form keeps
    /// every term RethinkDB would store.
    package static func compile(_ json: Document, path: [Document] = [], foldingLiterals: Bool = false) throws(ReqlError) -> Term {
        try compile(json, path: path, placement: Placement(), folding: foldingLiterals)
    }

    private static func compile(_ json: Document, path: [Document], placement: Placement, folding: Bool) throws(ReqlError) -> Term {
        switch json {
        case .array(let elements):
            guard (1...3).contains(elements.count) else {
                throw .compile("Expected between 1 and 3 elements in a raw term, but found \(elements.count).", backtrace: path)
            }
            guard case .number(let number) = elements[0] else {
                throw .compile("Expected a TermType as a NUMBER but found \(elements[0].typeName).", backtrace: path)
            }
            guard let raw = Int(exactly: number), let type = TermType(rawValue: raw) else {
                throw .compile("Unrecognized TermType: \(JSONNumber.text(number)).", backtrace: path)
            }
            var rawArgs: [Document] = []
            var rawOptargs: DocumentObject?
            for element in elements.dropFirst() {
                switch element {
                case .array(let values) where rawOptargs == nil && rawArgs.isEmpty: rawArgs = values
                case .object(let object): rawOptargs = object
                default:
                    throw .compile("Expected an ARRAY of arguments and an OBJECT of optional arguments, but found \(element.typeName).", backtrace: path)
                }
            }
            if type == .datum {
                return Term(type: .datum, datum: rawArgs.first ?? .null, path: path)
            }
            try placement.check(type, path: path)
            var args: [Term] = []
            for (index, argument) in rawArgs.enumerated() {
                let inner = type == .function && index == 1 ? placement.enteringBody(of: json) : placement.entering(type, argumentIndex: index)
                args.append(try compile(argument, path: path + [.number(Double(index))], placement: inner, folding: folding))
            }
            var optargs: [(String, Term)] = []
            for (name, value) in rawOptargs ?? DocumentObject() {
                let inner = placement.entering(type, argumentIndex: nil)
                optargs.append((name, try compile(value, path: path + [.string(name)], placement: inner, folding: folding)))
            }
            let term = Term(type: type, args: args, optargs: optargs, path: path)
            try term.checkOptargs()
            if !term.splicesArguments { try term.checkArgumentCount() }
            return term
        case .object(let object):
            if folding, let literal = LiteralFolding.fold(json) {
                return Term(type: .datum, datum: literal.value, path: path, folded: (json, literal.longestArray))
            }
            var fields: [(String, Term)] = []
            for (name, value) in object {
                let inner = placement.entering(.makeObject, argumentIndex: nil)
                fields.append((name, try compile(value, path: path + [.string(name)], placement: inner, folding: folding)))
            }
            return Term(type: .makeObject, optargs: fields, path: path)
        default:
            return Term(type: .datum, datum: json, path: path)
        }
    }

    /// RethinkDB's argument counts (`argspec_t`): a compile error when the query arrives, a
    /// runtime error for a term whose `r.args` were spliced in.
    private func checkArgumentCount() throws(ReqlError) {
        guard let expected = type.argumentCount, !expected.contains(args.count) else { return }
        let message = "Expected \(TermType.describe(expected)) but found \(args.count)."
        if isSpliced { throw .runtime(.queryLogic, message, backtrace: path) }
        throw .compile(message, backtrace: path)
    }

    /// RethinkDB rejects an optional argument a term does not know at compile time.
    private func checkOptargs() throws(ReqlError) {
        guard let allowed = type.allowedOptargs else { return }
        for (name, term) in optargs where !allowed.contains(name) {
            throw .compile("Unrecognized optional argument `\(name)`.", backtrace: term.path)
        }
    }

    /// The term in the wire form it came in (`[type, [args...], {optargs}]`, datums bare),
    /// for showing a function's body.
    package var wireForm: Document {
        switch type {
        case .datum:
            if let folded { return folded.wire }
            if case .array = datum { return [.number(1), [datum]] }
            return datum
        case .makeObject:
            return .object(DocumentObject(uniqueKeysWithValues: optargs.map { ($0.name, $0.term.wireForm) }))
        default:
            var form: [Document] = [.number(Double(type.rawValue)), .array(args.map(\.wireForm))]
            if !optargs.isEmpty {
                form.append(.object(DocumentObject(uniqueKeysWithValues: optargs.map { ($0.name, $0.term.wireForm) })))
            }
            return .array(form)
        }
    }

    /// Whether evaluating this term can only give one answer: no table reads, no randomness.
    /// `r.now()` counts as deterministic (it is fixed for a whole query), as in RethinkDB.
    package var isDeterministic: Bool {
        // `r.uuid(name)` hashes its argument; only `r.uuid()` is random.
        if type == .uuid && args.count == 1 && args[0].type != .args { return args[0].isDeterministic }
        if type.isNonDeterministic || !constantIsDeterministic { return false }
        return args.allSatisfy(\.isDeterministic) && optargs.allSatisfy(\.term.isDeterministic)
    }
}

/// Prints numbers the way RethinkDB's messages do (integers without a fraction).
package enum JSONNumber {
    package static func text(_ number: Double) -> String {
        Document.number(number).jsonString
    }
}
