import DocumentModel

/// One index's state, a row of RethinkDB's `index_status` (and `index_wait`).
///
/// ```swift
/// let statuses = try await users.indexStatus(["email"])
/// statuses[0].ready       // false while the index is being built
/// statuses[0].progress    // 0.42, then nil once ready
/// ```
public struct IndexStatus: Sendable, Equatable {
    /// The index's name.
    public let index: String
    /// Whether the index has entries for every document; reads through it fail until it has.
    public let ready: Bool
    /// How much of the table has been indexed (0..<1) while the index is built; nil when ready.
    public let progress: Double?
    /// Whether each element of an array value has an entry of its own.
    public let multi: Bool
    /// Whether it is a geospatial index (`indexCreate(_:_:multi:geo:)` with `geo: true`).
    public let geo: Bool
    /// RethinkDB's flag for indexes built by an older version that need rebuilding; always false.
    public let outdated: Bool
    /// The stored definition as bytes: RethinkDB gives it as a BINARY value, and
    /// ``Table/indexCreate(_:binary:multi:geo:)`` accepts it back (what `rethinkdb restore` does).
    public let function: [UInt8]
    /// The definition as text, e.g. `indexCreate('a', function(var1) { return var1("a"); })`.
    public let query: String

    /// RethinkDB's object: `index`, `ready`, `progress` (while building), `multi`, `geo`,
    /// `outdated`, `function` (a BINARY pseudotype) and `query`.
    ///
    /// ```swift
    /// try await users.indexStatus()[0].document["ready"]   // true
    /// ```
    public var document: Document {
        var object: DocumentObject = [
            "index": .string(index), "ready": .bool(ready), "multi": .bool(multi), "geo": .bool(geo),
            "outdated": .bool(outdated), "query": .string(query),
            "function": ["$reql_type$": "BINARY", "data": .string(IndexDefinitionBlob.base64(function))],
        ]
        if let progress { object["progress"] = .number(progress) }
        return .object(object)
    }
}

/// What `indexCreate`, `indexDrop` or `indexRename` changed: RethinkDB's `{"created": 1}`,
/// `{"dropped": 1}` or `{"renamed": 1}` (`{"renamed": 0}` for a rename to the same name).
///
/// ```swift
/// try await users.indexCreate("email").document   // {"created": 1}
/// ```
public struct IndexChange: Sendable, Equatable {
    /// 1 when an index was created.
    public let created: Int
    /// 1 when an index was dropped.
    public let dropped: Int
    /// 1 when an index was renamed, 0 for a rename to its own name.
    public let renamed: Int

    init(created: Int = 0, dropped: Int = 0, renamed: Int = 0) {
        self.created = created
        self.dropped = dropped
        self.renamed = renamed
    }

    private enum Kind { case create, drop, rename }
    private var kind: Kind { created > 0 ? .create : dropped > 0 ? .drop : .rename }

    /// RethinkDB's result object, with only the key that applies.
    public var document: Document {
        switch kind {
        case .create: return ["created": .number(Double(created))]
        case .drop: return ["dropped": .number(Double(dropped))]
        case .rename: return ["renamed": .number(Double(renamed))]
        }
    }
}

/// One end of an index range: `r.minval`, `r.maxval`, or a value.
///
/// ```swift
/// users.between(.value(18), .maxval, index: "age")   // 18 and older
/// ```
public enum IndexBound: Sendable, Equatable {
    /// Below every value (`r.minval`).
    case minval
    /// Above every value (`r.maxval`).
    case maxval
    /// A value; arrays may hold `r.minval`/`r.maxval` objects (`["$reql_type$": "MINVAL"]`).
    case value(Document)

    var datum: Document {
        switch self {
        case .minval: return ["$reql_type$": "MINVAL"]
        case .maxval: return ["$reql_type$": "MAXVAL"]
        case .value(let value): return value
        }
    }
}

/// Whether a range includes its bound (RethinkDB's `left_bound`/`right_bound`).
///
/// ```swift
/// users.between(.value(18), .value(65), index: "age", leftBound: .open, rightBound: .closed)
/// ```
public enum BoundKind: Sendable {
    /// The bound itself is left out.
    case open
    /// The bound itself is included.
    case closed
}

/// The direction of an ordered index read (`r.asc`, `r.desc`).
///
/// ```swift
/// users.orderBy(index: "age", .descending)
/// ```
public enum IndexOrder: Sendable {
    /// Smallest value first.
    case ascending
    /// Largest value first.
    case descending
}
