import DocumentStore
import ReQL
import Testing
@testable import DocumentStoreServer

/// ReQL terms in the wire form drivers send (`[type, [args], {optargs}]`), built the way the
/// Python driver builds them, so tests read close to the ReQL they stand for.
enum Wire {
    /// A term: `Wire.term(101, 1.5)` is `r.epoch_time(1.5)`.
    static func term(_ type: Int, _ args: Document..., options: DocumentObject = [:]) -> Document {
        options.isEmpty ? [.number(Double(type)), .array(args)] : [.number(Double(type)), .array(args), .object(options)]
    }

    /// `r.expr([...])`: arrays go as MAKE_ARRAY, since a bare JSON array is a term.
    static func array(_ elements: Document...) -> Document {
        [2, .array(elements)]
    }

    static func array(_ elements: [Document]) -> Document {
        [2, .array(elements)]
    }

    /// `lambda x: body`, with variable 1 (and 2... for more parameters).
    static func function(parameters: Int = 1, _ body: Document) -> Document {
        [69, [[2, .array((1...parameters).map { .number(Double($0)) })], body]]
    }

    static func variable(_ id: Int = 1) -> Document {
        [10, [.number(Double(id))]]
    }

    static func table(_ name: String) -> Document {
        [15, [.string(name)]]
    }

    static func epochTime(_ seconds: Double) -> Document {
        term(101, .number(seconds))
    }

    /// `r.table(name)` filled with `rows` (created first).
    static func makeTable(_ name: String, _ rows: [Document], in engine: ReqlEngine) async throws {
        _ = try await value(term(60, .string(name)), engine)
        if !rows.isEmpty { _ = try await value(term(56, table(name), array(rows)), engine) }
    }

    /// The query's result: an atom's value, or a stream's elements.
    static func value(_ term: Document, _ engine: ReqlEngine, optargs: DocumentObject = [:]) async throws -> Document {
        switch await engine.start(term: term, globalOptargs: optargs) {
        case .atom(let value):
            return value
        case .stream(let stream):
            return .array(try await stream.nextBatch(limit: 100_000).get().items)
        case .error(let error):
            Issue.record("\(term.jsonString) failed: \(error.message)")
            return .null
        case .profiled:
            Issue.record("\(term.jsonString) was profiled unasked")
            return .null
        }
    }

    /// Checks the query's result (evaluated before `#expect`, which cannot await inside
    /// nested calls).
    static func check(
        _ term: Document, _ engine: ReqlEngine, _ expected: Document, optargs: DocumentObject = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let result = try await value(term, engine, optargs: optargs)
        #expect(result == expected, "\(term.jsonString)", sourceLocation: sourceLocation)
    }

    /// The query's error, nil (and a test failure) when it succeeds.
    static func error(_ term: Document, _ engine: ReqlEngine, optargs: DocumentObject = [:]) async throws -> ReqlError? {
        switch await engine.start(term: term, globalOptargs: optargs) {
        case .error(let error):
            return error
        case .stream(let stream):
            if case .failure(let error) = await stream.nextBatch(limit: 100_000) { return error }
        default:
            break
        }
        Issue.record("\(term.jsonString) did not fail")
        return nil
    }
}
