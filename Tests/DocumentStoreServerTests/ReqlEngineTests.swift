import DocumentStore
import ReQL
import Foundation
import Logging
import Testing
@testable import DocumentStoreServer

/// The query layer on its own: terms in the wire form the Python driver sends, evaluated by
/// `ReqlEngine` onto a data directory, without sockets.
@Suite("The ReQL engine")
struct ReqlEngineTests {
    /// An engine on a fresh data directory, removed afterwards.
    static func withEngine(_ body: (ReqlEngine) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reql-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Swift Testing runs every case at once: hundreds of engines, each with its threads.
        let engine = try ReqlEngine(dataDirectory: directory, logger: Logger(label: "test"), queryThreads: 4)
        defer { engine.close() }
        try await body(engine)
    }

    /// Runs a query given as its wire JSON and returns the outcome.
    static func run(_ engine: ReqlEngine, _ json: String, optargs: String = "{}") async throws -> QueryOutcome {
        let term = try Document(parsing: json)
        let globals = try #require(try Document(parsing: optargs).objectValue)
        return await engine.start(term: term, globalOptargs: globals)
    }

    /// The value of an atom result, failing the test on anything else.
    static func atom(_ engine: ReqlEngine, _ json: String, optargs: String = "{}") async throws -> Document {
        let outcome = try await run(engine, json, optargs: optargs)
        switch outcome {
        case .atom(let value): return value
        case .error(let error): Issue.record("query failed: \(error.message)"); return .null
        case .stream: Issue.record("expected an atom, got a stream"); return .null
        case .profiled: Issue.record("expected an atom, got a profiled result"); return .null
        }
    }

    static func error(_ engine: ReqlEngine, _ json: String, optargs: String = "{}") async throws -> ReqlError? {
        if case .error(let error) = try await run(engine, json, optargs: optargs) { return error }
        return nil
    }

    @Test("The reference page's Python examples run as the driver sends them")
    func referencePageExamples() async throws {
        try await Self.withEngine { engine in
            let created = try await Self.atom(engine, #"[60,[[14,["test"]],"marvel"]]"#)
            #expect(created["tables_created"] == 1)
            let first = try await Self.atom(engine, #"[56,[[15,["marvel"]],{"superhero":"Iron Man","superpower":"Arc Reactor"}]]"#)
            #expect(first["inserted"] == 1)
            #expect(first["generated_keys"]?.arrayValue?.count == 1)
            let soft = try await Self.atom(engine, #"[56,[[15,["marvel"]],[2,[{"superhero":"Wolverine","superpower":"Adamantium"},{"superhero":"Spiderman","superpower":"spidy sense"}]]],{"durability":"soft"}]"#)
            #expect(soft["inserted"] == 2)
            _ = try await Self.atom(engine, #"[56,[[15,["marvel"]],{"id":1,"superhero":"Iron Man","superpower":"Repulsors"}]]"#)
            let upsert = try await Self.atom(engine, #"[56,[[15,["marvel"]],{"id":1,"superhero":"Iron Man","superpower":"Arc Reactor"}],{"upsert":true}]"#)
            #expect(upsert["replaced"] == 1)
            let values = try await Self.atom(engine, #"[56,[[15,["marvel"]],{"id":1,"superhero":"Iron Man","superpower":"Arc Reactor 2"}],{"upsert":true,"return_vals":true}]"#)
            #expect(values["old_val"] == ["id": 1, "superhero": "Iron Man", "superpower": "Arc Reactor"])
            #expect(values["new_val"] == ["id": 1, "superhero": "Iron Man", "superpower": "Arc Reactor 2"])
        }
    }

    @Test("A missing table is an OP_FAILED runtime error pointing at the table term")
    func missingTable() async throws {
        try await Self.withEngine { engine in
            let error = try #require(try await Self.error(engine, #"[16,[[15,["nope"]],1]]"#))
            #expect(error.responseType == .runtimeError)
            #expect(error.errorType == .opFailed)
            #expect(error.message == "Table `test.nope` does not exist.")
            #expect(error.backtrace == [0])
        }
    }

    @Test("An unknown optional argument is a compile error naming it")
    func unknownOptarg() async throws {
        try await Self.withEngine { engine in
            _ = try await Self.atom(engine, #"[60,["marvel"]]"#)
            let error = try #require(try await Self.error(engine, #"[56,[[15,["marvel"]],{"id":1}],{"foo":true}]"#))
            #expect(error.responseType == .compileError)
            #expect(error.message == "Unrecognized optional argument `foo`.")
            #expect(error.backtrace == ["foo"])
        }
    }

    @Test("A conflict function gets the key field's name and may delete the row")
    func conflictFunction() async throws {
        try await Self.withEngine { engine in
            _ = try await Self.atom(engine, #"[60,["t"]]"#)
            _ = try await Self.atom(engine, #"[56,[[15,["t"]],{"id":42,"foo":1,"bar":1}]]"#)
            // conflict=lambda id, old, new: old.merge(new.pluck("bar")).merge({"key": id})
            let merged = try await Self.atom(engine, #"[56,[[15,["t"]],{"id":42,"foo":5,"bar":5}],{"conflict":[69,[[2,[1,2,3]],[35,[[35,[[10,[2]],[33,[[10,[3]],"bar"]]]],{"key":[10,[1]]}]]]]}]"#)
            #expect(merged["replaced"] == 1)
            #expect(try await Self.atom(engine, #"[16,[[15,["t"]],42]]"#) == ["id": 42, "foo": 1, "bar": 5, "key": "id"])
            let deleted = try await Self.atom(engine, #"[56,[[15,["t"]],{"id":42}],{"conflict":[69,[[2,[1,2,3]],null]]}]"#)
            #expect(deleted["deleted"] == 1, "\(deleted)")
        }
    }

    @Test("Conflict functions must be deterministic and take three arguments")
    func conflictFunctionChecks() async throws {
        try await Self.withEngine { engine in
            _ = try await Self.atom(engine, #"[60,["t"]]"#)
            let arity = try #require(try await Self.error(engine, #"[56,[[15,["t"]],{"id":42}],{"conflict":[69,[[2,[1,2]],[10,[1]]]]}]"#))
            #expect(arity.message == "The conflict function passed to `insert` should expect 3 arguments.")
            #expect(arity.errorType == .queryLogic)
            let reads = try #require(try await Self.error(engine, #"[56,[[15,["t"]],{"id":42}],{"conflict":[69,[[2,[1,2,3]],[16,[[15,["t"]],42]]]]}]"#))
            #expect(reads.message == "The conflict function passed to `insert` must be deterministic.")
        }
    }

    @Test("A table scan is a stream served in batches")
    func tableScanStreams() async throws {
        try await Self.withEngine { engine in
            _ = try await Self.atom(engine, #"[60,["t"]]"#)
            _ = try await Self.atom(engine, #"[56,[[15,["t"]],[2,[{"id":1},{"id":2},{"id":3}]]]]"#)
            guard case .stream(let stream) = try await Self.run(engine, #"[15,["t"]]"#) else {
                Issue.record("expected a stream")
                return
            }
            let first = try await stream.nextBatch(limit: 2).get()
            #expect(first.items.count == 2)
            #expect(first.finished == false)
            let second = try await stream.nextBatch(limit: 2).get()
            #expect(second.items == [["id": 3]])
            #expect(second.finished == true)
        }
    }

    @Test("r.minval cannot be sent to a client nor written to disk")
    func bounds() async throws {
        try await Self.withEngine { engine in
            let error = try #require(try await Self.error(engine, "[180,[]]"))
            #expect(error.message == "Cannot convert `r.minval` to JSON.")
            _ = try await Self.atom(engine, #"[60,["t"]]"#)
            let result = try await Self.atom(engine, #"[56,[[15,["t"]],{"value":[180,[]]}]]"#)
            #expect(result["errors"] == 1)
            #expect(result["first_error"] == "`r.minval` and `r.maxval` cannot be written to disk.")
        }
    }

    @Test("for_each adds up the write results of each row")
    func forEach() async throws {
        try await Self.withEngine { engine in
            _ = try await Self.atom(engine, #"[60,["a"]]"#)
            _ = try await Self.atom(engine, #"[60,["b"]]"#)
            _ = try await Self.atom(engine, #"[56,[[15,["a"]],[2,[{"id":1},{"id":2}]]]]"#)
            let result = try await Self.atom(engine, #"[68,[[15,["a"]],[69,[[2,[7]],[56,[[15,["b"]],[35,[[10,[7]],{"id":[24,[[170,[[10,[7]],"id"]],100]]}]]]]]]]]"#)
            #expect(result["inserted"] == 2)
            #expect(try await Self.atom(engine, #"[43,[[15,["b"]]]]"#) == 2)
        }
    }

    @Test("for_each adds up results that are not writes as RethinkDB's stats_merge does")
    func forEachOfDatabaseCreates() async throws {
        try await Self.withEngine { engine in
            // r.expr(["x", "y", "z"]).for_each(lambda name: r.db_create(r.add("db_", name)))
            let result = try await Self.atom(engine, #"[68,[[2,["x","y","z"]],[69,[[2,[1]],[57,[[24,["db_",[10,[1]]]]]]]]]]"#)
            #expect(result["dbs_created"] == 3)
            #expect(result["config_changes"]?.arrayValue?.count == 3)
            #expect(result["inserted"] == nil)
        }
    }
}
