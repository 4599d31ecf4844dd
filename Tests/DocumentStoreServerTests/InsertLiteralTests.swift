import DocumentStore
import Foundation
import ReQL
import Testing

@testable import DocumentStoreServer

/// An insert's documents taken from the query's bytes as canonical JSON (`InsertLiteral`): the
/// same documents, the same answers and the same rows as the query parsed term by term, and
/// everything the general parse could answer differently left to it.
@Suite("Insert documents taken from the query's bytes")
struct InsertLiteralTests {
    static func table(_ name: String) -> String { #"[15,[[14,["test"]],"\#(name)"]]"# }

    static func insert(_ documents: String, into name: String, optargs: String = "{}") -> String {
        #"[56,[\#(table(name)),\#(documents)],\#(optargs)]"#
    }

    /// Documents as the Python driver sends them, with the optargs they are inserted with.
    static let plainData: [(documents: String, optargs: String)] = [
        (#"{"id":1,"name":"x","tags":[2,["a","b"]]}"#, "{}"),
        (#"[2,[{"id":1},{"id":2,"nested":{"list":[2,[[2,[1]],[2,[]]]]}},{"id":1,"z":true}]]"#, "{}"),
        (#"[2,[{"id":1},{"id":2,"b":2,"a":1},{"id":1,"z":true}]]"#, #"{"conflict":"update","return_changes":true}"#),
        (#"[2,[{"id":"k","n":1.50,"e":1e3,"neg":-12,"s":"\u00e9\n\"q\"\/","ü":null},5,"six"]]"#, "{}"),
        (#" [ 2 , [ { "id" : 7 , "x" : [ 2 , [ 1 , 2 ] ] } ] ] "#, #"{"durability":"soft"}"#),
        (#"[2,[]]"#, "{}"),
    ]

    @Test("A driver's insert of plain data comes apart into its term and its documents' canonical text",
          arguments: plainData.map(\.documents))
    func splits(_ documents: String) throws {
        let payload = Array(#"[1,\#(Self.insert(documents, into: "a")),{}]"#.utf8)
        let literal = try #require(InsertLiteral.split(payload))
        // The documents are the value their terms evaluate to, in canonical text.
        let folded = try Term.compile(try Document(parsing: documents), foldingLiterals: true)
        let context = try Query.makeContext([:], tables: NoTableAccess(), cancellation: CancellationToken())
        let evaluator = Evaluator(context: context)
        let value = try evaluator.datum(of: try evaluator.eval(folded, Environment()), term: folded)
        #expect(literal.documents == value.jsonBytes)
        // The rest of the query is untouched, with null in the documents' place.
        let skeleton = try Document(parsing: literal.skeleton)
        let whole = try Document(parsing: payload)
        guard case .array(var parts) = whole, case .array(var term) = parts[1], case .array(var arguments) = term[1] else {
            Issue.record("not an insert: \(whole.jsonString)")
            return
        }
        arguments[1] = .null
        term[1] = .array(arguments)
        parts[1] = .array(term)
        #expect(skeleton == .array(parts))
        guard case .success(.start(_, _, _, let given)) = ClientQuery.parse(payload) else {
            Issue.record("not a START")
            return
        }
        #expect(given == literal.documents)
    }

    @Test("An insert answers and writes the same with its documents as text as term by term", arguments: plainData)
    func sameAnswers(_ documents: String, optargs: String) async throws {
        try await ReqlEngineTests.withEngine { engine in
            for name in ["text", "terms"] {
                _ = try await ReqlEngineTests.atom(engine, #"[60,[[14,["test"]],"\#(name)"]]"#)
            }
            let payload = Array(#"[1,\#(Self.insert(documents, into: "text", optargs: optargs)),{}]"#.utf8)
            guard case .success(.start(let term, let globals, _, let given)) = ClientQuery.parse(payload) else {
                Issue.record("not a START")
                return
            }
            #expect(given != nil)
            let outcome = await engine.start(term: term, globalOptargs: globals, user: UserStore.admin, insertDocuments: given,
                                             cancellation: CancellationToken())
            let expected = try await ReqlEngineTests.atom(engine, Self.insert(documents, into: "terms", optargs: optargs))
            guard case .atom(let answer) = outcome else {
                Issue.record("not an atom: \(outcome)")
                return
            }
            #expect(answer == expected)
            let rows = try await ReqlCase.result(engine, Self.table("text")).get()
            let expectedRows = try await ReqlCase.result(engine, Self.table("terms")).get()
            #expect(rows == expectedRows)
        }
    }

    /// Inserts the general parse might answer differently (a refused query, another term's
    /// value, an error with a backtrace into the documents, a profile listing their terms).
    static let leftToTerms: [(documents: String, globals: String)] = [
        (#"{"id":1,"at":[103,[]]}"#, "{}"),
        (#"{"id":1,"at":{"$reql_type$":"TIME","epoch_time":1,"timezone":"+00:00"}}"#, "{}"),
        (#"{"id":1,"id":2}"#, "{}"),
        (#"{"id":1,"x":NaN}"#, "{}"),
        (#"{"id":1,"x":-0}"#, "{}"),
        (#"{"id":1,"s":"\ud800"}"#, "{}"),
        (#"[2,[{"id":1}],{}]"#, "{}"),
        (#"[2,[{"id":1,"a":[3,[1]]}]]"#, "{}"),
        (#"[2,[{"id":1}]]"#, #"{"profile":true}"#),
        (#"[2,[{"id":1}]]"#, #"{"array_limit":5}"#),
        (#"[20,[1]]"#, "{}"),
        ("null", "{}"),
    ]

    @Test("Documents that are not plain data, and queries that need their terms, are parsed term by term",
          arguments: leftToTerms)
    func leavesTerms(_ documents: String, globals: String) {
        let payload = Array(#"[1,\#(Self.insert(documents, into: "a")),\#(globals)]"#.utf8)
        switch ClientQuery.parse(payload) {
        case .success(.start(_, _, _, let given)): #expect(given == nil)
        case .success: Issue.record("not a START")
        case .failure: break
        }
    }

    @Test("Only an insert into a table term is taken apart", arguments: [
        #"[1,[56,[[2,[1]],[2,[{"id":1}]]]],{}]"#,
        #"[1,[57,[[15,["a"]],[2,[{"id":1}]]]],{}]"#,
        #"[1,[56,[[15,["a"]],[2,[{"id":1}]],[2,[]]]],{}]"#,
        #"[1,[56,[[15,["a"]]]],{}]"#,
        #"[10,[56,[[15,["a"]],[2,[{"id":1}]]]]]"#,
    ])
    func otherShapes(_ query: String) {
        #expect(InsertLiteral.split(Array(query.utf8)) == nil)
    }
}
