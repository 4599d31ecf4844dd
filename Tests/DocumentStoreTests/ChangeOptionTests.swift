import Foundation
import Testing
@testable import DocumentStore

/// squash, changefeed_queue_size, predicates and projections, cancellation and the
/// consistency of initial values with the changes after them.
@Suite("Change feed options")
struct ChangeOptionTests {
    @Test("squash coalesces a document's changes into one, from the first old value to the last new one (squash.yaml)",
          arguments: [Squash.on, .seconds(0.5)])
    func squash(mode: Squash) async throws {
        try await withLoggedTable { table, _, _ in
            let squashed = try await table.changes(.with { $0.squash = mode }).start()
            let plain = try await table.changes(.with { $0.squash = .off }).start()
            try await table.insert(["id": 100])
            try await table.document(100).update(["a": 1])
            #expect(try await take(1, from: squashed).documents == [["new_val": ["a": 1, "id": 100], "old_val": .null]])
            #expect(try await take(2, from: plain).documents == [
                ["new_val": ["id": 100], "old_val": .null], ["new_val": ["a": 1, "id": 100], "old_val": ["id": 100]],
            ])
            // An insert and a delete squash to nothing.
            try await table.insert(["id": 5])
            try await table.document(5).delete()
            try await table.insert(["id": 6])
            #expect(try await take(1, from: squashed).documents == [["new_val": ["id": 6], "old_val": .null]])
        }
    }

    @Test("squash with seconds waits that long before delivering")
    func squashWaits() async throws {
        try await withLoggedTable { table, _, _ in
            let feed = try await table.changes(.with { $0.squash = .seconds(0.4) }).start()
            let started = ContinuousClock.now
            try await table.insert(["id": 1])
            _ = try await take(1, from: feed)
            #expect(ContinuousClock.now - started >= .milliseconds(390))
        }
    }

    @Test("a feed past its queue size skips what it held with RethinkDB's error, then goes on (table.yaml)")
    func queueOverflow() async throws {
        try await withLoggedTable { table, _, _ in
            let feed = try await table.changes(.with { $0.queueSize = 100 }).start()
            try await table.insert((0..<200).map { _ in Document.object(DocumentObject()) })
            let events = try await take(100, from: feed)
            let error = try #require(events.first?.error)
            #expect(error.wholeMatch(of: /Changefeed cache over array size limit, skipped \d+ elements\./) != nil)
            #expect(events.first?.document == ["error": .string(error)])
            // RethinkDB drops the queue when it passes the size: 101 skipped, the 99 after kept.
            #expect(error == "Changefeed cache over array size limit, skipped 101 elements.")
            #expect(events.dropFirst().allSatisfy { $0.oldValue == nil && $0.newValue != nil })
            try await table.insert(["id": "after"])
            #expect(try await take(1, from: feed).first?.newValue?["id"] == "after")
        }
    }

    @Test("a feed resuming from a sequence never skips: its backlog waits in the log")
    func sinceNeverSkips() async throws {
        try await withLoggedTable { table, _, _ in
            let mark = try await table.latestSequence()
            try await table.insert((0..<300).map { ["id": .number(Double($0))] })
            let feed = try await table.changes(.with {
                $0.since = mark
                $0.queueSize = 10
            }).start()
            let events = try await take(300, from: feed)
            #expect(events.allSatisfy { $0.error == nil })
            #expect(Set(events.compactMap { $0.newValue?["id"] }).count == 300)
        }
    }

    @Test("a predicate and a transform act on both sides of a change, as filter and map before changes() (edge.yaml)")
    func predicateAndTransform() async throws {
        try await withLoggedTable { table, _, _ in
            let filtered = try await table.changes(.with {
                $0.predicate = { ($0["value"]?.doubleValue ?? 0) > 10 }
            }).start()
            let mapped = try await table.changes(.with {
                $0.transform = { document in
                    guard let value = document["value"]?.doubleValue, value < 20 else {
                        throw DocumentStoreError(.nonExistence, "No attribute `dummy` in object")
                    }
                    return ["v": .number(value)]
                }
            }).start()
            try await table.insert(["id": 1, "value": 5])            // filtered: no; mapped: {v:5}
            try await table.insert(["id": 2, "value": 15])           // both
            try await table.document(2).update(["value": 30])        // filtered: change; mapped: leaves ({v:15} -> null)
            try await table.document(1).update(["value": 12])        // filtered: enters; mapped: change
            try await table.document(1).update(["other": true])      // filtered: change; mapped: the same {v:12}: nothing
            try await table.document(2).update(["value": 31])        // filtered: change; mapped: both fail: nothing
            #expect(try await take(5, from: filtered).documents == [
                ["old_val": .null, "new_val": ["id": 2, "value": 15]],
                ["old_val": ["id": 2, "value": 15], "new_val": ["id": 2, "value": 30]],
                ["old_val": .null, "new_val": ["id": 1, "value": 12]],
                ["old_val": ["id": 1, "value": 12], "new_val": ["id": 1, "value": 12, "other": true]],
                ["old_val": ["id": 2, "value": 30], "new_val": ["id": 2, "value": 31]],
            ])
            #expect(try await take(4, from: mapped).documents == [
                ["old_val": .null, "new_val": ["v": 5]],
                ["old_val": .null, "new_val": ["v": 15]],
                ["old_val": ["v": 15], "new_val": .null],
                ["old_val": ["v": 5], "new_val": ["v": 12]],
            ])
            #expect(try await isQuiet(mapped))
        }
    }

    @Test("cancelling the consuming task ends the loop and frees the feed")
    func cancellation() async throws {
        try await withLoggedTable { table, store, _ in
            try await table.insert((0..<3000).map { ["id": .number(Double($0))] })
            let received = Collected()
            let consumer = Task {
                // Stops in the middle of the initial values, whose snapshot stays open meanwhile.
                for try await event in table.changes(.with { $0.includeInitial = true }) {
                    await received.append(event)
                    if await received.count == 10 { try await Task.sleep(for: .seconds(60)) }
                }
                return await received.count
            }
            while await received.count < 10 { try await Task.sleep(for: .milliseconds(5)) }
            #expect(store.changeMonitor.openFeeds == 1)
            consumer.cancel()
            _ = await consumer.result
            #expect(store.changeMonitor.openFeeds == 0)
            // The watcher thread ends at its next wake once no feed is open.
            for _ in 0..<100 where store.changeMonitor.isWatching { try await Task.sleep(for: .milliseconds(10)) }
            #expect(!store.changeMonitor.isWatching)
            // A feed waiting for a change ends too.
            let waiting = Task { () -> Int in
                var count = 0
                for try await _ in table.changes() { count += 1 }
                return count
            }
            try await Task.sleep(for: .milliseconds(100))
            waiting.cancel()
            #expect(try await waiting.value == 0)
            #expect(store.changeMonitor.openFeeds == 0)
        }
    }

    @Test("initial values and the changes after them agree while another task writes: nothing lost, nothing twice")
    func initialValuesAreConsistent() async throws {
        try await withLoggedTable { table, _, _ in
            try await table.insert((0..<200).map { ["id": .number(Double($0)), "n": 0] })
            let writer = Task {
                for round in 1...40 {
                    try await table.document(.number(Double(round % 200))).update(["n": .number(Double(round))])
                    try await table.insert(["id": .number(Double(1000 + round)), "n": 0])
                }
            }
            let feed = try await table.changes(.with {
                $0.includeInitial = true
                $0.includeStates = true
            }).start()
            try await writer.value
            let final = try await table.count()
            var view: [Document: Document] = [:]
            var ready = false
            var iterator = feed
            while true {
                if ready, view.count >= final, try await matches(view, table) { break }
                let event = try #require(try await take(1, from: iterator).first)
                iterator = feed
                switch event.kind {
                case .state: ready = event.state == "ready"
                case .initial:
                    let key = try #require(event.newValue?["id"])
                    #expect(view[key] == nil, "initial value of \(key) twice")
                    view[key] = event.newValue
                case .change:
                    let key = try #require((event.newValue ?? event.oldValue)?["id"])
                    #expect(view[key] == event.oldValue, "change of \(key) from \(String(describing: event.oldValue)), the feed had \(String(describing: view[key]))")
                    view[key] = event.newValue
                case .error: Issue.record("unexpected \(event.document.jsonString)")
                }
            }
            #expect(try await isQuiet(feed))
        }
    }

    private func matches(_ view: [Document: Document], _ table: Table) async throws -> Bool {
        var stored: [Document: Document] = [:]
        for try await document in table.documents() { stored[document["id"] ?? .null] = document }
        return stored == view
    }
}
