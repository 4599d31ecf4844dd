import DocumentStore
import ReQL
import Testing
@testable import DocumentStoreServer

/// A query built with ``Wire`` and the value RethinkDB answers, for parameterised tests.
struct WireCase: CustomTestStringConvertible, Sendable {
    let name: String
    let term: Document
    let expected: Document
    var testDescription: String { name }
}

/// A query built with ``Wire`` and RethinkDB's error for it.
struct WireFailure: CustomTestStringConvertible, Sendable {
    let term: Document
    let message: String
    var type: ErrorType? = .queryLogic
    /// RUNTIME_ERROR unless it is a compile error.
    var response: ResponseType = .runtimeError
    var testDescription: String { message }

    /// Runs the query on `engine` and checks the error's message, kind and type.
    func check(_ engine: ReqlEngine, optargs: DocumentObject = [:], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        guard let error = try await Wire.error(term, engine, optargs: optargs) else { return }
        #expect(error.message == message, sourceLocation: sourceLocation)
        #expect(error.responseType == response, sourceLocation: sourceLocation)
        if response == .runtimeError { #expect(error.errorType == type, sourceLocation: sourceLocation) }
    }
}
