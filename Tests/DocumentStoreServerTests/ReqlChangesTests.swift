import DocumentStore
import ReQL
import Testing
@testable import DocumentStoreServer

/// `changes` through the engine, feed by feed. The expected changes are RethinkDB's, from its
/// `test/rql_test/src/changefeeds/*.yaml` and its documentation of `changes`.
@Suite("Change feeds through the engine", .timeLimit(.minutes(1)))
struct ReqlChangesTests {
    static let tbl = Q.table("t")

    /// An engine with an empty table `t`.
    static func withTable(_ body: (ReqlEngine) async throws -> Void) async throws {
        try await ReqlEngineTests.withEngine { engine in
            _ = try await engine.value(.tableCreate("t"))
            try await body(engine)
        }
    }

    @Test("A table feed gives each insert, update and delete as {old_val, new_val}, in commit order")
    func tableFeed() async throws {
        try await Self.withTable { engine in
            let feed = try await EngineFeed.start(engine, Self.tbl.changes())
            #expect(feed.first == [])
            _ = try await engine.value(Self.tbl.insert([["id": 1], ["id": 2]]))
            _ = try await engine.value(Self.tbl.get(1).update(.expr(["version": 1])))
            _ = try await engine.value(Self.tbl.get(1).delete())
            let changes = try await feed.take(4)
            #expect(Set(changes.prefix(2)) == [["old_val": .null, "new_val": ["id": 1]], ["old_val": .null, "new_val": ["id": 2]]])
            #expect(Array(changes.dropFirst(2)) == [
                ["old_val": ["id": 1], "new_val": ["id": 1, "version": 1]],
                ["old_val": ["id": 1, "version": 1], "new_val": .null],
            ])
            await feed.stop()
            #expect(engine.openFeeds.value == 0)
        }
    }

    @Test("A point feed with include_initial gives the document, null when there is none, then its changes")
    func pointFeed() async throws {
        try await Self.withTable { engine in
            let feed = try await EngineFeed.start(engine, Self.tbl.get(1).changes(includeInitial: true))
            let initial = try await feed.opening(1)
            #expect(initial == [["new_val": .null]])
            _ = try await engine.value(Self.tbl.insert([["id": 2], ["id": 1]]))
            _ = try await engine.value(Self.tbl.get(1).update(.expr(["update": 1])))
            #expect(try await feed.take(2) == [
                ["old_val": .null, "new_val": ["id": 1]],
                ["old_val": ["id": 1], "new_val": ["id": 1, "update": 1]],
            ])
            await feed.stop()
        }
    }

    @Test("get_all feeds follow their keys only, by primary key and by a secondary index")
    func getAllFeeds() async throws {
        try await Self.withTable { engine in
            _ = try await engine.value(Self.tbl.indexCreate("color"))
            _ = try await engine.value(Self.tbl.indexWait())
            let byKey = try await EngineFeed.start(engine, Self.tbl.getAll(1, 3).changes())
            let byIndex = try await EngineFeed.start(engine, Self.tbl.getAll("red", index: "color").changes())
            _ = try await engine.value(Self.tbl.insert([["id": 1, "color": "blue"], ["id": 2, "color": "red"], ["id": 4]]))
            _ = try await engine.value(Self.tbl.insert(["id": 3, "color": "red"]))
            #expect(try await byKey.take(2) == [
                ["old_val": .null, "new_val": ["id": 1, "color": "blue"]],
                ["old_val": .null, "new_val": ["id": 3, "color": "red"]],
            ])
            #expect(try await byIndex.take(2) == [
                ["old_val": .null, "new_val": ["id": 2, "color": "red"]],
                ["old_val": .null, "new_val": ["id": 3, "color": "red"]],
            ])
            await byKey.stop()
            await byIndex.stop()
        }
    }

    @Test("A between feed reports rows entering its range as inserts and leaving it as deletes")
    func betweenFeed() async throws {
        try await Self.withTable { engine in
            _ = try await engine.value(Self.tbl.indexCreate("n"))
            _ = try await engine.value(Self.tbl.indexWait())
            let feed = try await EngineFeed.start(engine, Self.tbl.between(.expr(10), .expr(20), index: "n").changes())
            _ = try await engine.value(Self.tbl.insert([["id": 1, "n": 5], ["id": 2, "n": 15]]))
            _ = try await engine.value(Self.tbl.get(1).update(.expr(["n": 12])))
            _ = try await engine.value(Self.tbl.get(2).update(.expr(["n": 25])))
            #expect(try await feed.take(3) == [
                ["old_val": .null, "new_val": ["id": 2, "n": 15]],
                ["old_val": .null, "new_val": ["id": 1, "n": 12]],
                ["old_val": ["id": 2, "n": 15], "new_val": .null],
            ])
            await feed.stop()
        }
    }

    @Test("filter, map and pluck before changes apply to both values; a row they fail on is left out")
    func transformationsBeforeChanges() async throws {
        try await Self.withTable { engine in
            // edge.yaml: tbl.filter(r.branch(r.row['value'].lt('2'), True, r.row['dummy'])).changes()
            let filtered = try await EngineFeed.start(engine, Self.tbl.filter(.fn { row in
                Q.branch(row["value"].lt(.expr("2")), .expr(true), row["dummy"])
            }).changes())
            // point.yaml: tbl.get(3)... as pluck on a table feed here: tbl.pluck('red').changes()
            let plucked = try await EngineFeed.start(engine, Self.tbl.map(.fn { $0.pluck("id", "value") }).changes())
            _ = try await engine.value(Self.tbl.insert([["id": 1, "value": "1", "x": 1], ["id": 2, "value": "5", "x": 2]]))
            _ = try await engine.value(Self.tbl.get(1).update(.expr(["value": "7"])))
            #expect(try await filtered.take(2) == [
                ["old_val": .null, "new_val": ["id": 1, "value": "1", "x": 1]],
                ["old_val": ["id": 1, "value": "1", "x": 1], "new_val": .null],
            ])
            let projected = try await plucked.take(3)
            #expect(Set(projected.prefix(2)) == [
                ["old_val": .null, "new_val": ["id": 1, "value": "1"]], ["old_val": .null, "new_val": ["id": 2, "value": "5"]],
            ])
            #expect(projected.last == ["old_val": ["id": 1, "value": "1"], "new_val": ["id": 1, "value": "7"]])
            await filtered.stop()
            await plucked.stop()
        }
    }

    @Test("Terms after changes apply to each change, a limit ends the feed, and an error ends the query")
    func termsAfterChanges() async throws {
        try await Self.withTable { engine in
            let values = try await EngineFeed.start(engine, Self.tbl.changes()["new_val"]["id"].limit(2))
            let failing = try await EngineFeed.start(engine, Self.tbl.changes().map(.fn { $0["new_val"]["dummy"] }))
            _ = try await engine.value(Self.tbl.insert(["id": 1]))
            _ = try await engine.value(Self.tbl.insert(["id": 2]))
            _ = try await engine.value(Self.tbl.insert(["id": 3]))
            var ids: [Document] = []
            var finished = false
            while !finished {
                let batch = try await values.next()
                ids += batch.items
                finished = batch.finished
            }
            #expect(ids == [1, 2])
            let error = await failing.stream.nextBatch(limit: 1000)
            guard case .failure(let failure) = error else {
                Issue.record("expected the feed to fail, got \(error)")
                return
            }
            #expect(failure.errorType == .nonExistence)
            #expect(failure.message.hasPrefix("No attribute `dummy` in object:"))
            await failing.stop()
        }
    }

    @Test("order_by(index).limit(n) keeps its first n rows: initial values between the states, then moves")
    func orderByLimitFeed() async throws {
        try await Self.withTable { engine in
            _ = try await engine.value(Self.tbl.insert([["id": 1], ["id": 2, "a": 1]]))
            // include_states.yaml: fetch(limitchanges, 5) and fetch(limitchangesdesc, 5).
            let ascending = try await EngineFeed.start(
                engine, Self.tbl.orderBy(index: .expr("id")).limit(10).changes(includeInitial: true, includeStates: true))
            let descending = try await EngineFeed.start(
                engine, Self.tbl.orderBy(index: .desc("id")).limit(10).changes(includeInitial: true, includeStates: true))
            _ = try await engine.value(Self.tbl.insert(["id": 3]))
            func all(_ feed: EngineFeed) async throws -> [Document] { try await feed.opening(5) }
            #expect(try await all(ascending) == [
                ["state": "initializing"], ["new_val": ["id": 1]], ["new_val": ["a": 1, "id": 2]], ["state": "ready"],
                ["old_val": .null, "new_val": ["id": 3]],
            ])
            #expect(try await all(descending) == [
                ["state": "initializing"], ["new_val": ["a": 1, "id": 2]], ["new_val": ["id": 1]], ["state": "ready"],
                ["old_val": .null, "new_val": ["id": 3]],
            ])
            // A row that enters a full set pushes the last one out: one change, old and new.
            let top = try await EngineFeed.start(engine, Self.tbl.orderBy(index: .expr("id")).limit(2).changes())
            _ = try await engine.value(Self.tbl.insert(["id": 0]))
            #expect(try await top.take(1) == [["old_val": ["id": 2, "a": 1], "new_val": ["id": 0]]])
            for feed in [ascending, descending, top] { await feed.stop() }
        }
    }

    @Test("include_types names each change; include_states gives `ready` on a table feed")
    func typesAndStates() async throws {
        try await Self.withTable { engine in
            let feed = try await EngineFeed.start(engine, Self.tbl.changes(includeStates: true, includeTypes: true))
            _ = try await engine.value(Self.tbl.insert(["id": 1]))
            _ = try await engine.value(Self.tbl.get(1).update(.expr(["a": 1])))
            _ = try await engine.value(Self.tbl.get(1).delete())
            let changes = try await feed.opening(4)
            #expect(changes == [
                ["state": "ready", "type": "state"],
                ["old_val": .null, "new_val": ["id": 1], "type": "add"],
                ["old_val": ["id": 1], "new_val": ["id": 1, "a": 1], "type": "change"],
                ["old_val": ["id": 1, "a": 1], "new_val": .null, "type": "remove"],
            ])
            await feed.stop()
        }
    }

    @Test("A feed whose client does not read holds at most its queue, then reports what it skipped")
    func queueOverflow() async throws {
        try await Self.withTable { engine in
            let feed = try await EngineFeed.start(engine, Self.tbl.changes(queueSize: .expr(10)))
            _ = try await engine.value(Q.term(56, [Self.tbl, Q.range(50).map(.fn { Q.object(["id": $0]) })]))
            let batch = try await feed.next()
            // changefeed.cc `flat_sub_t::add_el`: past the queue size the whole queue is
            // skipped, so of 50 changes in a queue of 10, 44 are skipped and 44...49 remain.
            #expect(batch.items.first == ["error": "Changefeed cache over array size limit, skipped 44 elements."])
            #expect(Array(batch.items.dropFirst()) == (44..<50).map { ["old_val": .null, "new_val": ["id": .number(Double($0))]] })
            await feed.stop()
        }
    }

    @Test("A feed the answer does not use is closed with the query, and a stopped one is freed")
    func feedsAreFreed() async throws {
        try await Self.withTable { engine in
            #expect(try await engine.value(Self.tbl.changes().typeOf()) == "STREAM")
            #expect(engine.openFeeds.value == 0)
            #expect(await engine.failure(Self.tbl.changes().count())?.message
                    == "Cannot call a terminal (`reduce`, `count`, etc.) on an infinite stream (such as a changefeed).")
            #expect(engine.openFeeds.value == 0)
            let feed = try await EngineFeed.start(engine, Self.tbl.changes())
            #expect(engine.openFeeds.value == 1)
            await feed.stop()
            #expect(engine.openFeeds.value == 0)
        }
    }
    @Test("A union of feeds gives each feed's changes as they come, and an array's elements at once")
    func unionOfFeeds() async throws {
        try await Self.withTable { engine in
            _ = try await engine.value(.tableCreate("u"))
            let other = Q.table("u")
            let feeds = try await EngineFeed.start(engine, Q.union(Self.tbl.changes()["new_val"], other.changes()["new_val"], .expr([0])))
            let tables = try await EngineFeed.start(engine, Q.union(Self.tbl, other.filter(.fn { $0["keep"] })).changes())
            _ = try await engine.value(Self.tbl.insert(["id": 1]))
            _ = try await engine.value(other.insert([["id": 2, "keep": true], ["id": 3]]))
            let unioned = feeds.first + (try await feeds.take(4 - feeds.first.count))
            #expect(Set(unioned) == [0, ["id": 1], ["id": 2, "keep": true], ["id": 3]])
            let changes = try await tables.take(2)
            #expect(Set(changes) == [["old_val": .null, "new_val": ["id": 1]], ["old_val": .null, "new_val": ["id": 2, "keep": true]]])
            #expect(tables.stream.notes == [1])
            let mixed = try await EngineFeed.start(engine, Q.union(Self.tbl.get(1).changes(), other.changes()))
            #expect(mixed.stream.notes == [4])
            let ordered = await engine.failure(Q.term(44, [Self.tbl.changes(), other.changes()], ["interleave": .expr(false)]))
            #expect(ordered?.message == "Cannot use an infinite stream with an ordered `union`.")
            for feed in [feeds, tables, mixed] { await feed.stop() }
        }
    }

    @Test("fold with emit runs over a feed, one accumulator for all its changes")
    func foldOverFeed() async throws {
        try await Self.withTable { engine in
            // RethinkDB's fold docs: a running count of changes.
            let counting = Q.term(187, [Self.tbl.changes(), .expr(0), .fn2 { acc, _ in acc.add(.expr(1)) }],
                                  ["emit": .fn3 { _, _, next in Q.term(2, [next]) }])
            let feed = try await EngineFeed.start(engine, counting)
            _ = try await engine.value(Self.tbl.insert([["id": 1], ["id": 2]]))
            _ = try await engine.value(Self.tbl.insert(["id": 3]))
            #expect(try await feed.take(3) == [1, 2, 3])
            await feed.stop()
        }
    }

    @Test("Dropping the table ends its feed with RethinkDB's error, and frees it")
    func tableDropped() async throws {
        try await Self.withTable { engine in
            let feed = try await EngineFeed.start(engine, Self.tbl.changes())
            async let waiting = feed.stream.nextBatch(limit: 1000)
            try await Task.sleep(for: .milliseconds(50))
            _ = try await engine.value(Q.term(61, [.expr("t")]))
            guard case .failure(let error) = await waiting else {
                Issue.record("expected the feed to fail")
                return
            }
            #expect(error.errorType == .opFailed)
            #expect(error.message == "Changefeed aborted (unavailable).")
            await feed.stop()
            #expect(engine.openFeeds.value == 0)
        }
    }

    /// What RethinkDB refuses, with its texts (`changes_term_t`, `get_changespecs`, `new_sub`).
    static let refusals: [(query: Q, type: ErrorType, message: String)] = [
        (tbl.changes(squash: .expr(.null)), .queryLogic, "Expected BOOL or NUMBER but found NULL."),
        (tbl.changes(squash: .expr(-10)), .queryLogic, "Expected BOOL or a positive NUMBER but found a negative NUMBER."),
        (tbl.changes(queueSize: .expr(0)), .queryLogic, "Illegal changefeed queue size `0`.  (Must be >= 1.)"),
        (tbl.map(.fn { row in Q.branch(Q.random.gt(.expr(0.5)), row, Q.term(12, [.expr("dummy")])) }).changes(),
         .queryLogic, "Cannot call `changes` after a non-deterministic function."),
        (tbl.filter(.fn { _ in Q.random.gt(.expr(0.5)) }).changes(), .queryLogic,
         "Cannot call `changes` after a non-deterministic function."),
        (tbl.concatMap(.fn { Q.term(2, [$0]) }).changes(), .queryLogic, "Cannot call `changes` after `concat_map`."),
        (Q.expr([1, 2]).changes(), .queryLogic, "Cannot call `changes` on an eager stream."),
        (Q.range(3).changes(), .queryLogic, "Cannot call `changes` on an eager stream."),
        (tbl.orderBy(.expr("id")).changes(), .queryLogic, "Cannot call `changes` on an eager stream."),
        (tbl.skip(1).changes(), .queryLogic, "Cannot call `changes` on an eager stream."),
        (tbl.changes().changes(), .queryLogic, "Cannot call `changes` on an eager stream."),
        (tbl.limit(2).changes(), .queryLogic, "Cannot get changes on the first elements of an unordered stream."),
        (tbl.orderBy(index: .expr("id")).limit(2).map(.fn { $0 }).changes(), .queryLogic,
         "Changefeeds are not supported on queries that have a transformation following a `limit` term.  Transformations include terms such as `filter`, `map`, `pluck`, etc.  Consider moving the transformation before the `limit` term."),
        (tbl.orderBy(index: .expr("id")).limit(100_001).changes(), .resourceLimit,
         "Array size limit `100000` exceeded.  (`.limit(X).changes()` is illegal if X is larger than the array size limit.)"),
        (tbl.changes(includeOffsets: true), .queryLogic, "Cannot include offsets for range subs."),
        (tbl.get(1).changes(includeOffsets: true), .queryLogic, "Cannot include offsets for point subs."),
        (tbl.changes().orderBy(.expr("id")), .queryLogic,
         "Cannot call a terminal (`reduce`, `count`, etc.) on an infinite stream (such as a changefeed)."),
        (Q.term(37, [tbl.changes().limit(2), .fn2 { $0.add($1) }]), .queryLogic,
         "Cannot call a terminal (`reduce`, `count`, etc.) on an infinite stream (such as a changefeed)."),
        (Q.term(187, [tbl.changes().limit(2), .expr(0), .fn2 { acc, _ in acc.add(.expr(1)) }]), .queryLogic,
         "Cannot call a terminal (`reduce`, `count`, etc.) on an infinite stream (such as a changefeed)."),
    ]

    @Test("Feeds RethinkDB does not support, and bad options, fail with its errors", arguments: refusals.indices)
    func refused(_ index: Int) async throws {
        let (query, type, message) = Self.refusals[index]
        try await Self.withTable { engine in
            let error = try #require(await engine.failure(query))
            #expect(error.responseType == .runtimeError)
            #expect(error.errorType == type)
            #expect(error.message == message)
            #expect(engine.openFeeds.value == 0)
        }
    }
}
