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

    private init(type: TermType, datum: Document = .null, args: [Term] = [], optargs: [(String, Term)] = [], path: [Document]) {
        self.type = type
        self.datum = datum
        self.args = args
        self.optargs = optargs.map { (name: $0.0, term: $0.1) }
        self.path = path
    }

    package func optarg(_ name: String) -> Term? {
        optargs.first { $0.name == name }?.term
    }

    /// Compiles the wire form, with RethinkDB's compile errors for malformed terms.
    package static func compile(_ json: Document, path: [Document] = []) throws(ReqlError) -> Term {
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
            var args: [Term] = []
            for (index, argument) in rawArgs.enumerated() {
                args.append(try compile(argument, path: path + [.number(Double(index))]))
            }
            var optargs: [(String, Term)] = []
            for (name, value) in rawOptargs ?? DocumentObject() {
                optargs.append((name, try compile(value, path: path + [.string(name)])))
            }
            let term = Term(type: type, args: args, optargs: optargs, path: path)
            try term.checkOptargs()
            return term
        case .object(let object):
            var fields: [(String, Term)] = []
            for (name, value) in object {
                fields.append((name, try compile(value, path: path + [.string(name)])))
            }
            return Term(type: .makeObject, optargs: fields, path: path)
        default:
            return Term(type: .datum, datum: json, path: path)
        }
    }

    /// RethinkDB rejects an optional argument a term does not know at compile time.
    private func checkOptargs() throws(ReqlError) {
        guard let allowed = type.allowedOptargs else { return }
        for (name, term) in optargs where !allowed.contains(name) {
            throw .compile("Unrecognized optional argument `\(name)`.", backtrace: term.path)
        }
    }

    /// Whether evaluating this term can only give one answer: no table reads, no randomness.
    /// `r.now()` counts as deterministic (it is fixed for a whole query), as in RethinkDB.
    package var isDeterministic: Bool {
        if type.isNonDeterministic { return false }
        return args.allSatisfy(\.isDeterministic) && optargs.allSatisfy(\.term.isDeterministic)
    }
}

/// Prints numbers the way RethinkDB's messages do (integers without a fraction).
package enum JSONNumber {
    package static func text(_ number: Double) -> String {
        Document.number(number).jsonString
    }
}
