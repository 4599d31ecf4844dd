import DocumentModel
import Foundation
import ReQL
import Testing

@testable import DocumentStoreServer

/// One query of RethinkDB's own ReQL tests (`test/rql_test/src/*.yaml`): the Python driver's
/// query, the wire JSON that driver sends for it, and the answer the YAML file gives, a value
/// or an error with its type and message.
struct ReqlCase: Sendable, CustomTestStringConvertible {
    enum Outcome: Sendable {
        case value(String)
        /// An ErrorType for a runtime error, nil for a compile error; the message as the tests
        /// compare it (a message ending in ":" stands for its first line).
        case error(ErrorType?, String)
    }

    let python: String
    let wire: String
    let outcome: Outcome

    var testDescription: String { python }

    init(_ python: String, _ wire: String, _ value: String) {
        self.python = python
        self.wire = wire
        self.outcome = .value(value)
    }

    /// `.compile` stands for a compile error.
    init(_ python: String, _ wire: String, error type: ErrorKind, _ message: String) {
        self.python = python
        self.wire = wire
        self.outcome = .error(type.errorType, message)
    }

    enum ErrorKind: Sendable {
        case queryLogic, nonExistence, user, resourceLimit, opFailed, compile
        var errorType: ErrorType? {
            switch self {
            case .queryLogic: return .queryLogic
            case .nonExistence: return .nonExistence
            case .user: return .user
            case .resourceLimit: return .resourceLimit
            case .opFailed: return .opFailed
            case .compile: return nil
            }
        }
    }

    /// Runs the query on a fresh engine (streams read to the end) and checks the outcome.
    func check(optargs: String = "{}") async throws {
        try await ReqlEngineTests.withEngine { engine in
            let result = try await Self.result(engine, wire, optargs: optargs)
            switch (outcome, result) {
            case (.value(let json), .success(let value)):
                #expect(value == (try Document(parsing: json)), "\(python)")
            case (.error(let type, let message), .failure(let error)):
                if let type {
                    #expect(error.responseType == .runtimeError && error.errorType == type, "\(python): \(error)")
                } else {
                    #expect(error.responseType == .compileError, "\(python): \(error)")
                }
                // RethinkDB's tests compare a message up to the value it shows after ":\n".
                let shown = error.message.range(of: ":\n").map { String(error.message[..<$0.lowerBound]) + ":" } ?? error.message
                #expect(shown == message, "\(python)")
            case (.value(let json), .failure(let error)):
                Issue.record("\(python): expected \(json), got \(error.message)")
            case (.error(_, let message), .success(let value)):
                Issue.record("\(python): expected the error \(message), got \(value.jsonString)")
            }
        }
    }

    /// The query's value (a stream read whole) or its error.
    static func result(_ engine: ReqlEngine, _ json: String, optargs: String = "{}") async throws -> Result<Document, ReqlError> {
        switch try await ReqlEngineTests.run(engine, json, optargs: optargs) {
        case .atom(let value): return .success(value)
        case .error(let error): return .failure(error)
        case .profiled:
            Issue.record("\(json): ran with a profile, which these cases never ask for")
            return .success(.null)
        case .stream(let stream):
            var rows: [Document] = []
            while true {
                switch await stream.nextBatch(limit: 1000) {
                case .success(let batch):
                    rows += batch.items
                    if batch.finished { return .success(.array(rows)) }
                case .failure(let error):
                    return .failure(error)
                }
            }
        }
    }
}
