import DocumentModel

/// The running state of one change feed: where it is in the change log, what it holds for
/// its consumer, and how it waits.
///
/// The feed pulls: when its consumer asks for the next event and nothing is held, it reads
/// the change records after its position (a short read transaction on a reader connection,
/// with the table's catalog row, so a dropped table or a log switched off is seen), turns
/// them into events, and if there were none waits for the store's ``ChangeMonitor`` to
/// report a commit. Nothing runs while the consumer is not asking, and what it holds is
/// bounded by the queue size (RethinkDB's overflow rule applies to the backlog it reads).
///
/// An actor: the iterator's calls come from one task, but cancellation and the feed's
/// release may come from others.
actor ChangeFeedEngine {
    enum Phase { case idle, initial, live, finished }

    let table: Table
    let target: FeedTarget
    let options: ChangeFeedOptions
    var phase = Phase.idle
    var output: [ChangeEvent] = []
    var outputIndex = 0
    /// The sequence through which the log has been read.
    var position: Int64 = 0
    var uuid = ""
    var info: TableInfo?
    var selector: FeedSelector?
    var pointKey: PrimaryKey?
    var queue: FeedQueue
    var limit: LimitFeed?
    var pager: InitialPager?
    var snapshot: SerialConnection?
    var registration: ChangeMonitor.Registration?

    /// Records read per log query: a bound on what one read holds in memory.
    static let batchSize = 1000

    init(table: Table, target: FeedTarget, options: ChangeFeedOptions) {
        self.table = table
        self.target = target
        self.options = options
        queue = FeedQueue(squash: options.isSquashing, capacity: max(1, options.queueSize), overflows: options.since == nil)
    }

    var store: DocumentStore { table.store }
    var monitor: ChangeMonitor { table.store.changeMonitor }

    /// The next event; nil once the consuming task is cancelled.
    func next() async throws -> ChangeEvent? {
        do {
            if phase == .idle { try await start() }
            while true {
                if Task.isCancelled { phase = .finished }
                if phase == .finished {
                    release()
                    return nil
                }
                if let event = popOutput() { return event }
                switch phase {
                case .initial: try await readInitialPage()
                case .live: if try await !fill() { phase = .finished }
                case .idle, .finished: phase = .finished
                }
            }
        } catch {
            phase = .finished
            release()
            // A read the cancellation interrupted ends the feed as cancellation does.
            if error is CancellationError || Task.isCancelled { return nil }
            throw error
        }
    }

    /// Up to `limit` events: the first as ``next()`` waits for it (or, without waiting, what
    /// the log holds now), then those that are ready without waiting (for a server answering
    /// a client with a batch).
    func nextBatch(limit: Int, waitForFirst: Bool) async throws -> [ChangeEvent] {
        if phase == .idle { try await start() }
        var events: [ChangeEvent] = []
        if waitForFirst {
            guard let first = try await next() else { return [] }
            events.append(first)
        } else if phase == .live, outputIndex == output.count {
            // What the log holds now, without waiting for more.
            do {
                try await readLog()
            } catch {
                phase = .finished
                release()
                if error is CancellationError || Task.isCancelled { return [] }
                throw error
            }
            _ = deliver()
        }
        while events.count < limit, phase != .finished {
            if let event = popOutput() {
                events.append(event)
            } else if phase == .initial {
                do {
                    try await readInitialPage()
                } catch {
                    phase = .finished
                    release()
                    if error is CancellationError || Task.isCancelled { return events }
                    throw error
                }
            } else {
                break
            }
        }
        return events
    }

    func popOutput() -> ChangeEvent? {
        guard outputIndex < output.count else {
            if !output.isEmpty {
                output.removeAll(keepingCapacity: true)
                outputIndex = 0
            }
            return nil
        }
        defer { outputIndex += 1 }
        return output[outputIndex]
    }

    /// Frees what the feed holds: its snapshot connection, its claim on the watcher.
    func release() {
        snapshot = nil
        pager = nil
        registration = nil
        output = []
        outputIndex = 0
        _ = queue.take()
    }

    // MARK: - Live changes

    /// Fills the output with at least one event, waiting for commits as needed; false when
    /// the consuming task was cancelled.
    func fill() async throws -> Bool {
        let interval = options.squashInterval
        if interval > 0 {
            // RethinkDB's squash timer: each batch waits the interval, so more changes of a
            // document coalesce; a queue half full sends the batch early.
            let deadline = ContinuousClock.now + .seconds(interval)
            var generation = monitor.generation
            if limit == nil { try await readLog() }
            while limit != nil || queue.count <= queue.capacity / 2 {
                switch await monitor.wait(after: generation, until: deadline) {
                case .cancelled: return false
                case .timedOut: break
                case .committed:
                    generation = monitor.generation
                    if limit == nil { try await readLog() }
                    continue
                }
                break
            }
        }
        while true {
            let generation = monitor.generation
            try await readLog()
            if deliver() { return true }
            guard await monitor.wait(after: generation) else { return false }
        }
    }

    /// Moves what the queue holds to the output; true when there is something to deliver.
    func deliver() -> Bool {
        let (changes, skipped) = queue.take()
        if skipped > 0 {
            output.append(ChangeEvent(kind: .error, error: "Changefeed cache over array size limit, skipped \(skipped) elements."))
        }
        for change in changes {
            let type: String? = options.includeTypes ? (change.old == nil ? "add" : change.new == nil ? "remove" : "change") : nil
            output.append(ChangeEvent(kind: .change, old: change.old, new: change.new, type: type, sequence: change.sequence))
        }
        return outputIndex < output.count
    }

    /// Reads the change records after the position into the queue (or, for a limit feed,
    /// the new state of its set): the whole backlog for a live feed, whose queue applies
    /// RethinkDB's overflow rule to it, one batch at a time for a feed resuming from a
    /// sequence, whose backlog waits in the log.
    func readLog() async throws {
        guard let info, let selector else { return }
        let store = self.store
        let uuid = self.uuid
        if var limit {
            let current = limit
            let position = self.position
            let read = try await store.read { connection in
                try Self.reading(info) {
                    try connection.readTransaction { () throws -> (ChangeLogStorage.State?, Int64, [LimitItem]?) in
                        guard let state = try ChangeLogStorage.state(connection, uuid: uuid) else { return (nil, position, nil) }
                        // Its ordered set is read through the name it started with: a rename ends it (check).
                        guard state.name == info.name else { return (state, position, nil) }
                        let definition = try Self.definition(connection, info, selector, store: store)
                        var last = position
                        var touched = false
                        while true {
                            let records = try ChangeLogStorage.records(connection, state: state, after: last, key: nil, limit: Self.batchSize)
                            for record in records {
                                last = record.sequence
                                if !touched {
                                    touched = [record.old, record.new].contains { $0.map { selector.selects($0, definition: definition) } ?? false }
                                }
                            }
                            if records.count < Self.batchSize { break }
                        }
                        return (state, last, touched ? try current.top(connection) : nil)
                    }
                }
            }
            try check(read.0)
            self.position = read.1
            if let items = read.2 {
                output += limit.update(to: items)
                self.limit = limit
            }
            return
        }
        let key = pointKey
        repeat {
            let position = self.position
            let known = self.info ?? info
            let read = try await store.read { connection in
                try Self.reading(known) {
                    try connection.readTransaction { () throws -> (ChangeLogStorage.State?, [ChangeLogStorage.Record], IndexDefinition?, TableInfo) in
                        guard let state = try ChangeLogStorage.state(connection, uuid: uuid) else { return (nil, [], nil, known) }
                        // Renamed since the last read: the same table (and log) under its new name.
                        let current = state.name == known.name
                            ? known : try DocumentStore.lookUp(connection, name: state.name, caseInsensitive: false) ?? known
                        let definition = try Self.definition(connection, current, selector, store: store)
                        let records = try ChangeLogStorage.records(connection, state: state, after: position, key: key,
                                                                   limit: Self.batchSize)
                        return (state, records, definition, current)
                    }
                }
            }
            self.info = read.3
            try check(read.0)
            if let state = read.0, state.trimmedThrough > self.position {
                // The retention removed records this feed had not read yet.
                if options.since != nil { throw Self.tooOld(since: self.position, state: state, read.3) }
                queue.skip(atLeast: 1)
                self.position = state.trimmedThrough
            }
            for record in read.1 {
                self.position = record.sequence
                for change in selector.changes(of: record, definition: read.2) { queue.add(change) }
            }
            if read.1.count < Self.batchSize { return }
        } while queue.overflows || queue.isEmpty
    }

    /// The feed's table as it is now: gone, recreated or without a log ends the feed.
    func check(_ state: ChangeLogStorage.State?) throws {
        guard let info else { return }
        let database = store.configuration.databaseName
        guard let state, state.uuid == uuid else {
            throw DocumentStoreError(.opFailed, "Changefeed aborted (unavailable).", reason: .tableDoesNotExist)
        }
        guard state.isOn else { throw Self.noChangeLog(database, info.name) }
        guard state.name == info.name else {
            throw DocumentStoreError(.opFailed, "Changefeed aborted: table `\(database).\(info.name)` was renamed to `\(state.name)`, and a `limit` feed's ordered set cannot follow it. Open the feed again on `\(database).\(state.name)`.")
        }
    }

    static func noChangeLog(_ database: String, _ table: String) -> DocumentStoreError {
        DocumentStoreError(.opFailed, "Table `\(database).\(table)` has no change log; switch it on (`setChangeLog(.on())`, or `docstore table change-log \(table) on`) to follow its changes.")
    }

    static func tooOld(since: Int64, state: ChangeLogStorage.State, _ info: TableInfo) -> DocumentStoreError {
        DocumentStoreError(.opFailed, "Cannot resume the changes of table `\(info.name)` after sequence \(since): its change log keeps only the changes after sequence \(state.trimmedThrough) (older ones were removed by its retention, or made while the log was off). Start a new feed, with includeInitial to read the current documents.")
    }

    /// The secondary index a feed reads, as ready and defined now.
    static func definition(_ connection: SQLiteConnection, _ info: TableInfo, _ selector: FeedSelector,
                           store: DocumentStore) throws -> IndexDefinition? {
        guard let index = selector.index else { return nil }
        return try SecondaryRange.readyDefinition(connection, table: info, database: store.configuration.databaseName,
                                                  index: index, registry: store.indexes)
    }

    static func reading<T>(_ info: TableInfo, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            throw DocumentStoreError(error, while: "read the change log of table `\(info.name)`")
        }
    }
}
