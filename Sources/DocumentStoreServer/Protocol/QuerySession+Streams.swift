import DocumentStore
import ReQL

/// CONTINUE, STOP, NOREPLY_WAIT and the in-flight accounting.
///
/// RethinkDB's rules, which the Python cursor depends on: CONTINUE and STOP on the same query are
/// served one after the other; a STOP during a CONTINUE answers that CONTINUE with an empty
/// SUCCESS_SEQUENCE; a request for a token with no open stream gets the "not in stream cache"
/// CLIENT_ERROR (the Python cursor sends such stray CONTINUEs routinely and ignores the reply).
extension QuerySession {
    func continueStream(token: UInt64) {
        guard case .query(let id)? = self.tokens[token], var entry = self.queries[id] else {
            self.answer(.notInStreamCache(token: token))
            return
        }
        switch entry.phase {
        case .starting, .fetching:
            entry.queued.append(.continueStream)
            self.queries[id] = entry
        case .idle(let stream):
            self.fetch(id: id, stream: stream)
        }
    }

    func stop(token: UInt64) {
        guard case .query(let id)? = self.tokens[token], var entry = self.queries[id] else {
            self.answer(.notInStreamCache(token: token))
            return
        }
        switch entry.phase {
        case .starting:
            // The START's own response must come first; the STOP then closes what it opened.
            // Cancelling makes a long evaluation end now rather than run to its end.
            entry.queued.append(.stop)
            self.queries[id] = entry
            entry.cancellation.cancel()
        case .idle(let stream):
            self.queries[id] = nil
            self.tokens[token] = nil
            self.stopStream(stream, token: token)
        case .fetching:
            // Free the token at once, as RethinkDB does; the running CONTINUE is answered empty
            // when its batch arrives, and the STOP after the stream is released.
            entry.stopRequested = true
            entry.cancellation.cancel()
            self.tokens[token] = nil
            for _ in entry.queued {
                self.answer(.stopped(token: token))
            }
            entry.queued = []
            self.queries[id] = entry
        }
    }

    func noreplyWait(token: UInt64) {
        guard self.tokens[token] == nil else {
            self.answer(.clientError("ERROR: duplicate token \(Int64(bitPattern: token))", token: token))
            return
        }
        // Only noreply queries that arrived before this request count.
        let horizon = self.nextQueryID
        if self.pendingNoreply.contains(where: { $0 < horizon }) {
            self.tokens[token] = .noreplyWait
            self.noreplyWaiters.append((horizon: horizon, token: token))
        } else {
            self.answer(QueryResponse(token: token, type: .waitComplete, results: []))
        }
    }

    func resolveNoreplyWaiters() {
        var stillWaiting: [(horizon: UInt64, token: UInt64)] = []
        for waiter in self.noreplyWaiters {
            if self.pendingNoreply.contains(where: { $0 < waiter.horizon }) {
                stillWaiting.append(waiter)
            } else {
                self.tokens[waiter.token] = nil
                self.answer(QueryResponse(token: waiter.token, type: .waitComplete, results: []))
            }
        }
        self.noreplyWaiters = stillWaiting
    }

    /// Starts the next queued CONTINUE or STOP of a query that has just become idle.
    func runQueued(id: UInt64) {
        guard var entry = self.queries[id], case .idle(let stream) = entry.phase, !entry.queued.isEmpty else {
            return
        }
        switch entry.queued.removeFirst() {
        case .continueStream:
            self.queries[id] = entry
            self.fetch(id: id, stream: stream)
        case .stop:
            self.queries[id] = entry
            self.end(id: id, with: nil, releasing: false)
            self.stopStream(stream, token: entry.token)
        }
    }

    /// Fetches the next batch for a CONTINUE, off the actor.
    private func fetch(id: UInt64, stream: any QueryStream) {
        self.queries[id]?.phase = .fetching(stream)
        let batchSize = self.queries[id]?.batchSize ?? self.limits.batchSize
        Task {
            let result = await stream.nextBatch(limit: batchSize)
            self.fetchFinished(id: id, stream: stream, result: result)
        }
    }

    private func fetchFinished(
        id: UInt64,
        stream: any QueryStream,
        result: Result<(items: [Document], finished: Bool), ReqlError>
    ) {
        guard let entry = self.queries[id] else {
            // Abandoned at shutdown.
            Task { await stream.stop() }
            return
        }
        let token = entry.token
        if entry.stopRequested {
            self.queries[id] = nil
            self.answer(.stopped(token: token))
            self.stopStream(stream, token: token)
            return
        }
        switch result {
        case .failure(let error):
            self.end(id: id, with: .error(error, token: token))
            Task { await stream.stop() }
        case .success(let batch) where batch.finished:
            self.end(id: id, with: .batch(batch.items, finished: true, token: token, notes: stream.notes))
        case .success(let batch):
            self.queries[id]?.phase = .idle(stream)
            self.answer(.batch(batch.items, finished: false, token: token, notes: stream.notes))
            self.runQueued(id: id)
        }
    }

    /// Releases a stream for a STOP, then answers that STOP with an empty SUCCESS_SEQUENCE.
    private func stopStream(_ stream: any QueryStream, token: UInt64) {
        Task {
            await stream.stop()
            self.answer(.stopped(token: token))
        }
    }

    /// Forgets a query whose stream is over: sends its last response (nil for noreply), frees
    /// the token and answers whatever was queued behind it, since those now find no stream.
    func end(id: UInt64, with response: QueryResponse?, releasing: Bool = true, answeringQueued: Bool = true) {
        guard let entry = self.queries.removeValue(forKey: id) else { return }
        if case .query(id)? = self.tokens[entry.token] {
            self.tokens[entry.token] = nil
        }
        if let response {
            self.sink.send(response)
        }
        if releasing {
            self.release()
        }
        for _ in entry.queued where answeringQueued {
            self.answer(.notInStreamCache(token: entry.token))
        }
    }

    /// Sends the response that completes an admitted request and frees its slot.
    func answer(_ response: QueryResponse) {
        self.sink.send(response)
        self.release()
    }

    // MARK: - In-flight accounting

    /// Takes a slot; waits while the connection has `maxInFlight` requests running.
    func admit() async {
        while self.inFlight >= self.limits.maxInFlight && !self.abandoned {
            await withCheckedContinuation { self.admissionWaiter = $0 }
        }
        self.inFlight += 1
    }

    func release() {
        self.inFlight -= 1
        if let waiter = self.admissionWaiter {
            self.admissionWaiter = nil
            waiter.resume()
        }
        if self.inFlight == 0 {
            self.resumeIdleWaiters()
        }
    }

    func resumeIdleWaiters() {
        let waiters = self.idleWaiters
        self.idleWaiters = []
        for waiter in waiters {
            waiter.resume()
        }
    }
}
