import DocumentStore
import ReQL
import Testing

@testable import DocumentStoreServer

/// Response frames byte for byte, and the top-level checks of incoming queries.
@Suite struct QueryResponseTests {
    static func json(_ response: QueryResponse) -> String {
        String(decoding: response.json, as: UTF8.self)
    }

    @Test("An atom frame is the echoed token, the LE length and the JSON")
    func atomFrameBytes() {
        let response = QueryResponse.atom(["tables_created": 1], token: 0x0102)
        let json = #"{"t":1,"r":[{"tables_created":1}]}"#
        #expect(response.frame == [0x02, 0x01, 0, 0, 0, 0, 0, 0, UInt8(json.utf8.count), 0, 0, 0] + Array(json.utf8))
    }

    @Test("Keys come out in the server's order t, e, r, b")
    func runtimeErrorKeyOrder() {
        let error = ReqlError.runtime(.opFailed, "Table `test.nope` does not exist.", backtrace: [0])
        #expect(
            Self.json(.error(error, token: 1))
                == #"{"t":18,"e":4100000,"r":["Table `test.nope` does not exist."],"b":[0]}"#
        )
    }

    @Test("Client and compile errors carry b but no e")
    func clientAndCompileErrors() {
        #expect(Self.json(.notInStreamCache(token: 5)) == #"{"t":16,"r":["Token 5 not in stream cache."],"b":[]}"#)
        let compile = ReqlError.compile("Unrecognized optional argument `upsert`.", backtrace: ["upsert"])
        #expect(
            Self.json(.error(compile, token: 1))
                == #"{"t":17,"r":["Unrecognized optional argument `upsert`."],"b":["upsert"]}"#
        )
    }

    @Test("Stream batches carry n and the type says whether more follow")
    func batches() {
        let partial = QueryResponse.batch([["id": 1], ["id": 2]], finished: false, token: 1)
        #expect(Self.json(partial) == #"{"t":3,"r":[{"id":1},{"id":2}],"n":[]}"#)
        #expect(Self.json(.batch([["id": 3]], finished: true, token: 1)) == #"{"t":2,"r":[{"id":3}],"n":[]}"#)
        #expect(Self.json(.stopped(token: 1)) == #"{"t":2,"r":[],"n":[]}"#)
    }

    @Test("WAIT_COMPLETE and SERVER_INFO have neither b nor n")
    func waitCompleteAndServerInfo() {
        #expect(Self.json(QueryResponse(token: 3, type: .waitComplete, results: [])) == #"{"t":4,"r":[]}"#)
        let info: Document = ["id": "x", "name": "docstore", "proxy": false]
        #expect(
            Self.json(QueryResponse(token: 4, type: .serverInfo, results: [info]))
                == #"{"t":5,"r":[{"id":"x","name":"docstore","proxy":false}]}"#
        )
    }

    @Test("Negative tokens are printed as signed 64-bit numbers, as the server reads them")
    func negativeToken() {
        #expect(
            Self.json(.notInStreamCache(token: UInt64.max)) == #"{"t":16,"r":["Token -1 not in stream cache."],"b":[]}"#
        )
    }

    static func parseError(_ text: String) -> String? {
        if case .failure(let error) = ClientQuery.parse(Array(text.utf8)) {
            #expect(error.responseType == .clientError)
            return error.message
        }
        return nil
    }

    @Test("Bad JSON is the buggy-client error")
    func badJSON() {
        #expect(Self.parseError("[1,") == "Client is buggy (failed to deserialize query).")
        #expect(Self.parseError("") == "Client is buggy (failed to deserialize query).")
    }

    @Test("A wrongly shaped query gets RethinkDB's message behind the parse prefix", arguments: [
        (#"{"a":1}"#, "Expected a query to be an array, but found OBJECT."),
        (#""x""#, "Expected a query to be an array, but found STRING."),
        ("[]", "Expected 1 to 3 elements in the top-level query, but found 0."),
        ("[1,2,{},4]", "Expected 1 to 3 elements in the top-level query, but found 4."),
        (#"["1"]"#, "Expected a query type as a number, but found STRING."),
        ("[null]", "Expected a query type as a number, but found NULL."),
        ("[6]", "Unrecognized QueryType: 6."),
        ("[0]", "Unrecognized QueryType: 0."),
        ("[1.5]", "Unrecognized QueryType: 1."),
        ("[1,1,[]]", "Expected global optargs as an object, but found ARRAY."),
        ("[1,1,true]", "Expected global optargs as an object, but found BOOL."),
    ])
    func shapeErrors(query: String, message: String) {
        #expect(Self.parseError(query) == "Server could not parse query: " + message)
    }

    @Test("Each query type is recognised, with the term and optargs of a START")
    func queryTypes() throws {
        let start = ClientQuery.parse(Array(#"[1,[15,["marvel"]],{"db":[14,["test"]]}]"#.utf8))
        guard case .success(.start(let term, let optargs, let noreply, _)) = start else {
            Issue.record("not a START")
            return
        }
        #expect(term == [15, ["marvel"]])
        #expect(optargs["db"] == [14, ["test"]])
        #expect(!noreply)
        guard case .success(.start(_, let empty, _, _)) = ClientQuery.parse(Array("[1,1]".utf8)) else {
            Issue.record("not a START")
            return
        }
        #expect(empty.isEmpty)
        guard case .success(.continueStream) = ClientQuery.parse(Array("[2]".utf8)),
            case .success(.stop) = ClientQuery.parse(Array("[3]".utf8)),
            case .success(.noreplyWait) = ClientQuery.parse(Array("[4]".utf8)),
            case .success(.serverInfo) = ClientQuery.parse(Array("[5,null,{}]".utf8))
        else {
            Issue.record("query types not recognised")
            return
        }
    }

    @Test("noreply counts as true or [1,true] and nothing else", arguments: [
        (#"{"noreply":true}"#, true),
        (#"{"noreply":[1,true]}"#, true),
        (#"{"noreply":false}"#, false),
        (#"{"noreply":[1,false]}"#, false),
        (#"{"noreply":1}"#, false),
        (#"{"noreply":[2,[true]]}"#, false),
        (#"{}"#, false),
    ])
    func noreplyFlag(optargs: String, expected: Bool) throws {
        let object = try #require(try Document(parsing: optargs).objectValue)
        #expect(ClientQuery.isNoreply(object) == expected)
    }
}
