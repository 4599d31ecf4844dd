import DocumentStore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A feed follows a table while another process writes it and is SIGKILLed at random
/// moments: the feed must show exactly the committed writes. A change of a write the kill cut
/// short (never committed) would leave the feed's view of the table ahead of the table; a
/// committed change the feed missed would leave it behind. Replaying the whole change log
/// from its start (`since: 0`) afterwards must rebuild the table too.
@Suite("Crash safety: change feeds and SIGKILL of the writer", .serialized)
struct ChangeFeedCrashTests {
    static var kills: Int { max(4, environmentInt("RELIABILITY_KILLS", default: 20) / 2) }

    @Test("A feed never shows a change of a write that a SIGKILL kept from committing, and misses none that committed")
    func killWhileFollowing() async throws {
        var random = TestRandom()
        let scratch = try Scratch("feed-crash")
        let path = scratch.path("feed.sqlite")
        let store = try DocumentStore(path: path)
        try await store.tableCreate("crash", changeLog: .on(.count(1_000_000)))
        let table = store.table("crash")
        var feed = try await table.changes().start()
        let writer = try Executable.url("docstore-crashwriter")
        var view: [String: Document] = [:]
        var changes = 0
        for run in 0..<Self.kills {
            let child = try ChildProcess(writer, ["write", "--db", path, "--run", "\(run)", "--seed", "\(random.seed)", "--table", "crash"],
                                         in: scratch, label: "feed\(run)")
            _ = await child.waitFor("READY")
            try await Task.sleep(for: .milliseconds(50 + Int(random.next() % 300)))
            child.signal(SIGKILL)
            let status = await child.wait()
            try #require(status == 128 + SIGKILL, "the writer ended by itself (status \(status)): \(child.stderr)")
            changes += try await Self.drain(&feed, into: &view, run: run)
            let stored = try await Self.contents(table)
            #expect(view == stored, "run \(run): the feed's view (\(view.count) documents) differs from the table (\(stored.count))")
        }
        var replay = try await table.changes(ChangeFeedOptions.resuming(after: 0)).start()
        var replayed: [String: Document] = [:]
        let replayedChanges = try await Self.drain(&replay, into: &replayed, run: -1)
        #expect(replayed == (try await Self.contents(table)), "the replayed log differs from the table")
        #expect(replayedChanges == changes)
        print("reliability: change feed across \(Self.kills) kills of the writer: \(changes) changes followed, \(view.count) documents, seed \(random.seed)")
    }

    /// Applies every change the feed has until it stays quiet, checking that each starts from
    /// the document the feed showed last.
    static func drain(_ feed: inout ChangeFeed.Iterator, into view: inout [String: Document], run: Int) async throws -> Int {
        var count = 0
        var quietSince = ContinuousClock.now
        while ContinuousClock.now - quietSince < .milliseconds(400) {
            let batch = try await feed.nextBatch(limit: 1000, waitForFirst: false)
            if batch.isEmpty {
                try await Task.sleep(for: .milliseconds(20))
                continue
            }
            quietSince = ContinuousClock.now
            for event in batch {
                #expect(event.error == nil, "run \(run): \(event.document.jsonString)")
                let key = try #require((event.newValue ?? event.oldValue)?["id"]?.stringValue)
                #expect(view[key] == event.oldValue, "run \(run): \(key) changed from a document the feed never showed")
                view[key] = event.newValue
                count += 1
            }
        }
        return count
    }

    static func contents(_ table: Table) async throws -> [String: Document] {
        var stored: [String: Document] = [:]
        for try await document in table.documents() { stored[document["id"]?.stringValue ?? ""] = document }
        return stored
    }
}

extension ChangeFeedOptions {
    static func resuming(after sequence: Int64) -> ChangeFeedOptions {
        var options = ChangeFeedOptions()
        options.since = sequence
        return options
    }
}
