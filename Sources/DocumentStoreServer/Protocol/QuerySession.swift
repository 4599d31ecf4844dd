import DocumentStore
import ReQL
import Logging

/// One connection's queries once the handshake is done: tokens, open streams, noreply
/// bookkeeping and the in-flight limit.
///
/// Requests are handed over one at a time, in arrival order, by the connection's read loop;
/// each START then runs in its own task, so a slow query does not hold up the ones behind it, and
/// responses leave in completion order, as RethinkDB sends them. The actor owns every piece of
/// per-connection state, so token bookkeeping never races with a query finishing.
///
/// Every request gets exactly one response (none for a noreply START): a driver that receives a
/// response it is not waiting for drops the connection.
actor QuerySession {
    /// How a stream's items are cut into responses and how many requests may run at once.
    struct Limits: Sendable {
        /// RethinkDB runs at most 1024 queries per connection; further reads wait for a slot.
        var maxInFlight = 1024
        /// Items per SUCCESS_PARTIAL/SUCCESS_SEQUENCE. Drivers accept any batch size.
        var batchSize = 1000
    }

    /// What a token currently stands for.
    enum TokenUse: Sendable {
        case query(UInt64)
        case noreplyWait
    }

    /// A START's life from the request until its stream is exhausted or stopped.
    struct QueryEntry: Sendable {
        enum Phase: Sendable {
            /// The term is being evaluated, or its first batch fetched.
            case starting
            /// A stream with more to give, waiting for CONTINUE or STOP.
            case idle(any QueryStream)
            /// A CONTINUE is fetching the next batch.
            case fetching(any QueryStream)
        }

        /// A CONTINUE or STOP that arrived while the query was busy. RethinkDB serializes them
        /// per query with a mutex; this queue is that mutex's waiting line.
        enum Queued: Sendable {
            case continueStream
            case stop
        }

        let token: UInt64
        let noreply: Bool
        /// Rows per batch: the server's size, or less when the query's `max_batch_rows` says so.
        var batchSize: Int
        /// Cancelled by STOP, by the client leaving and by the server giving up at shutdown;
        /// the evaluator checks it in its loops.
        let cancellation = CancellationToken()
        var phase: Phase = .starting
        var queued: [Queued] = []
        /// A STOP came in during a CONTINUE: the token is already free, and the running
        /// CONTINUE is to be answered with an empty SUCCESS_SEQUENCE, then the STOP.
        var stopRequested = false
    }

    let runner: any QueryRunning
    let sink: any ResponseSink
    let serverInfo: Document
    let limits: Limits
    let logger: Logger
    /// Whom the connection logged in as; set by the handshake before the first query arrives.
    let user: AuthenticatedUser

    var tokens: [UInt64: TokenUse] = [:]
    var queries: [UInt64: QueryEntry] = [:]
    /// Query ids grow with arrival order, which is what NOREPLY_WAIT compares against.
    var nextQueryID: UInt64 = 0
    var pendingNoreply: Set<UInt64> = []
    var noreplyWaiters: [(horizon: UInt64, token: UInt64)] = []

    /// Requests admitted and not yet fully answered (a noreply START counts until it finishes).
    var inFlight = 0
    var admissionWaiter: CheckedContinuation<Void, Never>?
    var idleWaiters: [CheckedContinuation<Void, Never>] = []
    /// Set when the server gives up waiting for this connection at shutdown.
    var abandoned = false

    init(
        runner: any QueryRunning,
        sink: any ResponseSink,
        serverInfo: Document,
        limits: Limits = Limits(),
        user: AuthenticatedUser = AuthenticatedUser(),
        logger: Logger
    ) {
        self.user = user
        self.runner = runner
        self.sink = sink
        self.serverInfo = serverInfo
        self.limits = limits
        self.logger = logger
    }

    /// Handles one frame's payload. Returns once the request is admitted, which is later than
    /// its arrival only when the connection already has `maxInFlight` requests running.
    func receive(token: UInt64, payload: [UInt8]) async {
        guard !self.abandoned else { return }
        switch ClientQuery.parse(payload) {
        case .failure(let error):
            self.sink.send(.error(error, token: token))
        case .success(.start(let term, let optargs, let noreply, let documents)):
            await self.start(token: token, term: term, globalOptargs: optargs, noreply: noreply, documents: documents)
        case .success(.continueStream):
            await self.admit()
            self.continueStream(token: token)
        case .success(.stop):
            await self.admit()
            self.stop(token: token)
        case .success(.noreplyWait):
            await self.admit()
            self.noreplyWait(token: token)
        case .success(.serverInfo):
            self.sink.send(QueryResponse(token: token, type: .serverInfo, results: [self.serverInfo]))
        }
    }

    /// Answers a frame whose header announced 128 MiB or more. The caller closes the
    /// connection afterwards, as RethinkDB does.
    func rejectOversized(token: UInt64, length: UInt32) {
        let message = "Query size (\(length)) greater than maximum (\(QueryFrameDecoder.maximumQueryLength))."
        self.sink.send(.clientError(message, token: token))
    }

    /// Waits for every admitted request to be answered, then releases streams the client left
    /// open. Called when the connection stops reading (the client left, or the server is
    /// shutting down), before it is closed.
    ///
    /// Queries whose answer nobody can read any more are cancelled first, so an abandoned
    /// `r.range().count()` stops within milliseconds instead of keeping a thread busy. Noreply
    /// queries are left to finish: they are writes the client meant to happen.
    func finish() async {
        for entry in self.queries.values where !entry.noreply {
            entry.cancellation.cancel()
        }
        while self.inFlight > 0 && !self.abandoned {
            await withCheckedContinuation { self.idleWaiters.append($0) }
        }
        let openStreams = self.queries.values.compactMap { entry -> (any QueryStream)? in
            if case .idle(let stream) = entry.phase { return stream }
            return nil
        }
        self.queries = [:]
        self.tokens = [:]
        for stream in openStreams {
            await stream.stop()
        }
    }

    /// Stops waiting for running queries: the server's shutdown grace period is over. Every
    /// query still running is cancelled; their responses go nowhere.
    func abandon() {
        self.abandoned = true
        for entry in self.queries.values {
            entry.cancellation.cancel()
        }
        self.admissionWaiter?.resume()
        self.admissionWaiter = nil
        self.resumeIdleWaiters()
    }

    // MARK: - START

    private func start(token: UInt64, term: Document, globalOptargs: DocumentObject, noreply: Bool, documents: [UInt8]?) async {
        await self.admit()
        guard self.tokens[token] == nil else {
            if !noreply {
                self.sink.send(.clientError("ERROR: duplicate token \(Int64(bitPattern: token))", token: token))
            }
            self.release()
            return
        }
        let id = self.nextQueryID
        self.nextQueryID += 1
        self.tokens[token] = .query(id)
        let batchSize = Self.batchSize(self.limits.batchSize, globalOptargs: globalOptargs)
        let entry = QueryEntry(token: token, noreply: noreply, batchSize: batchSize)
        self.queries[id] = entry
        if noreply {
            self.pendingNoreply.insert(id)
        }
        let runner = self.runner
        let cancellation = entry.cancellation
        Task {
            let outcome = await runner.start(term: term, globalOptargs: globalOptargs, user: user.name, insertDocuments: documents,
                                             cancellation: cancellation)
            let (result, profile) = await Self.started(outcome, batchSize: batchSize)
            self.startFinished(id: id, outcome: result, profile: profile)
        }
    }

    /// What became of a START: its outcome, with a stream's first batch already fetched.
    enum StartResult: Sendable {
        case atom(Document)
        case error(ReqlError)
        case stream(any QueryStream, Result<(items: [Document], finished: Bool), ReqlError>)

        /// The query ended because its token was cancelled.
        var wasInterrupted: Bool {
            switch self {
            case .error(let error), .stream(_, .failure(let error)): return error == .interrupted
            default: return false
            }
        }
    }

    /// Fetches a stream's first batch, off the actor, so evaluation never blocks the
    /// connection's bookkeeping; with the profile of a `profile: true` query that succeeded.
    private nonisolated static func started(_ outcome: QueryOutcome, batchSize: Int) async -> (StartResult, Document?) {
        switch outcome {
        case .atom(let value):
            return (.atom(value), nil)
        case .error(let error):
            return (.error(error), nil)
        case .stream(let stream):
            return (.stream(stream, await stream.nextBatch(limit: batchSize)), nil)
        case .profiled(let inner, let profile):
            let (result, _) = await started(inner, batchSize: batchSize)
            switch result {
            case .error, .stream(_, .failure): return (result, nil)
            default: return (result, profile.take())
            }
        }
    }

    private func startFinished(id: UInt64, outcome: StartResult, profile: Document?) {
        guard let entry = self.queries[id] else {
            // Abandoned at shutdown: nobody will CONTINUE this stream, so free it now.
            if case .stream(let stream, .success(let batch)) = outcome, !batch.finished {
                Task { await stream.stop() }
            }
            return
        }
        let token = entry.token
        if entry.queued.first == .stop, outcome.wasInterrupted {
            // A STOP cut the START short: RethinkDB answers the START with an empty
            // SUCCESS_SEQUENCE (`query_cache.cc`, interrupt_reason_t::STOP), then the STOP.
            self.end(id: id, with: .stopped(token: token), answeringQueued: false)
            self.answer(.stopped(token: token))
            for _ in entry.queued.dropFirst() {
                self.answer(.notInStreamCache(token: token))
            }
            return
        }
        if entry.noreply {
            // RethinkDB serves a noreply stream as a single SUCCESS_SEQUENCE and drops it.
            if case .stream(let stream, let first) = outcome, (try? first.get().finished) != true {
                Task {
                    await stream.stop()
                    self.noreplyFinished(id: id)
                }
            } else {
                self.noreplyFinished(id: id)
            }
            return
        }
        switch outcome {
        case .atom(let value):
            self.end(id: id, with: QueryResponse.atom(value, token: token).profiled(profile))
        case .error(let error):
            self.end(id: id, with: .error(error, token: token))
        case .stream(let stream, .failure(let error)):
            self.end(id: id, with: .error(error, token: token))
            Task { await stream.stop() }
        case .stream(let stream, .success(let batch)) where batch.finished:
            self.end(id: id, with: QueryResponse.batch(batch.items, finished: true, token: token, notes: stream.notes).profiled(profile))
        case .stream(let stream, .success(let batch)):
            self.queries[id]?.phase = .idle(stream)
            self.sink.send(QueryResponse.batch(batch.items, finished: false, token: token, notes: stream.notes).profiled(profile))
            self.release()
            self.runQueued(id: id)
        }
    }

    private func noreplyFinished(id: UInt64) {
        self.pendingNoreply.remove(id)
        self.end(id: id, with: nil)
        self.resolveNoreplyWaiters()
    }
}
