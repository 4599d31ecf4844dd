import DocumentStore
import Foundation
import Logging
import Testing

@testable import DocumentStoreServer

/// Change feeds over real sockets, against the real engine: RethinkDB's feed protocol
/// (`query_cache.cc`, `changefeed.cc`) as the Python driver sees it.
@Suite("The change feed protocol", .timeLimit(.minutes(1)))
struct ChangeFeedProtocolTests {
    /// A server on a fresh data directory with an empty table `t`, and an authenticated
    /// connection to it.
    static func withServer(_ body: (TestConnection, ReqlEngine, Int) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("feeds-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let engine = try ReqlEngine(dataDirectory: directory, logger: logger)
        let configuration = ServerConfiguration(host: "127.0.0.1", port: 0, eventLoopThreads: 1, serverName: "test")
        let server = DocStoreServer(configuration: configuration, runner: engine, logger: logger, closeRunner: { engine.close() })
        let port = try await server.start()
        let running = Task { try await server.run() }
        try await TestConnection.with(port: port) { connection in
            #expect(try await connection.authenticate(password: "").reply?.contains("v=") == true)
            try await connection.send(token: 100, #"[1,[60,["t"]],{}]"#)
            #expect(try await connection.readFrame()?.json.contains(#""tables_created":1"#) == true)
            try await body(connection, engine, port)
        }
        server.shutdown()
        try await running.value
    }

    /// Reads frames until one for `token` comes (others are answers to writes sent meanwhile).
    static func frame(for token: UInt64, on connection: TestConnection) async throws -> String? {
        while let frame = try await connection.readFrame() {
            if frame.token == token { return frame.json }
        }
        return nil
    }

    /// The feed under `token` is gone: freed on the engine, forgotten by the connection.
    static func expectReleased(token: UInt64, on connection: TestConnection, engine: ReqlEngine) async throws {
        try await waitUntil { engine.openFeeds.value == 0 }
        #expect(engine.openFeeds.value == 0)
        try await connection.send(token: token, "[2]")
        let reply = try await connection.readFrame()?.json
        #expect(reply == #"{"t":16,"r":["Token \#(token) not in stream cache."],"b":[]}"#)
    }

    static func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() {
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test("A feed answers its START at once with SUCCESS_PARTIAL and the SEQUENCE_FEED note; a CONTINUE waits for the next change")
    func partialAndContinue() async throws {
        try await Self.withServer { connection, _, _ in
            try await connection.send(token: 1, #"[1,[152,[[15,["t"]]]],{}]"#)
            #expect(try await connection.readFrame()?.json == #"{"t":3,"r":[],"n":[1]}"#)
            try await connection.send(token: 1, "[2]")
            try await Task.sleep(for: .milliseconds(50))
            try await connection.send(token: 2, #"[1,[56,[[15,["t"]],{"id":1}]],{"noreply":true}]"#)
            #expect(try await Self.frame(for: 1, on: connection) == #"{"t":3,"r":[{"new_val":{"id":1},"old_val":null}],"n":[1]}"#)
        }
    }

    /// The note each kind of feed carries (`query_cache_t::ref_t::serve`, `subscription_t::set_notes`).
    static let kinds: [(query: String, notes: String)] = [
        (#"[152,[[16,[[15,["t"]],1]]]]"#, "[2]"),
        (#"[152,[[71,[[41,[[15,["t"]]],{"index":"id"}],3]]]]"#, "[3]"),
        (#"[152,[[15,["t"]]],{"include_states":true}]"#, "[1,5]"),
        (#"[152,[[182,[[15,["t"]],1,5]]]]"#, "[1]"),
        (#"[44,[[152,[[16,[[15,["t"]],1]]]],[152,[[15,["t"]]]]]]"#, "[4]"),
    ]

    @Test("Each kind of feed carries its response note", arguments: kinds.indices)
    func notes(_ index: Int) async throws {
        let (query, notes) = Self.kinds[index]
        try await Self.withServer { connection, _, _ in
            try await connection.send(token: 1, "[1,\(query),{}]")
            let first = try #require(try await connection.readFrame()?.json)
            #expect(first.hasPrefix(#"{"t":3,"#))
            #expect(first.hasSuffix(#","n":\#(notes)}"#))
        }
    }

    @Test("A limit after changes ends the feed with SUCCESS_SEQUENCE, which still carries the note")
    func limitedFeedEnds() async throws {
        try await Self.withServer { connection, engine, _ in
            try await connection.send(token: 1, #"[1,[71,[[152,[[15,["t"]]]],1]],{}]"#)
            #expect(try await connection.readFrame()?.json == #"{"t":3,"r":[],"n":[1]}"#)
            try await connection.send(token: 1, "[2]")
            try await connection.send(token: 2, #"[1,[56,[[15,["t"]],{"id":7}]],{"noreply":true}]"#)
            #expect(try await Self.frame(for: 1, on: connection) == #"{"t":2,"r":[{"new_val":{"id":7},"old_val":null}],"n":[1]}"#)
            try await Self.expectReleased(token: 1, on: connection, engine: engine)
        }
    }

    @Test("STOP during a waiting CONTINUE answers both with an empty SUCCESS_SEQUENCE and frees the feed")
    func stopWhileWaiting() async throws {
        try await Self.withServer { connection, engine, _ in
            try await connection.send(token: 1, #"[1,[152,[[15,["t"]]]],{}]"#)
            _ = try await connection.readFrame()
            #expect(engine.openFeeds.value == 1)
            try await connection.send(token: 1, "[2]")
            try await Task.sleep(for: .milliseconds(50))
            try await connection.send(token: 1, "[3]")
            #expect(try await connection.readFrame()?.json == #"{"t":2,"r":[],"n":[]}"#)
            #expect(try await connection.readFrame()?.json == #"{"t":2,"r":[],"n":[]}"#)
            try await Self.expectReleased(token: 1, on: connection, engine: engine)
        }
    }

    @Test("Closing the connection frees every feed it had open, waiting or not")
    func closeFreesFeeds() async throws {
        try await Self.withServer { connection, engine, port in
            try await TestConnection.with(port: port) { other in
                #expect(try await other.authenticate(password: "").reply?.contains("v=") == true)
                try await other.send(token: 1, #"[1,[152,[[15,["t"]]]],{}]"#)
                _ = try await other.readFrame()
                try await other.send(token: 2, #"[1,[152,[[16,[[15,["t"]],1]]]],{}]"#)
                _ = try await other.readFrame()
                try await other.send(token: 2, "[2]")
                try await Self.waitUntil { engine.openFeeds.value == 2 }
                #expect(engine.openFeeds.value == 2)
            }
            try await Self.waitUntil { engine.openFeeds.value == 0 }
            #expect(engine.openFeeds.value == 0)
        }
    }

    @Test("Waiting feeds hold no thread: more feeds than query threads wait, and queries still run")
    func waitingHoldsNoThread() async throws {
        try await Self.withServer { connection, _, _ in
            let feeds = ReqlEngine.defaultQueryThreads * 2
            for token in 1...UInt64(feeds) {
                try await connection.send(token: token, #"[1,[152,[[15,["t"]]]],{}]"#)
                _ = try await connection.readFrame()
                try await connection.send(token: token, "[2]")
            }
            try await Task.sleep(for: .milliseconds(100))
            try await connection.send(token: 999, #"[1,[43,[[15,["t"]]]],{}]"#)
            #expect(try await Self.frame(for: 999, on: connection) == #"{"t":1,"r":[0]}"#)
            try await connection.send(token: 998, #"[1,[56,[[15,["t"]],{"id":1}]],{}]"#)
            var answered = Set<UInt64>()
            while answered.count < feeds + 1, let frame = try await connection.readFrame() {
                answered.insert(frame.token)
            }
            #expect(answered == Set(1...UInt64(feeds)).union([998]))
        }
    }

    @Test("A client that reads nothing costs the feed at most its queue: then the skipped count, and the last changes")
    func unreadFeedIsBounded() async throws {
        try await Self.withServer { connection, _, _ in
            try await connection.send(token: 1, #"[1,[152,[[15,["t"]]],{"changefeed_queue_size":5}],{}]"#)
            _ = try await connection.readFrame()
            // No CONTINUE: 100 writes pile up where the client does not read.
            for id in 0..<10 {
                let rows = (0..<10).map { #"{"id":\#(id * 10 + $0)}"# }.joined(separator: ",")
                try await connection.send(token: UInt64(10 + id), #"[1,[56,[[15,["t"]],[2,[\#(rows)]]]],{}]"#)
                _ = try await connection.readFrame()
            }
            try await connection.send(token: 1, "[2]")
            let batch = try #require(try await connection.readFrame()?.json)
            let response = try Document(parsing: batch)
            let items = try #require(response["r"]?.arrayValue)
            // RethinkDB's rule: past the queue size the queue is emptied and counted as
            // skipped, so 100 changes in a queue of 5 leave 96 skipped and the last 4.
            #expect(items.first == ["error": "Changefeed cache over array size limit, skipped 96 elements."])
            #expect(Array(items.dropFirst()) == [96, 97, 98, 99].map { ["old_val": .null, "new_val": ["id": $0]] })
        }
    }
}
