import DocumentStore
import ReQL
import Testing
@testable import DocumentStoreServer

/// ReQL queries in the JSON wire form the Python driver sends, written like the driver's
/// API (`Q.table("t").between(.expr(1), .maxval, index: "a")`), so a test reads as the
/// RethinkDB test it comes from.
struct Q: Sendable {
    let wire: Document

    init(_ wire: Document) {
        self.wire = wire
    }

    /// A datum as a term: arrays go as MAKE_ARRAY, as the driver sends them.
    static func expr(_ value: Document) -> Q {
        switch value {
        case .array(let elements): return term(2, elements.map { expr($0) })
        case .object(let object): return Q(.object(DocumentObject(uniqueKeysWithValues: object.map { ($0.key, expr($0.value).wire) })))
        default: return Q(value)
        }
    }

    static func term(_ type: Int, _ args: [Q], _ optargs: [String: Q?] = [:]) -> Q {
        var parts: [Document] = [.number(Double(type)), .array(args.map(\.wire))]
        let given = optargs.compactMapValues { $0 }
        if !given.isEmpty {
            parts.append(.object(DocumentObject(uniqueKeysWithValues: given.map { ($0.key, $0.value.wire) })))
        }
        return Q(.array(parts))
    }

    /// An object whose fields are terms (`{'id': r.row, 'a': r.row % 4}`).
    static func object(_ fields: KeyValuePairs<String, Q>) -> Q {
        Q(.object(DocumentObject(uniqueKeysWithValues: fields.map { ($0.key, $0.value.wire) })))
    }

    static func table(_ name: String) -> Q { term(15, [expr(.string(name))]) }
    static func tableCreate(_ name: String, primaryKey: String? = nil) -> Q {
        term(60, [expr(.string(name))], ["primary_key": primaryKey.map { expr(.string($0)) }])
    }
    static let minval = term(180, [])
    static let maxval = term(181, [])
    static func asc(_ field: String) -> Q { term(73, [expr(.string(field))]) }
    static func desc(_ field: String) -> Q { term(74, [expr(.string(field))]) }
    static func range(_ count: Int) -> Q { term(173, [expr(.number(Double(count)))]) }

    /// `lambda x: body(x)`.
    static func fn(_ body: (Q) -> Q) -> Q {
        term(69, [term(2, [expr(1)]), body(term(10, [expr(1)]))])
    }

    /// `lambda x, y: body(x, y)`.
    static func fn2(_ body: (Q, Q) -> Q) -> Q {
        term(69, [term(2, [expr(2), expr(3)]), body(term(10, [expr(2)]), term(10, [expr(3)]))])
    }

    subscript(field: String) -> Q { Q.term(170, [self, Q.expr(.string(field))]) }

    func insert(_ documents: Q) -> Q { Q.term(56, [self, documents]) }
    func insert(_ documents: Document) -> Q { insert(Q.expr(documents)) }
    func update(_ patch: Q) -> Q { Q.term(53, [self, patch]) }
    func delete() -> Q { Q.term(54, [self]) }
    func count() -> Q { Q.term(43, [self]) }
    func typeOf() -> Q { Q.term(52, [self]) }
    func map(_ function: Q) -> Q { Q.term(38, [self, function]) }
    func filter(_ predicate: Q) -> Q { Q.term(39, [self, predicate]) }
    func limit(_ count: Int) -> Q { Q.term(71, [self, Q.expr(.number(Double(count)))]) }
    func skip(_ count: Int) -> Q { Q.term(70, [self, Q.expr(.number(Double(count)))]) }
    func nth(_ index: Int) -> Q { Q.term(45, [self, Q.expr(.number(Double(index)))]) }
    func pluck(_ fields: String...) -> Q { Q.term(33, [self] + fields.map { Q.expr(.string($0)) }) }
    func add(_ other: Q) -> Q { Q.term(24, [self, other]) }
    func mod(_ other: Q) -> Q { Q.term(28, [self, other]) }
    func eq(_ other: Q) -> Q { Q.term(17, [self, other]) }
    func not() -> Q { Q.term(23, [self]) }
    func ids() -> Q { map(Q.fn { $0["id"] }) }

    func indexCreate(_ name: String, _ function: Q? = nil, multi: Bool? = nil, geo: Bool? = nil) -> Q {
        Q.term(75, [self, Q.expr(.string(name))] + (function.map { [$0] } ?? []),
               ["multi": multi.map { Q.expr(.bool($0)) }, "geo": geo.map { Q.expr(.bool($0)) }])
    }
    func indexDrop(_ name: String) -> Q { Q.term(76, [self, Q.expr(.string(name))]) }
    func indexList() -> Q { Q.term(77, [self]) }
    func indexStatus(_ names: String...) -> Q { Q.term(139, [self] + names.map { Q.expr(.string($0)) }) }
    func indexWait(_ names: String...) -> Q { Q.term(140, [self] + names.map { Q.expr(.string($0)) }) }
    func indexRename(_ name: String, _ newName: String, overwrite: Bool? = nil) -> Q {
        Q.term(156, [self, Q.expr(.string(name)), Q.expr(.string(newName))], ["overwrite": overwrite.map { Q.expr(.bool($0)) }])
    }
    func getAll(_ keys: Document..., index: String? = nil) -> Q {
        Q.term(78, [self] + keys.map { Q.expr($0) }, ["index": index.map { Q.expr(.string($0)) }])
    }
    func between(_ lower: Q, _ upper: Q, index: String? = nil, leftBound: String? = nil, rightBound: String? = nil) -> Q {
        Q.term(182, [self, lower, upper], ["index": index.map { Q.expr(.string($0)) },
                                           "left_bound": leftBound.map { Q.expr(.string($0)) },
                                           "right_bound": rightBound.map { Q.expr(.string($0)) }])
    }
    func orderBy(_ keys: Q..., index: Q? = nil) -> Q { Q.term(41, [self] + keys, ["index": index]) }
    func eqJoin(_ key: Q, _ table: Q, index: String? = nil, ordered: Bool? = nil) -> Q {
        Q.term(50, [self, key, table], ["index": index.map { Q.expr(.string($0)) }, "ordered": ordered.map { Q.expr(.bool($0)) }])
    }
    func innerJoin(_ other: Q, _ predicate: Q) -> Q { Q.term(48, [self, other, predicate]) }
    func outerJoin(_ other: Q, _ predicate: Q) -> Q { Q.term(49, [self, other, predicate]) }
    func zip() -> Q { Q.term(72, [self]) }
}

extension ReqlEngine {
    /// The query's value: an atom as it is, a stream read to its end as an array.
    func value(_ query: Q) async throws -> Document {
        switch await start(term: query.wire, globalOptargs: DocumentObject()) {
        case .atom(let value):
            return value
        case .error(let error):
            Issue.record("query failed: \(error.message)")
            return .null
        case .stream(let stream):
            var items: [Document] = []
            while true {
                let batch = try await stream.nextBatch(limit: 1000).get()
                items += batch.items
                if batch.finished { break }
            }
            return .array(items)
        case .profiled:
            Issue.record("query was profiled unasked")
            return .null
        }
    }

    /// The query's error, or nil when it succeeds (a stream is read to its end first).
    func failure(_ query: Q) async -> ReqlError? {
        switch await start(term: query.wire, globalOptargs: DocumentObject()) {
        case .atom: return nil
        case .error(let error): return error
        case .stream(let stream):
            while true {
                switch await stream.nextBatch(limit: 1000) {
                case .failure(let error): return error
                case .success(let batch): if batch.finished { return nil }
                }
            }
        case .profiled: return nil
        }
    }
}
