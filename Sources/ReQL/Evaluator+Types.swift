import DocumentModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Evaluator {
    /// `coerce_to`, `type_of` and `info`; nil for other terms.
    func typeOperation(_ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        switch term.type {
        case .coerceTo:
            let value = try eval(term.args[0], env)
            let target = try string(term.args[1], env).uppercased()
            return try coerce(value, to: target, term: term)
        case .typeOf:
            return .datum(.string(try eval(term.args[0], env).typeOfName))
        case .info:
            return .datum(try info(of: try eval(term.args[0], env), term: term))
        default:
            return nil
        }
    }

    /// The `coerce_to` name of a datum's type (`BINARY`, not `PTYPE<BINARY>`).
    static func coercionName(_ value: Document) -> String {
        if case .object(let object) = value {
            switch object.reqlType {
            case "BINARY": return "BINARY"
            case "MINVAL": return "MINVAL"
            case "MAXVAL": return "MAXVAL"
            default: return "OBJECT"
            }
        }
        return value.typeName
    }

    private static let datumTypes: Set<String> = ["NULL", "BINARY", "BOOL", "NUMBER", "STRING", "ARRAY", "OBJECT", "MINVAL", "MAXVAL"]
    private static let valueTypes: Set<String> = ["DB", "TABLE", "TABLE_SLICE", "SELECTION<STREAM>", "SELECTION<ARRAY>",
                                                  "STREAM", "SELECTION<OBJECT>", "DATUM", "FUNCTION", "GROUPED_DATA"]

    /// RethinkDB's conversion table (`coerce_term_t`): identities, anything to `BOOL`, datum
    /// to datum (JSON text, number parsing, binary and string, object and pairs), and
    /// sequences to arrays and objects.
    func coerce(_ value: Value, to target: String, term: Term) throws(ReqlError) -> Value {
        guard Self.datumTypes.contains(target) || Self.valueTypes.contains(target) else {
            throw .runtime(.queryLogic, "Unknown Type: \(target)", backtrace: term.path)
        }
        let datum = value.datumValue
        let startName = datum.map(Self.coercionName) ?? value.typeOfName
        if startName == target || Self.isConvertible(value, to: target) { return value }
        if target == "BOOL" { return .datum(.bool(!(datum?.isNull ?? false))) }
        if let datum, Self.datumTypes.contains(target) {
            switch (startName, target) {
            case ("BINARY", "STRING"):
                let bytes = Binary.bytes(of: datum) ?? []
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw .runtime(.queryLogic, "String is not valid UTF-8.", backtrace: term.path)
                }
                return .datum(.string(text))
            case ("STRING", "BINARY"):
                return .datum(Binary.make(Array(datum.stringValue?.utf8 ?? "".utf8)))
            case (_, "STRING"):
                return .datum(.string(try jsonText(datum)))
            case ("OBJECT", "ARRAY"):
                let pairs = datum.objectValue.map { $0.map { Document.array([.string($0.key), $0.value]) } } ?? []
                return .datum(.array(pairs))
            case ("STRING", "NUMBER"):
                return .datum(.number(try Self.parseNumber(datum.stringValue ?? "", term: term)))
            default:
                break
            }
        }
        if startName == "ARRAY" || datum == nil, value.isSequence, target == "ARRAY" || target == "DATUM" || target == "OBJECT" {
            let elements = try stream(of: value, term: term.args[0]).collect(limit: context.arrayLimit)
            if target != "OBJECT" { return .datum(.array(elements)) }
            return .datum(.object(try Self.object(fromPairs: elements, term: term)))
        }
        throw .runtime(.queryLogic, "Cannot coerce \(startName) to \(target).", backtrace: term.args[0].path)
    }

    /// `sscanf("%lf%c")` as RethinkDB parses numbers: leading blanks, C's number syntax
    /// (hex and exponents included), nothing after; infinities and NaN are refused.
    private static func parseNumber(_ text: String, term: Term) throws(ReqlError) -> Double {
        let parsed: Double? = text.withCString { start in
            var end: UnsafeMutablePointer<CChar>?
            let number = strtod(start, &end)
            guard let end, end != start, end.pointee == 0 else { return nil }
            return number
        }
        guard let parsed, !text.utf8.contains(0) else {
            throw .runtime(.queryLogic, "Could not coerce `\(text)` to NUMBER.", backtrace: term.path)
        }
        guard parsed.isFinite else {
            throw .runtime(.queryLogic, "Non-finite number: \(parsed.isNaN ? "nan" : parsed < 0 ? "-inf" : "inf")", backtrace: term.path)
        }
        return parsed
    }

    private static func object(fromPairs pairs: [Document], term: Term) throws(ReqlError) -> DocumentObject {
        var object = DocumentObject()
        for pair in pairs {
            guard case .array(let items) = pair else {
                throw .runtime(.queryLogic, "Expected type ARRAY but found \(pair.typeName).", backtrace: term.path)
            }
            guard items.count == 2 else {
                throw .runtime(.queryLogic, "Expected array of size 2, but got size \(items.count).", backtrace: term.path)
            }
            guard case .string(let key) = items[0] else {
                throw .runtime(.queryLogic, "Expected type STRING but found \(items[0].typeName).", backtrace: term.path)
            }
            if let existing = object[key] {
                throw .runtime(.queryLogic, "Duplicate key \(Document.string(key).prettyPrinted) in coerced object.  (got \(existing.truncatedPrettyPrinted) and \(items[1].truncatedPrettyPrinted) as values)", backtrace: term.path)
            }
            object[key] = items[1]
        }
        return object
    }

    /// Whether `coerce_to(target)` leaves the value as it is: the target names a kind the
    /// value already is (`is_convertible` in `val.cc`: a table is a stream, a single selection
    /// a datum).
    private static func isConvertible(_ value: Value, to target: String) -> Bool {
        switch (value, target) {
        case (.datum, "DATUM"), (.singleSelection, "DATUM"), (.writeResult, "DATUM"): return true
        case (.table, "TABLE"), (.table, "TABLE_SLICE"), (.table, "SELECTION<STREAM>"), (.table, "STREAM"): return true
        case (.selection, "SELECTION<STREAM>"), (.selection, "STREAM"): return true
        case (.singleSelection, "SELECTION<OBJECT>"), (.stream, "STREAM"), (.function, "FUNCTION"), (.database, "DB"): return true
        default: return false
        }
    }

    /// `info`: the value's type, and for each kind what RethinkDB adds (a datum's text, a
    /// binary's size, a table's name, key, database, indexes and row count).
    func info(of value: Value, term: Term) throws(ReqlError) -> Document {
        var info: DocumentObject = ["type": .string(value.typeOfName)]
        switch value {
        case .database(let database):
            info = Self.databaseInfo(database)
        case .table(let table):
            info = try tableInfo(table)
        case .selection(let selection):
            info["table"] = .object(try tableInfo(selection.table))
            if case .slice(let scan) = selection.target {
                try sliceInfo(scan, of: selection.table, into: &info)
            }
        case .singleSelection(let table, _, _):
            info["table"] = .object(try tableInfo(table))
        case .function(let function):
            info["source_code"] = .string(function.sourceText)
        case .writeResult(let result):
            info["value"] = .string(result.document.prettyPrinted)
        case .datum(let document):
            let kind = Self.coercionName(document)
            if kind == "BINARY" { info["count"] = .number(Double(Binary.bytes(of: document)?.count ?? 0)) }
            if !["NULL", "MINVAL", "MAXVAL"].contains(kind) { info["value"] = .string(document.prettyPrinted) }
            if kind == "MINVAL" || kind == "MAXVAL" { info["type"] = .string(kind) }
        case .stream, .ordering, .groupedStream, .groupedData:
            break
        }
        return .object(info)
    }

    /// RethinkDB's `table_slice_t` info: the index, its order, and each bound as a value and
    /// its kind (`unbounded` at r.minval/r.maxval, `unachievable` for one past the other end).
    private func sliceInfo(_ scan: IndexScan, of table: TableRef, into info: inout DocumentObject) throws(ReqlError) {
        if let index = scan.index {
            info["index"] = .string(index)
        } else {
            info["index"] = .string(try context.tables.primaryKey(of: table))
        }
        info["sorting"] = .string(scan.descending.map { $0 ? "DESCENDING" : "ASCENDING" } ?? "UNORDERED")
        let ends: [(name: String, value: Document, open: Bool, unbounded: Document)] = [
            ("left", scan.lower, scan.leftOpen, Bound.minval), ("right", scan.upper, scan.rightOpen, Bound.maxval),
        ]
        for end in ends {
            if end.value == end.unbounded {
                info["\(end.name)_bound_type"] = "unbounded"
            } else if end.value == Bound.minval || end.value == Bound.maxval {
                info["\(end.name)_bound_type"] = "unachievable"
            } else {
                info["\(end.name)_bound"] = end.value
                info["\(end.name)_bound_type"] = end.open ? "open" : "closed"
            }
        }
    }

    private static func databaseInfo(_ database: DatabaseRef) -> DocumentObject {
        var info: DocumentObject = ["type": "DB", "name": .string(database.name)]
        if let id = database.id { info["id"] = .string(id) }
        return info
    }

    private func tableInfo(_ table: TableRef) throws(ReqlError) -> DocumentObject {
        let tables = context.tables
        let config = try tables.tableIdentity(table)
        let database = try tables.database(table.database)
        var info: DocumentObject = ["type": "TABLE", "name": .string(table.name),
                                    "primary_key": .string(try tables.primaryKey(of: table)),
                                    "db": .object(Self.databaseInfo(database)),
                                    "doc_count_estimates": [.number(Double(try tables.count(table)))]]
        info["id"] = config["id"] ?? .null
        info["indexes"] = config["indexes"] ?? []
        return info
    }
}

extension Value {
    /// Values a stream operation can read: tables, selections, streams and arrays.
    var isSequence: Bool {
        switch self {
        case .table, .selection, .stream, .datum(.array): return true
        default: return false
        }
    }
}

extension Function {
    /// What `info` shows of a function: its parameters and its body's wire form (RethinkDB
    /// renders the body as JavaScript-like text; DocStore shows the term itself).
    var sourceText: String {
        let names = parameters.map { "var\($0)" }.joined(separator: ", ")
        return "function (args = [\(names)]) \(body.wireForm.jsonString)"
    }
}
