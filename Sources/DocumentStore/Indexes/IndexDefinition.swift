import DocumentModel
import ReQL

/// One secondary index as the catalog (`docstore$indexes`) holds it, with its function
/// compiled once, ready to compute the entries of a document.
struct IndexDefinition: Sendable {
    /// The catalog row's id: it stays the same across renames, so a build in progress
    /// follows its index.
    let id: Int64
    let table: String
    let name: String
    /// The SQLite table holding the entries (`marvel$email`).
    let storage: String
    let function: IndexFunction
    let multi: Bool
    let geo: Bool
    let ready: Bool
    /// The rowid of the document table up to which a build has made entries.
    let builtThrough: Int64
    let compiled: CompiledIndexFunction

    /// The storage table's name quoted for SQL; a `"` in an index name is doubled.
    let quotedStorage: String
    /// The statements that add and remove one entry, made once per definition.
    let insertSQL: String
    let deleteSQL: String

    init(id: Int64, table: String, name: String, storage: String, function: IndexFunction, multi: Bool, geo: Bool,
         ready: Bool, builtThrough: Int64, compiled: CompiledIndexFunction) {
        self.id = id
        self.table = table
        self.name = name
        self.storage = storage
        self.function = function
        self.multi = multi
        self.geo = geo
        self.ready = ready
        self.builtThrough = builtThrough
        self.compiled = compiled
        quotedStorage = IndexCatalog.quote(storage)
        insertSQL = "INSERT INTO \(quotedStorage) (key, id_type, id, tag, value) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
        deleteSQL = "DELETE FROM \(quotedStorage) WHERE key = ? AND id_type = ? AND id = ? AND tag = ?"
    }

    /// The entries this document has in the index: one for its value, or for a multi index
    /// one per element of an array value (repeated elements included, each with its position
    /// as tag, as RethinkDB does). A function that fails, or a value no index can hold, gives
    /// none (for multi, elements that cannot be keys are skipped one by one).
    func entries(of document: Document) -> [IndexEntry] {
        guard let value = compiled.value(of: document) else { return [] }
        if geo { return geoEntries(of: value) }
        if multi, case .array(let elements) = value {
            var entries: [IndexEntry] = []
            entries.reserveCapacity(elements.count)
            for (position, element) in elements.enumerated() {
                guard let key = try? IndexKey.entry(element) else { continue }
                entries.append(IndexEntry(key: key, tag: Int64(position), value: element))
            }
            return entries
        }
        guard let key = try? IndexKey.entry(value) else { return [] }
        return [IndexEntry(key: key, tag: 0, value: value)]
    }
}

/// One row of an index table, less the primary key it belongs to.
struct IndexEntry: Equatable {
    /// ``IndexKey`` of the value: its order-preserving encoding, cut to 250 bytes.
    let key: [UInt8]
    /// 0, or the element's position in the array of a multi index.
    let tag: Int64
    /// The indexed value itself, stored as JSON beside the key.
    let value: Document
}

/// An index function compiled once, evaluated with no table access and no global optargs
/// (as RethinkDB evaluates index functions, "in a pristine environment").
///
/// The shapes most indexes have, a field path (`r.row("address")("city")`) or an array of
/// them (a compound index), are computed straight from the document; the evaluator would
/// give the same value, only slower, and it still computes every other function (and the
/// rare documents where a path meets an array, which ReQL maps over).
struct CompiledIndexFunction: Sendable {
    private enum Shape: Sendable {
        case path([String])
        case compound([[String]])
        case other
    }

    private let evaluator: Evaluator
    private let function: Value
    private let shape: Shape

    init(_ function: IndexFunction) throws {
        let term: Term
        do {
            term = try Term.compile(function.term)
        } catch {
            throw DocumentStoreError(reql: error)
        }
        // Index functions may not call r.now(), so any instant does.
        let context = QueryContext(tables: NoTableAccess(), now: ["$reql_type$": "TIME", "epoch_time": 0, "timezone": "+00:00"],
                                   cancellation: CancellationToken())
        evaluator = Evaluator(context: context)
        do {
            self.function = try evaluator.eval(term, Environment())
        } catch {
            throw DocumentStoreError(reql: error)
        }
        shape = Self.shape(of: term)
    }

    /// The function's value for the document, nil when it fails.
    func value(of document: Document) -> Document? {
        switch shape {
        case .path(let path):
            switch Self.follow(path, in: document) {
            case .value(let value): return value
            case .failure: return nil
            case .needsEvaluator: break
            }
        case .compound(let paths):
            var elements: [Document] = []
            elements.reserveCapacity(paths.count)
            for path in paths {
                switch Self.follow(path, in: document) {
                case .value(let value): elements.append(value)
                case .failure: return nil
                case .needsEvaluator: return evaluate(document)
                }
            }
            return .array(elements)
        case .other:
            break
        }
        return evaluate(document)
    }

    private func evaluate(_ document: Document) -> Document? {
        do {
            return try evaluator.datum(of: evaluator.call(function, [.datum(document)]), term: Term.indexFunctionPlaceholder)
        } catch {
            return nil
        }
    }

    private enum Step {
        case value(Document)
        case failure
        case needsEvaluator
    }

    /// Follows field names through objects; a missing field or a scalar on the way is ReQL's
    /// error (the document gets no entry), an array is left to the evaluator.
    private static func follow(_ path: [String], in document: Document) -> Step {
        var current = document
        for field in path {
            switch current {
            case .object(let object):
                guard let next = object[field] else { return .failure }
                current = next
            case .array:
                return .needsEvaluator
            default:
                return .failure
            }
        }
        return .value(current)
    }

    private static func shape(of function: Term) -> Shape {
        guard function.type == .function, function.args.count == 2 else { return .other }
        let parameters = function.args[0].args.compactMap { $0.datum.intValue }
        let body = function.args[1]
        if let path = path(body, parameter: parameters.first) { return .path(path) }
        if body.type == .makeArray, !body.args.isEmpty {
            let paths = body.args.compactMap { path($0, parameter: parameters.first) }
            if paths.count == body.args.count { return .compound(paths) }
        }
        return .other
    }

    /// `var1("a")("b")` (BRACKET or GET_FIELD with string names) as `["a", "b"]`.
    private static func path(_ term: Term, parameter: Int?) -> [String]? {
        switch term.type {
        case .variable:
            guard term.args.count == 1, let id = term.args[0].datum.intValue, id == parameter else { return nil }
            return []
        case .implicitVar:
            return term.args.isEmpty ? [] : nil
        case .bracket, .getField:
            guard term.args.count == 2, term.optargs.isEmpty, term.args[1].type == .datum,
                  case .string(let field) = term.args[1].datum,
                  let base = path(term.args[0], parameter: parameter) else { return nil }
            return base + [field]
        default:
            return nil
        }
    }
}

extension Term {
    /// The term `datum(of:term:)` names in errors; index function errors are never shown.
    fileprivate static let indexFunctionPlaceholder: Term = {
        // A datum compiles without failing.
        (try? Term.compile(.null))!
    }()
}
