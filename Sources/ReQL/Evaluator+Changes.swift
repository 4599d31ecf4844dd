import DocumentModel

extension TermType {
    /// `changes` (`ql2.proto` CHANGES = 152).
    package static let changes = TermType(rawValue: 152)!
    /// The options `changes` takes (`changes_term_t`).
    static let changesOptargs: Set<String> = [
        "squash", "changefeed_queue_size", "include_initial", "include_offsets", "include_states", "include_types",
    ]
}

extension ReqlError {
    /// What a terminal (`count`, `reduce`, `coerce_to('array')`, `order_by` without an index...)
    /// gets from a feed, even a limited one (changefeed.cc `stream_t::next_raw_batch`).
    package static let terminalOnFeed = ReqlError.runtime(
        .queryLogic, "Cannot call a terminal (`reduce`, `count`, etc.) on an infinite stream (such as a changefeed)."
    )

    /// What RethinkDB says for a stream whose rows it cannot watch: a literal array, a range,
    /// an `order_by` without an index, a `skip`, another feed (`eager_datum_stream_t`).
    static let eagerFeed = ReqlError.runtime(.queryLogic, "Cannot call `changes` on an eager stream.")
}

extension Evaluator {
    /// `changes`: a never-ending stream of the changes to what its argument selects, a table,
    /// `get`, `get_all`, `between`, `order_by(index:)`, with `filter`/`map`/`pluck`... on them,
    /// or `order_by(index:).limit(n)` (`changes_term_t`).
    ///
    /// The feed itself is the library's, opened through ``TableAccess/changes(_:in:)``; what is
    /// decided here is what RethinkDB decides before it subscribes: the options, in its order
    /// and with its errors, and which feeds it refuses.
    func changes(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        try arity(term, 1...1)
        var options = try changeOptions(term, env)
        let argument = term.args[0]
        // `r.union(a, b).changes()`: a feed on each, as one (`union_datum_stream_t::get_changespecs`).
        let branches = argument.type == .union && argument.optargs.isEmpty ? argument.args : [argument]
        var values: [Value] = []
        for branch in branches { values.append(try eval(branch, env)) }
        options.queueSize = try changefeedQueueSize(term, env)
        var requests: [(TableRef, ChangeRequest)] = []
        for (branch, value) in zip(branches, values) {
            let (table, request) = try changeRequest(for: value, branch, env, options: options)
            try checkOffsets(request)
            requests.append((table, request))
        }
        var sources: [any ChangeSource] = []
        for (table, request) in requests { sources.append(try context.tables.changes(request, in: table)) }
        let kind = requests.dropFirst().reduce(requests[0].1.kind) { $0.union($1.1.kind) }
        let feed = Feed(sources: sources, kind: kind, includesStates: options.includeStates,
                        statesExpected: options.includeStates ? sources.count : 0)
        return .stream(RowStream(cancellation: context.cancellation, isInfinite: true, feed: feed) { () throws(ReqlError) -> Document? in
            try feed.next()
        })
    }

    /// `r.union` of sequences among which there are change feeds: one feed of them all
    /// (``RowStream/feedUnion(_:)``); nil when none is a feed. An ordered union (`interleave`
    /// false or a key) of a feed is RethinkDB's error, since it would never get past the feed.
    /// The union term calls this once it has its sequences.
    func feedUnion(of streams: [RowStream], _ term: Term, _ env: Environment) throws(ReqlError) -> RowStream? {
        guard let union = RowStream.feedUnion(streams) else { return nil }
        if let interleave = term.optarg("interleave") {
            guard case .datum(.bool(true)) = try eval(interleave, env) else {
                throw .runtime(.queryLogic, "Cannot use an infinite stream with an ordered `union`.")
            }
        }
        return union
    }

    /// `squash`, then the `include_*` flags, as `changes_term_t::eval_impl` reads them (each a
    /// term optarg, else the query's global optarg of the name).
    private func changeOptions(_ term: Term, _ env: Environment) throws(ReqlError) -> ChangeRequest {
        var options = ChangeRequest(target: .table)
        if let value = try optarg("squash", term, env) {
            let squash = try datum(of: value, term: term)
            let place = term.optarg("squash")?.path ?? []
            switch squash {
            case .bool(let on):
                options.squash = on ? .on : .off
            case .number(let seconds):
                guard seconds >= 0 else {
                    throw .runtime(.queryLogic, "Expected BOOL or a positive NUMBER but found a negative NUMBER.", backtrace: place)
                }
                options.squash = seconds == 0 ? .on : .seconds(seconds)
            default:
                throw .runtime(.queryLogic, "Expected BOOL or NUMBER but found \(squash.typeName).", backtrace: place)
            }
        }
        options.includeStates = try changeFlag("include_states", term, env)
        options.includeTypes = try changeFlag("include_types", term, env)
        options.includeInitial = try changeFlag("include_initial", term, env)
        options.includeOffsets = try changeFlag("include_offsets", term, env)
        return options
    }

    /// A flag's truthiness (`val_t::as_bool`: anything but `false` and `null` is true).
    private func changeFlag(_ name: String, _ term: Term, _ env: Environment) throws(ReqlError) -> Bool {
        guard let value = try optarg(name, term, env) else { return false }
        return truthy(try datum(of: value, term: term))
    }

    /// `changefeed_queue_size` (`env_t::limits_with_changefeed_queue_size`, `check_limit`).
    private func changefeedQueueSize(_ term: Term, _ env: Environment) throws(ReqlError) -> Int {
        let place = term.optarg("changefeed_queue_size")
        let value: Int64
        if let place {
            value = try integer(place, env)
        } else if let global = context.globalOptargs["changefeed_queue_size"] {
            let number = try datum(of: global, term: term)
            guard let amount = number.doubleValue else { throw typeError("NUMBER", found: number.typeName, term) }
            guard let exact = Int64(exactly: amount) else {
                throw .runtime(.queryLogic, "Number not an integer: \(JSONNumber.text(amount))")
            }
            value = exact
        } else {
            return ChangeRequest(target: .table).queueSize
        }
        guard value >= 1 else {
            throw .runtime(.queryLogic, "Illegal changefeed queue size `\(value)`.  (Must be >= 1.)", backtrace: place?.path ?? [])
        }
        return Int(value)
    }

    /// `include_offsets` is for `order_by.limit` feeds only (`new_sub`'s checks).
    private func checkOffsets(_ request: ChangeRequest) throws(ReqlError) {
        guard request.includeOffsets else { return }
        switch request.target {
        case .top: return
        case .document: throw .runtime(.queryLogic, "Cannot include offsets for point subs.")
        case .table, .keys, .range: throw .runtime(.queryLogic, "Cannot include offsets for range subs.")
        }
    }
}
