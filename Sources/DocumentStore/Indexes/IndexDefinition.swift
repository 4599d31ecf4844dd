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
    var quotedStorage: String { IndexCatalog.quote(storage) }

    /// The entries this document has in the index: one for its value, or for a multi index
    /// one per element of an array value (repeated elements included, each with its position
    /// as tag, as RethinkDB does). A function that fails, or a value no index can hold, gives
    /// none (for multi, elements that cannot be keys are skipped one by one).
    func entries(of document: Document) -> [IndexEntry] {
        guard let value = compiled.value(of: document) else { return [] }
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
struct CompiledIndexFunction: Sendable {
    private let evaluator: Evaluator
    private let function: Value

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
    }

    /// The function's value for the document, nil when it fails.
    func value(of document: Document) -> Document? {
        do {
            return try evaluator.datum(of: evaluator.call(function, [.datum(document)]), term: Term.indexFunctionPlaceholder)
        } catch {
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
