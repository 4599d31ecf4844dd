import DocumentModel

extension ChangeFeedEngine {
    /// Subscribes: checks the options and the table, and reads the position the changes
    /// start from, together with the initial values (or a limit feed's set) in the same
    /// read transaction, so that no change falls between them or is counted twice.
    func start() async throws {
        guard phase == .idle else { return }
        try options.validate()
        try validateTarget()
        let info = try await store.tableInfo(table.name)
        let selector = FeedSelector(target: target, primaryKey: info.primaryKey, options: options)
        self.info = info
        self.selector = selector
        if case .point(let key) = target { pointKey = try Table.validatedKey(key) }
        var limitFeed: LimitFeed?
        if case .limit(let range, let count) = target {
            if let problem = range.problem { throw problem }
            let scan = try await IndexScan(range.pageSize(max(1, min(range.size, count))))
            limitFeed = LimitFeed(count: count, descending: range.order == .descending, scan: scan, options: options)
        }
        let pager = try await InitialPager(target: target, info: info, options: options)
        let limitStart = limitFeed
        // Registered before the first read: a commit after it wakes the feed.
        registration = monitor.register()
        let database = store.configuration.databaseName
        let since = options.since
        let store = self.store
        let key = pointKey
        // A table or range can be large: its initial values are read a page at a time in one
        // transaction kept open on a connection of the feed's own. The rest fits one read.
        let paged = pager?.isPaged == true
        let snapshot = paged ? try store.makeSnapshotConnection() : nil
        let first = try await store.readSnapshot(on: snapshot) { connection in
            try Self.reading(info) { () throws -> StartRead in
                // Kept open past this call on a snapshot connection; joined by readTransaction.
                if snapshot != nil { try connection.execute("BEGIN") }
                return try connection.readTransaction { () throws -> StartRead in
                guard let state = try ChangeLogStorage.state(connection, table: info.name) else {
                    throw DocumentStoreError.tableDoesNotExist(database, info.name)
                }
                guard state.isOn else { throw Self.noChangeLog(database, info.name) }
                if let since, since < state.trimmedThrough { throw Self.tooOld(since: since, state: state, info) }
                _ = try Self.definition(connection, info, selector, store: store)
                // A live feed starts at the newest record, or at the log's switch when it is newer.
                let position = try since ?? max(ChangeLogStorage.latest(connection), state.trimmedThrough)
                var read = StartRead(state: state, position: position)
                if let limitStart { read.top = try limitStart.top(connection) }
                if let key, pager != nil { read.point = try Table.fetch(connection, info, key) }
                if var initial = pager, key == nil {
                    read.documents = try initial.next(connection, info: info, store: store, all: snapshot == nil)
                    read.pager = initial.isDone ? nil : initial
                }
                return read
                }
            }
        }
        uuid = first.state.uuid
        position = first.position
        self.snapshot = snapshot
        self.pager = first.pager
        if options.includeStates && options.includeInitial { append(state: "initializing") }
        if var limitFeed {
            output += limitFeed.start(with: first.top ?? [], includeInitial: options.includeInitial)
            limit = limitFeed
        } else if options.includeInitial, pointKey != nil {
            // The one place RethinkDB sends `{"new_val": null}`: a key with no document.
            output.append(ChangeEvent(kind: .initial, new: options.project(first.point) ?? .null,
                                      type: options.includeTypes ? "initial" : nil))
        } else {
            appendInitial(first.documents)
        }
        if self.pager == nil {
            finishInitial()
        } else {
            phase = .initial
        }
    }

    /// What the start's read transaction found.
    struct StartRead: Sendable {
        let state: ChangeLogStorage.State
        let position: Int64
        var top: [LimitItem]?
        var point: Document?
        var documents: [Document] = []
        var pager: InitialPager?

        init(state: ChangeLogStorage.State, position: Int64) {
            self.state = state
            self.position = position
        }
    }

    /// The next page of initial values, on the feed's snapshot connection.
    func readInitialPage() async throws {
        guard let pager, let info, let snapshot else {
            finishInitial()
            return
        }
        let store = self.store
        let current = pager
        let page = try await snapshot.run { connection in
            try Self.reading(info) { () throws -> ([Document], InitialPager) in
                var pager = current
                let documents = try pager.next(connection, info: info, store: store, all: false)
                return (documents, pager)
            }
        }
        appendInitial(page.0)
        self.pager = page.1.isDone ? nil : page.1
        if self.pager == nil { finishInitial() }
    }

    /// The initial values done: the snapshot's transaction ends, the changes start.
    func finishInitial() {
        pager = nil
        // Dropping the connection rolls its read transaction back and closes it.
        snapshot = nil
        if options.includeStates { append(state: "ready") }
        phase = .live
    }

    func appendInitial(_ documents: [Document]) {
        for document in documents {
            guard let value = options.project(document) else { continue }
            output.append(ChangeEvent(kind: .initial, new: value, type: options.includeTypes ? "initial" : nil))
        }
    }

    func append(state: String) {
        output.append(ChangeEvent(kind: .state, type: options.includeTypes ? "state" : nil, state: state))
    }

    /// RethinkDB's refusals of options a kind of feed does not take.
    func validateTarget() throws {
        switch target {
        case .limit(let range, let count):
            if range.order == nil {
                throw DocumentStoreError(.queryLogic, "Cannot get changes on the first elements of an unordered stream.")
            }
            if count > ArrayLimit.default {
                throw DocumentStoreError(.resourceLimit, "Array size limit `\(ArrayLimit.default)` exceeded.  (`.limit(X).changes()` is illegal if X is larger than the array size limit.)")
            }
            if options.since != nil {
                throw DocumentStoreError(.queryLogic, "A `limit` change feed cannot resume from a sequence: its changes are moves of its ordered set, which the change log does not keep. Start it anew (with includeInitial for the current set).")
            }
        case .point:
            if options.includeOffsets { throw DocumentStoreError(.queryLogic, "Cannot include offsets for point subs.") }
        case .table, .keys, .indexValues, .range:
            if options.includeOffsets { throw DocumentStoreError(.queryLogic, "Cannot include offsets for range subs.") }
            if case .range(let range) = target, let problem = range.problem { throw problem }
        }
    }
}
