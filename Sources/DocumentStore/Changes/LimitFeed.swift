import DocumentModel

/// One document of an ordered, limited feed's set: a document once per index entry (a
/// multi index may hold it several times, told apart by the tag).
struct LimitItem: Sendable, Equatable {
    let primaryKey: Document
    let tag: Int64
    /// The value the set is ordered by: the index value, or the primary key.
    let sortValue: Document
    /// The document as the feed shows it (after the transform).
    let value: Document

    func sameEntry(as other: LimitItem) -> Bool {
        tag == other.tag && primaryKey == other.primaryKey
    }
}

/// The state of an `order_by(index=).limit(n).changes()` feed: the first `n` documents of
/// the range, as last delivered.
///
/// When new change records touch the range, the feed reads the first `n` again in the same
/// snapshot as the records (one B-tree range of `n` entries) and delivers the difference as
/// RethinkDB's limit subscriptions do: a document that left and one that entered make one
/// change, with the positions they had and took (`old_offset`, `new_offset`, 0 the first).
/// Each delivered set is a state some commit left the table in; commits that happen
/// between two reads of a slow consumer arrive as one difference.
struct LimitFeed: Sendable {
    let count: Int
    let descending: Bool
    let scan: IndexScan
    let options: ChangeFeedOptions
    private(set) var active: [LimitItem] = []

    init(count: Int, descending: Bool, scan: IndexScan, options: ChangeFeedOptions) {
        self.count = count
        self.descending = descending
        self.scan = scan
        self.options = options
    }

    /// The first `count` documents of the range that pass the predicate, read on
    /// `connection` in the caller's transaction.
    func top(_ connection: SQLiteConnection) throws -> [LimitItem] {
        var scan = self.scan
        var items: [LimitItem] = []
        while items.count < count {
            let page = try scan.nextEntries(on: connection)
            for entry in page.entries {
                guard let value = options.project(entry.document) else { continue }
                let key = entry.document[scan.primaryKey] ?? .null
                let sortValue = scan.isPrimary ? key : entry.value
                items.append(LimitItem(primaryKey: key, tag: entry.tag, sortValue: sortValue, value: value))
                if items.count == count { break }
            }
            if page.finished { break }
        }
        return items
    }

    /// Starts the feed from the set read at its start; the initial values, when asked for.
    mutating func start(with items: [LimitItem], includeInitial: Bool) -> [ChangeEvent] {
        active = items
        guard includeInitial else { return [] }
        return items.enumerated().map { offset, item in
            ChangeEvent(kind: .initial, new: item.value, type: options.includeTypes ? "initial" : nil, newOffset: offset,
                        hasOffsets: options.includeOffsets)
        }
    }

    /// Moves the set to `items` and returns the changes, paired as RethinkDB's limit manager
    /// pairs them: an entry that left and came back changed first, then each other leaver
    /// with an arrival, then the leavers and arrivals left over.
    mutating func update(to items: [LimitItem]) -> [ChangeEvent] {
        let leaving = active.filter { old in !items.contains(old) }
        var arriving = items.filter { new in !active.contains(new) }
        var messages: [(old: LimitItem?, new: LimitItem?)] = []
        var unpaired: [LimitItem] = []
        for old in leaving {
            if let index = arriving.firstIndex(where: { $0.sameEntry(as: old) }) {
                messages.append((old, arriving.remove(at: index)))
            } else {
                unpaired.append(old)
            }
        }
        for old in unpaired {
            messages.append((old, arriving.isEmpty ? nil : arriving.removeFirst()))
        }
        messages += arriving.map { (nil, $0) }
        return messages.compactMap { apply($0) }
    }

    /// One message applied to the set: RethinkDB's `note_change_impl`, offsets included.
    private mutating func apply(_ message: (old: LimitItem?, new: LimitItem?)) -> ChangeEvent? {
        var oldOffset: Int?
        var newOffset: Int?
        if let old = message.old, let index = active.firstIndex(of: old) {
            oldOffset = index
            active.remove(at: index)
        }
        if let new = message.new {
            let index = active.firstIndex { precedes(new, $0) } ?? active.count
            active.insert(new, at: index)
            newOffset = index
        }
        if message.old?.value == message.new?.value && oldOffset == newOffset { return nil }
        let type: String? = options.includeTypes ? (message.old == nil ? "add" : message.new == nil ? "remove" : "change") : nil
        return ChangeEvent(kind: .change, old: message.old?.value, new: message.new?.value, type: type, oldOffset: oldOffset,
                           newOffset: newOffset, hasOffsets: options.includeOffsets)
    }

    /// The set's order: by the sorted value, then the primary key, then the tag (the order of
    /// the index's B-tree), reversed for a descending feed.
    private func precedes(_ a: LimitItem, _ b: LimitItem) -> Bool {
        var order = ReqlOrder.compare(a.sortValue, b.sortValue)
        if order == 0 { order = ReqlOrder.compare(a.primaryKey, b.primaryKey) }
        if order == 0 { order = a.tag < b.tag ? -1 : (a.tag > b.tag ? 1 : 0) }
        return descending ? order > 0 : order < 0
    }
}
