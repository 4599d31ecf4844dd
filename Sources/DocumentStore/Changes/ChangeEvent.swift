import DocumentModel

/// One element of a change feed: a change of a document, an initial value, a state note, or
/// the note that the feed skipped changes its consumer did not read in time.
///
/// ``document`` is the object RethinkDB's feeds deliver:
///
/// ```swift
/// for try await change in orders.changes() {
///     print(change.document.jsonString)   // {"new_val":{"id":1,"total":30},"old_val":{"id":1,"total":20}}
///     if change.newValue == nil { print("deleted", change.oldValue!["id"]!) }
/// }
/// ```
public struct ChangeEvent: Sendable, Equatable {
    /// The document before the change (nil for an insert, an initial value or a note).
    public let oldValue: Document?
    /// The document after the change (nil for a delete or a note).
    public let newValue: Document?
    /// RethinkDB's `type` ("add", "remove", "change", "initial", "state"), given when the
    /// feed was asked for types (``ChangeFeedOptions/includeTypes``).
    public let type: String?
    /// "initializing" or "ready" for a state note (``ChangeFeedOptions/includeStates``).
    public let state: String?
    /// For an ``IndexRange/limit(_:)`` feed with offsets: the position the document left
    /// (0 is the first of the ordered set), nil when it was not in the set.
    public let oldOffset: Int?
    /// For an ``IndexRange/limit(_:)`` feed with offsets: the position the document entered,
    /// nil when it left the set.
    public let newOffset: Int?
    /// The change record's sequence: resume after it (``ChangeFeedOptions/since``) to get
    /// the changes that follow. nil for initial values and notes, and for a change of an
    /// ``IndexRange/limit(_:)`` feed or a squashed one, which stand for several records.
    public let sequence: Int64?
    /// RethinkDB's "Changefeed cache over array size limit, skipped N elements." when the
    /// feed dropped changes its consumer did not read in time; the feed goes on after it.
    public let error: String?

    enum Kind: Sendable, Equatable { case change, initial, state, error }

    let kind: Kind
    let hasOffsets: Bool

    init(kind: Kind, old: Document? = nil, new: Document? = nil, type: String? = nil, state: String? = nil,
         oldOffset: Int? = nil, newOffset: Int? = nil, hasOffsets: Bool = false, sequence: Int64? = nil, error: String? = nil) {
        self.kind = kind
        self.oldValue = old
        self.newValue = new
        self.type = type
        self.state = state
        self.oldOffset = oldOffset
        self.newOffset = newOffset
        self.hasOffsets = hasOffsets
        self.sequence = sequence
        self.error = error
    }

    /// The event as RethinkDB's feed delivers it: `{"old_val": ..., "new_val": ...}` for a
    /// change, `{"new_val": ...}` for an initial value, `{"state": "ready"}` for a state note,
    /// `{"error": "..."}` for skipped changes; with `type`, `old_offset` and `new_offset` when
    /// they were asked for.
    ///
    /// ```swift
    /// change.document.jsonString   // {"new_val":{"id":2},"old_val":null,"type":"add"}
    /// ```
    public var document: Document {
        var object = DocumentObject()
        switch kind {
        case .state:
            object["state"] = state.map(Document.string) ?? .null
        case .error:
            object["error"] = error.map(Document.string) ?? .null
        case .initial:
            object["new_val"] = newValue ?? .null
            if hasOffsets { object["new_offset"] = newOffset.map { .number(Double($0)) } ?? .null }
        case .change:
            object["old_val"] = oldValue ?? .null
            object["new_val"] = newValue ?? .null
            if hasOffsets {
                object["old_offset"] = oldOffset.map { .number(Double($0)) } ?? .null
                object["new_offset"] = newOffset.map { .number(Double($0)) } ?? .null
            }
        }
        if let type { object["type"] = .string(type) }
        return .object(object)
    }

    /// The old document decoded as `T` (nil when there is none).
    ///
    /// ```swift
    /// struct Order: Codable { let id: Int; let total: Double }
    /// let before = try change.oldValue(as: Order.self)
    /// ```
    public func oldValue<T: Decodable>(as type: T.Type) throws -> T? {
        try oldValue.map { try DocumentDecoder().decode(type, from: $0) }
    }

    /// The new document decoded as `T` (nil when there is none).
    ///
    /// ```swift
    /// let after = try change.newValue(as: Order.self)
    /// ```
    public func newValue<T: Decodable>(as type: T.Type) throws -> T? {
        try newValue.map { try DocumentDecoder().decode(type, from: $0) }
    }
}
