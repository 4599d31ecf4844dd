import DocumentStore
import ReQL
import Logging
import Testing

@testable import DocumentStoreServer

/// Query dispatch on one connection, with a fake query layer and responses collected in memory.
@Suite(.timeLimit(.minutes(1)))
struct QuerySessionTests {
    let runner = FakeQueryRunner()
    let sink = CollectingSink()
    let session: QuerySession

    init() {
        self.session = Self.makeSession(runner: self.runner, sink: self.sink)
    }

    static func makeSession(runner: FakeQueryRunner, sink: CollectingSink, maxInFlight: Int = 1024) -> QuerySession {
        QuerySession(
            runner: runner,
            sink: sink,
            serverInfo: ["id": "f0e1d2c3-0000-4000-8000-000000000000", "name": "docstore", "proxy": false],
            limits: .init(maxInFlight: maxInFlight, batchSize: 2),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    func send(_ token: UInt64, _ json: String) async {
        await self.session.receive(token: token, payload: Array(json.utf8))
    }

    static func text(_ response: QueryResponse) -> String {
        "\(response.token) " + String(decoding: response.json, as: UTF8.self)
    }

    func responses(_ count: Int) async -> [String] {
        await self.sink.waitFor(count).map(Self.text)
    }

    /// Gives stray responses a moment to show up before a test asserts there are none.
    func settle() async {
        try? await Task.sleep(for: .milliseconds(50))
    }

    @Test("An atom result is SUCCESS_ATOM under the query's token")
    func atom() async {
        await self.send(7, #"[1,["atom",{"a":1}],{}]"#)
        #expect(await self.responses(1) == [#"7 {"t":1,"r":[{"a":1}]}"#])
    }

    @Test("A runtime error keeps its type and backtrace")
    func runtimeError() async {
        await self.send(1, #"[1,["error","Table `test.nope` does not exist."],{}]"#)
        #expect(await self.responses(1) == [
            #"1 {"t":18,"e":4100000,"r":["Table `test.nope` does not exist."],"b":[0]}"#
        ])
    }

    @Test("A stream is served in batches across CONTINUEs and then forgotten")
    func streamAcrossContinues() async {
        await self.send(0, #"[1,["stream",5],{}]"#)
        #expect(await self.responses(1).last == #"0 {"t":3,"r":[0,1],"n":[]}"#)
        await self.send(0, "[2]")
        #expect(await self.responses(2).last == #"0 {"t":3,"r":[2,3],"n":[]}"#)
        await self.send(0, "[2]")
        #expect(await self.responses(3).last == #"0 {"t":2,"r":[4],"n":[]}"#)
        // The Python cursor's stray CONTINUE after the end.
        await self.send(0, "[2]")
        #expect(await self.responses(4).last == #"0 {"t":16,"r":["Token 0 not in stream cache."],"b":[]}"#)
        #expect(self.runner.createdStreams.first?.stopCount == 0)
    }

    @Test("A stream that fits in one batch is a SUCCESS_SEQUENCE straight away")
    func shortStream() async {
        await self.send(3, #"[1,["stream",2],{}]"#)
        #expect(await self.responses(1) == [#"3 {"t":2,"r":[0,1],"n":[]}"#])
    }

    @Test("STOP releases an open stream and answers an empty SUCCESS_SEQUENCE")
    func stopOpenStream() async {
        await self.send(4, #"[1,["stream",10],{}]"#)
        _ = await self.responses(1)
        await self.send(4, "[3]")
        #expect(await self.responses(2).last == #"4 {"t":2,"r":[],"n":[]}"#)
        #expect(self.runner.createdStreams.first?.stopCount == 1)
        await self.send(4, "[2]")
        #expect(await self.responses(3).last == #"4 {"t":16,"r":["Token 4 not in stream cache."],"b":[]}"#)
    }

    @Test("A STOP during a CONTINUE answers both with empty sequences")
    func stopDuringContinue() async {
        await self.send(1, #"[1,["gated-stream","next",10],{}]"#)
        _ = await self.responses(1)
        await self.send(1, "[2]")
        await self.send(1, "[3]")
        await self.settle()
        #expect(self.sink.all.count == 1)
        await self.runner.gates.open("next")
        #expect(await self.responses(3).dropFirst() == [#"1 {"t":2,"r":[],"n":[]}"#, #"1 {"t":2,"r":[],"n":[]}"#])
        #expect(self.runner.createdStreams.first?.stopCount == 1)
    }

    @Test("CONTINUE and STOP on an unknown token are client errors")
    func unknownToken() async {
        await self.send(9, "[2]")
        await self.send(10, "[3]")
        #expect(await self.responses(2) == [
            #"9 {"t":16,"r":["Token 9 not in stream cache."],"b":[]}"#,
            #"10 {"t":16,"r":["Token 10 not in stream cache."],"b":[]}"#,
        ])
    }

    @Test("A START on a token still in use is a duplicate-token error")
    func duplicateToken() async {
        await self.send(2, #"[1,["stream",10],{}]"#)
        _ = await self.responses(1)
        await self.send(2, #"[1,["atom",1],{}]"#)
        #expect(await self.responses(2).last == #"2 {"t":16,"r":["ERROR: duplicate token 2"],"b":[]}"#)
    }

    @Test("A noreply query runs but is never answered, even when it fails")
    func noreply() async {
        await self.send(1, #"[1,["atom",1],{"noreply":true}]"#)
        await self.send(2, #"[1,["error","boom"],{"noreply":[1,true]}]"#)
        await self.send(3, #"[1,["stream",10],{"noreply":true}]"#)
        await self.send(4, "[4]")
        #expect(await self.responses(1) == [#"4 {"t":4,"r":[]}"#])
        await self.settle()
        #expect(self.sink.all.count == 1)
        #expect(self.runner.events.filter { $0.hasPrefix("finish:") }.count == 3)
        #expect(self.runner.createdStreams.first?.stopCount == 1)
    }

    @Test("NOREPLY_WAIT waits for earlier noreply queries only")
    func noreplyWaitOrdering() async {
        await self.send(1, #"[1,["gated","first",1],{"noreply":true}]"#)
        await self.send(2, "[4]")
        await self.send(3, #"[1,["gated","later",1],{"noreply":true}]"#)
        await self.send(4, #"[1,["atom","quick"],{}]"#)
        #expect(await self.responses(1) == [#"4 {"t":1,"r":["quick"]}"#])
        await self.settle()
        #expect(self.sink.all.count == 1)
        await self.runner.gates.open("first")
        #expect(await self.responses(2).last == #"2 {"t":4,"r":[]}"#)
        await self.runner.gates.open("later")
        await self.session.finish()
        #expect(self.sink.all.count == 2)
    }

    @Test("Responses leave in completion order, not request order")
    func completionOrder() async {
        await self.send(1, #"[1,["gated","slow","slow"],{}]"#)
        await self.send(2, #"[1,["atom","fast"],{}]"#)
        #expect(await self.responses(1) == [#"2 {"t":1,"r":["fast"]}"#])
        await self.runner.gates.open("slow")
        #expect(await self.responses(2).last == #"1 {"t":1,"r":["slow"]}"#)
    }

    @Test("SERVER_INFO describes the server")
    func serverInfo() async {
        await self.send(4, "[5]")
        #expect(await self.responses(1) == [
            #"4 {"t":5,"r":[{"id":"f0e1d2c3-0000-4000-8000-000000000000","name":"docstore","proxy":false}]}"#
        ])
    }

    @Test("Malformed queries are answered and the session goes on")
    func malformedQueries() async {
        await self.send(1, "[1,")
        await self.send(2, "[9]")
        await self.send(3, #"[1,["atom",1],{}]"#)
        #expect(await self.responses(3) == [
            #"1 {"t":16,"r":["Client is buggy (failed to deserialize query)."],"b":[]}"#,
            #"2 {"t":16,"r":["Server could not parse query: Unrecognized QueryType: 9."],"b":[]}"#,
            #"3 {"t":1,"r":[1]}"#,
        ])
    }

    @Test("An oversized query is answered with the size error")
    func oversized() async {
        await self.session.rejectOversized(token: 8, length: 134_217_728)
        #expect(await self.responses(1) == [
            #"8 {"t":16,"r":["Query size (134217728) greater than maximum (134217727)."],"b":[]}"#
        ])
    }

    @Test("Reading waits once the in-flight limit is reached")
    func inFlightLimit() async {
        let session = Self.makeSession(runner: self.runner, sink: self.sink, maxInFlight: 2)
        await session.receive(token: 1, payload: Array(#"[1,["gated","g",1],{}]"#.utf8))
        await session.receive(token: 2, payload: Array(#"[1,["gated","g",2],{}]"#.utf8))
        let third = Task { await session.receive(token: 3, payload: Array(#"[1,["atom",3],{}]"#.utf8)) }
        await self.settle()
        #expect(self.runner.events.count == 2)
        await self.runner.gates.open("g")
        await third.value
        #expect(await self.sink.waitFor(3).count == 3)
    }

    @Test("Finishing stops the streams the client left open")
    func finishStopsOpenStreams() async {
        await self.send(1, #"[1,["stream",10],{}]"#)
        _ = await self.responses(1)
        await self.session.finish()
        #expect(self.runner.createdStreams.first?.stopCount == 1)
    }
}
