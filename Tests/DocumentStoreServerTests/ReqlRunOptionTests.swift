import DocumentStore
import ReQL
import Testing
@testable import DocumentStoreServer

/// The global optargs RethinkDB evaluates on the server: `profile`, `read_mode` (and the
/// refused `use_outdated`); `time_format` and `group_format` are the driver's, accepted here.
@Suite("ReQL run options")
struct ReqlRunOptionTests {
    @Test("profile: true gives the term tree with durations")
    func profile() async throws {
        try await ReqlEngineTests.withEngine { engine in
            // r.expr(1) + 2
            let outcome = await engine.start(term: Wire.term(24, 1, 2), globalOptargs: ["profile": true])
            guard case .profiled(.atom(let value), let recorder) = outcome else {
                Issue.record("expected a profiled atom, got \(outcome)")
                return
            }
            #expect(value == 3)
            let profile = recorder.take()
            let top = try #require(profile.arrayValue?.first)
            #expect(profile.arrayValue?.count == 1)
            #expect(top["description"] == "Evaluating add.")
            #expect((top["duration(ms)"]?.doubleValue ?? -1) >= 0)
            #expect(top["sub_tasks"]?.arrayValue?.map { $0["description"] } == ["Evaluating datum.", "Evaluating datum."])
        }
    }

    @Test("Without profile, or with profile: false, there is none")
    func noProfile() async throws {
        try await ReqlEngineTests.withEngine { engine in
            for optargs: DocumentObject in [[:], ["profile": false]] {
                guard case .atom = await engine.start(term: Wire.term(24, 1, 2), globalOptargs: optargs) else {
                    Issue.record("expected a plain atom for \(optargs)")
                    continue
                }
            }
        }
    }

    @Test("A profiled response carries p between b and n")
    func profileField() {
        let response = QueryResponse.batch([1], finished: true, token: 1).profiled([["description": "Evaluating datum."]])
        #expect(String(decoding: response.json, as: UTF8.self) == #"{"t":2,"r":[1],"p":[{"description":"Evaluating datum."}],"n":[]}"#)
    }

    @Test("read_mode is checked where a table is read", arguments: [
        (["read_mode": "fake"] as DocumentObject, "Read mode `fake` unrecognized (options are \"majority\", \"single\", and \"outdated\")."),
        (["read_mode": true], "Expected type STRING but found BOOL."),
        (["use_outdated": true], "The `use_outdated` optarg is no longer supported.  Use the `read_mode` optarg instead."),
        (["identifier_format": "id"], "Identifier format `id` unrecognized (options are \"name\" and \"uuid\")."),
    ] as [(DocumentObject, String)])
    func readMode(_ options: DocumentObject, _ message: String) async throws {
        try await ReqlEngineTests.withEngine { engine in
            try await Wire.makeTable("t", [["id": 1]], in: engine)
            let local = try #require(try await Wire.error(Wire.term(43, Wire.term(15, "t", options: options)), engine))
            #expect(local.message == message)
            let global = try #require(try await Wire.error(Wire.term(43, Wire.table("t")), engine, optargs: options))
            #expect(global.message == message)
        }
    }

    @Test("Accepted read modes read the table; options a query does not use are accepted", arguments: [
        ["read_mode": "single"], ["read_mode": "majority"], ["read_mode": "outdated"],
        ["time_format": "raw"], ["group_format": "raw"], ["read_mode": [2, ["a", "b"]]],
    ] as [DocumentObject])
    func acceptedModes(_ options: DocumentObject) async throws {
        try await ReqlEngineTests.withEngine { engine in
            try await Wire.makeTable("t", [["id": 1]], in: engine)
            let counted = Wire.term(43, Wire.table("t"))
            if options["read_mode"]?.arrayValue != nil {
                try await Wire.check(Wire.array(1, 2), engine, [1, 2], optargs: options)
            } else {
                try await Wire.check(counted, engine, 1, optargs: options)
            }
        }
    }

    @Test("A null read_mode is a non-existence error")
    func nullReadMode() async throws {
        try await ReqlEngineTests.withEngine { engine in
            try await Wire.makeTable("t", [], in: engine)
            let error = try #require(try await Wire.error(Wire.term(43, Wire.term(15, "t", options: ["read_mode": .null])), engine))
            #expect(error.message == "Expected type STRING but found NULL.")
            #expect(error.errorType == .nonExistence)
        }
    }
}
