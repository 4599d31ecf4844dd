import DocumentModel

/// The `query` of `index_status`: the index's definition as the JavaScript driver would write
/// it, e.g. `indexCreate('a', function(var1) { return var1("a"); })` (RethinkDB's
/// `format_index_create_query` and its JavaScript pretty-printer).
///
/// It is for people to read; the terms index functions use most are printed as RethinkDB
/// prints them, any other as a method named after its term number.
enum IndexQueryText {
    static func text(name: String, function: IndexFunction, multi: Bool, geo: Bool) -> String {
        var text = "indexCreate('\(name)', \(javaScript(function.term, topLevel: true))"
        var options: [String] = []
        if multi { options.append("multi: true") }
        if geo { options.append("geo: true") }
        if !options.isEmpty { text += ", {" + options.joined(separator: ", ") + "}" }
        return text + ")"
    }

    /// A function term as the JavaScript driver writes it (`function(var1) { return ...; }`),
    /// also the body of a write hook's `query` (``WriteHook/query``).
    static func function(_ term: Document) -> String {
        javaScript(term, topLevel: true)
    }

    private static let methods: [Int: String] = [
        17: "eq", 18: "ne", 19: "lt", 20: "le", 21: "gt", 22: "ge", 23: "not", 24: "add", 25: "sub", 26: "mul",
        27: "div", 28: "mod", 29: "append", 30: "slice", 31: "getField", 32: "hasFields", 33: "pluck", 34: "without",
        35: "merge", 38: "map", 39: "filter", 40: "concatMap", 41: "orderBy", 42: "distinct", 43: "count",
        44: "union", 45: "nth", 51: "coerceTo", 52: "typeOf", 64: "do", 66: "or", 67: "and", 70: "skip", 71: "limit",
        80: "prepend", 86: "isEmpty", 92: "default", 93: "contains", 94: "keys", 97: "match", 100: "toISO8601",
        102: "toEpochTime", 141: "upcase", 142: "downcase", 145: "sum", 146: "avg", 147: "min", 148: "max",
        149: "split", 172: "toJsonString", 183: "floor", 184: "ceil", 185: "round", 186: "values",
    ]

    private static let functions: [Int: String] = [
        65: "r.branch", 98: "r.json", 99: "r.ISO8601", 101: "r.epochTime", 137: "r.literal", 143: "r.object",
        155: "r.binary", 180: "r.minval", 181: "r.maxval",
    ]

    private static func javaScript(_ term: Document, topLevel: Bool = false) -> String {
        guard case .array(let parts) = term, let type = parts.first?.intValue else {
            if case .object(let object) = term {
                let fields = object.map { "\(Document.string($0.key).jsonString): \(javaScript($0.value))" }
                return "{" + fields.joined(separator: ", ") + "}"
            }
            return topLevel ? "r.expr(\(term.jsonString))" : term.jsonString
        }
        let args = parts.count > 1 ? parts[1].arrayValue ?? [] : []
        let optargs = parts.last?.objectValue
        switch type {
        case 1: return javaScript(args.first ?? .null, topLevel: topLevel)
        case 2: return "[" + args.map { javaScript($0) }.joined(separator: ", ") + "]"
        case 10: return "var" + (args.first?.intValue.map(String.init) ?? "")
        case 13: return "r.row"
        case 69:
            let parameters = args.first.flatMap { $0.arrayValue?.last?.arrayValue } ?? []
            let names = parameters.map { "var" + ($0.intValue.map(String.init) ?? "") }
            let body = args.count > 1 ? javaScript(args[1], topLevel: true) : "null"
            return "function(\(names.joined(separator: ", "))) { return \(body); }"
        case 170: return javaScript(args.first ?? .null) + "(" + args.dropFirst().map { javaScript($0) }.joined(separator: ", ") + ")"
        default:
            var rendered = args.map { javaScript($0) }
            if let optargs, !optargs.isEmpty {
                rendered.append("{" + optargs.map { "\($0.key): \(javaScript($0.value))" }.joined(separator: ", ") + "}")
            }
            if let function = functions[type] {
                return function + (type == 180 || type == 181 ? "" : "(" + rendered.joined(separator: ", ") + ")")
            }
            let method = methods[type] ?? "term\(type)"
            guard let receiver = rendered.first else { return "r.\(method)()" }
            return receiver + ".\(method)(" + rendered.dropFirst().joined(separator: ", ") + ")"
        }
    }
}
