import DocumentModel
import ReQL

/// The JSON form in which RethinkDB 2.2 and later keep a function's body inside an index
/// definition: the wire form after the server's preprocessing, where every term is an array
/// ending in a backtrace id (`[type, [args], {optargs}, bt]`), a literal is `[1, value, bt]` and
/// an object literal `[3, {fields}, bt]`.
///
/// RethinkDB reads this form back without preprocessing it again, so a definition DocStore
/// writes must already be in it; DocStore writes backtrace id 0, RethinkDB's empty backtrace,
/// which only changes what a failing index function would report as its position.
enum StoredTermTree {
    /// The preprocessed form of a compiled (wire-form) term.
    static func stored(_ term: Term) -> Document {
        switch term.type {
        case .datum:
            return [1, term.datum, 0]
        case .makeObject:
            return [3, .object(fields(term.optargs)), 0]
        default:
            var form: [Document] = [.number(Double(term.type.rawValue))]
            if !term.args.isEmpty { form.append(.array(term.args.map(stored))) }
            if !term.optargs.isEmpty { form.append(.object(fields(term.optargs))) }
            form.append(0)
            return .array(form)
        }
    }

    private static func fields(_ optargs: [(name: String, term: Term)]) -> DocumentObject {
        DocumentObject(uniqueKeysWithValues: optargs.map { ($0.name, stored($0.term)) })
    }

    /// The wire form of a preprocessed term, as a driver would have sent it: literals bare,
    /// arrays as MAKE_ARRAY, objects as MAKE_OBJ, backtrace ids dropped.
    ///
    /// - Throws: ``BlobFormatError`` for JSON that is not a preprocessed term (RethinkDB
    ///   itself would stop on such a definition: it checks the shape with `r_sanity_check`).
    static func wire(_ stored: Document) throws(BlobFormatError) -> Document {
        guard case .array(let elements) = stored, (2...4).contains(elements.count),
              let type = elements[0].intValue, elements[elements.count - 1].intValue != nil else {
            throw BlobFormatError("a term of the function is not `[type, ..., backtrace]`")
        }
        if type == TermType.datum.rawValue {
            guard elements.count == 3 else { throw BlobFormatError("a literal term has \(elements.count) elements, not 3") }
            return literal(elements[1])
        }
        var args: [Document]?
        var optargs: DocumentObject?
        for element in elements.dropFirst().dropLast() {
            switch element {
            case .array(let values) where args == nil:
                args = try values.map { (value: Document) throws(BlobFormatError) -> Document in try wire(value) }
            case .object(let object) where optargs == nil:
                var converted = DocumentObject()
                for (name, value) in object { converted[name] = try wire(value) }
                optargs = converted
            default:
                throw BlobFormatError("a term's arguments are neither an array nor an object")
            }
        }
        if type == TermType.makeObject.rawValue, args == nil {
            return .object(optargs ?? DocumentObject())
        }
        var form: [Document] = [.number(Double(type)), .array(args ?? [])]
        if let optargs { form.append(.object(optargs)) }
        return .array(form)
    }

    /// A literal value in wire form: what `r.expr(value)` sends.
    private static func literal(_ value: Document) -> Document {
        switch value {
        case .array(let elements):
            return [.number(Double(TermType.makeArray.rawValue)), .array(elements.map(literal))]
        case .object(let object):
            var converted = DocumentObject()
            for (name, field) in object { converted[name] = literal(field) }
            return .object(converted)
        default:
            return value
        }
    }
}

/// Why the bytes after `$reql_index_function$` are not a definition DocStore can read; the
/// text goes inside RethinkDB's "could not be interpreted as a reql_index_function (…)".
struct BlobFormatError: Error, Sendable {
    let reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}
