import Foundation
import Spawn
import Testing
@testable import DocumentStore

/// A fresh directory per test, removed afterwards: durability and crash tests need real files.
struct TemporaryDirectory: ~Copyable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("docstore-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Opens a store on a new file, runs `body`, and removes the file.
func withFileStore<T>(
    configuration: DocumentStore.Configuration = .init(),
    _ body: (DocumentStore, String) async throws -> T
) async throws -> T {
    let directory = try TemporaryDirectory()
    let path = directory.path("store.sqlite")
    let store = try DocumentStore(path: path, configuration: configuration)
    return try await body(store, path)
}

/// A store with a `marvel` table, on a file.
func withMarvel<T>(
    primaryKey: String = "id", durability: Durability = .hard,
    _ body: (Table, DocumentStore) async throws -> T
) async throws -> T {
    try await withFileStore { store, _ in
        try await store.tableCreate("marvel", primaryKey: primaryKey, durability: durability)
        return try await body(store.table("marvel"), store)
    }
}

/// Runs the `sqlite3` shell on a file, as a person looking inside would.
func sqlite3Shell(_ path: String, _ sql: String) throws -> String {
    try Spawn.output("sqlite3", [path, sql])
}

extension DocumentStoreError {
    static func matching(_ message: String) -> (any Error) -> Bool {
        { ($0 as? DocumentStoreError)?.message == message }
    }
}
