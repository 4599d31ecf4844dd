import DocumentStore
import ReQL
import Testing
@testable import DocumentStoreServer

/// The terms of RethinkDB's changefeed tests, in the driver's spelling.
extension Q {
    /// `changes(squash=..., include_initial=..., ...)`; an optarg left nil is not sent.
    func changes(
        squash: Q? = nil, queueSize: Q? = nil, includeInitial: Bool? = nil, includeStates: Bool? = nil,
        includeTypes: Bool? = nil, includeOffsets: Bool? = nil
    ) -> Q {
        Q.term(152, [self], [
            "squash": squash, "changefeed_queue_size": queueSize,
            "include_initial": includeInitial.map { Q.expr(.bool($0)) },
            "include_states": includeStates.map { Q.expr(.bool($0)) },
            "include_types": includeTypes.map { Q.expr(.bool($0)) },
            "include_offsets": includeOffsets.map { Q.expr(.bool($0)) },
        ])
    }

    func get(_ key: Document) -> Q { Q.term(16, [self, Q.expr(key)]) }
    func concatMap(_ function: Q) -> Q { Q.term(40, [self, function]) }
    func lt(_ other: Q) -> Q { Q.term(19, [self, other]) }
    func gt(_ other: Q) -> Q { Q.term(21, [self, other]) }
    func merge(_ other: Q) -> Q { Q.term(35, [self, other]) }
    static let random = term(151, [])
    static func branch(_ test: Q, _ then: Q, _ otherwise: Q) -> Q { term(65, [test, then, otherwise]) }
    static func union(_ sequences: Q...) -> Q { term(44, sequences) }

    /// `lambda x, y, z: body(x, y, z)`.
    static func fn3(_ body: (Q, Q, Q) -> Q) -> Q {
        term(69, [term(2, [expr(4), expr(5), expr(6)]), body(term(10, [expr(4)]), term(10, [expr(5)]), term(10, [expr(6)]))])
    }
}

/// A feed started through the engine, read a batch at a time as the protocol layer reads it.
struct EngineFeed {
    let stream: any QueryStream
    /// The first batch, which a feed sends at once.
    let first: [Document]

    /// Starts `query`, which must give a change feed.
    static func start(_ engine: ReqlEngine, _ query: Q, optargs: DocumentObject = DocumentObject()) async throws -> EngineFeed {
        guard case .stream(let stream) = await engine.start(term: query.wire, globalOptargs: optargs) else {
            Issue.record("expected a stream")
            throw FeedTestError.notAFeed
        }
        let first = try await stream.nextBatch(limit: 1000).get()
        #expect(!first.finished)
        return EngineFeed(stream: stream, first: first.items)
    }

    /// The next batch: waits for changes.
    func next() async throws -> (items: [Document], finished: Bool) {
        try await stream.nextBatch(limit: 1000).get()
    }

    /// Reads batches until `count` changes have come (or the feed ends).
    func take(_ count: Int) async throws -> [Document] {
        var items: [Document] = []
        while items.count < count {
            let batch = try await next()
            items += batch.items
            if batch.finished { break }
        }
        return items
    }

    /// The feed's first `count` items: its first batch, and what it lacks read after it (a
    /// feed's initial values may come in the first batch or just after it).
    func opening(_ count: Int) async throws -> [Document] {
        first.count >= count ? first : first + (try await take(count - first.count))
    }

    func stop() async {
        await stream.stop()
    }
}

enum FeedTestError: Error {
    case notAFeed
}
