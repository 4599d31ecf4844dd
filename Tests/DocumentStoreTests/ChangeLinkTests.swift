import Foundation
import Testing
@testable import DocumentStore

/// Change records that leave their new document in the row (`change_seq`, migration 0005):
/// whatever later writes do to the row, a record read back has the document its write made.
@Suite("Change records that keep their new document in the row")
struct ChangeLinkTests {
    /// A write to the table `t`, and the change it should record (nil: none).
    struct Step: Sendable, CustomStringConvertible {
        let name: String
        let run: @Sendable (Table) async throws -> Void
        var description: String { name }
    }

    static let steps: [[Step]] = [
        // Insert, update, replace, delete, and an insert of the key again.
        [Step(name: "insert") { try await $0.insert(["id": 1, "v": 1]) },
         Step(name: "update") { try await $0.document(1).update(["v": 2]) },
         Step(name: "replace") { try await $0.document(1).replace(["id": 1, "w": 3]) },
         Step(name: "delete") { try await $0.document(1).delete() },
         Step(name: "insert again") { try await $0.insert(["id": 1, "v": 5]) }],
        // The same key twice in one call (one transaction), and a conflict that updates.
        [Step(name: "insert twice in a batch") {
            try await $0.insert([["id": 2, "v": 1], ["id": 2, "v": 2]], options: InsertOptions(conflict: .update)) },
         Step(name: "upsert") { try await $0.insert(["id": 2, "x": 1], options: InsertOptions(conflict: .update)) },
         Step(name: "upsert another") { try await $0.insert(["id": 3], options: InsertOptions(conflict: .update)) }],
        // Whole-table writes reach rows by rowid.
        [Step(name: "insert three") { try await $0.insert([["id": 4], ["id": 5], ["id": 6]]) },
         Step(name: "update all") { try await $0.update(["n": 1]) },
         Step(name: "update all again") { try await $0.update(["n": 2]) },
         Step(name: "delete all") { try await $0.delete() }],
    ]

    @Test("Replaying the log from its start gives each change's documents, whatever later writes did to the row",
          arguments: steps)
    func replay(_ steps: [Step]) async throws {
        try await withLoggedTable { table, store, _ in
            let start = try await table.latestSequence()
            // What each write recorded, read by a feed opened right after it (before any later write).
            var expected: [Document] = []
            for step in steps {
                let before = try await table.latestSequence()
                try await step.run(table)
                let after = try await table.latestSequence()
                let feed = try await table.changes(.with { $0.since = before }).start()
                expected += try await take(Int(after - before), from: feed).map(\.document)
            }
            #expect(!expected.isEmpty)
            // The rows of the last writes keep their documents: their records' `new_doc` is empty.
            let elided = try await store.read { try $0.scalarInt(#"SELECT count(*) FROM "docstore$changes" WHERE new_doc = ''"#) }
            let rows = try await store.read { try $0.scalarInt(#"SELECT count(*) FROM "t""#) }
            #expect(elided == rows)
            let replay = try await table.changes(.with { $0.since = start }).start()
            #expect(try await take(expected.count, from: replay).map(\.document) == expected)
        }
    }

    @Test("A logged insert writes its document once: in the row, which names its record")
    func insertWritesOnce() async throws {
        try await withLoggedTable { table, _, path in
            try await table.insert([["id": "a", "n": 1], ["id": "b", "n": 2]])
            let raw = try sqlite3Shell(path, #"SELECT c.key, length(c.new_doc), t.change_seq = c.seq FROM "docstore$changes" c JOIN t ON t.id = c.key ORDER BY c.seq"#)
            #expect(raw == "a|0|1\nb|0|1\n")
            let shell = try sqlite3Shell(path, ChangeLogStorage.shellQuery(table: "t"))
            #expect(shell.hasSuffix(#"|b||{"id":"b","n":2}"# + "\n"), "\(shell)")
        }
    }

    @Test("A table whose log is switched on later gets the link column, and its older rows are logged right")
    func switchedOnLater() async throws {
        try await withFileStore { store, path in
            try await store.tableCreate("t")
            let table = store.table("t")
            try await table.insert(["id": 1, "v": 0])
            #expect(try sqlite3Shell(path, "SELECT count(*) FROM pragma_table_info('t') WHERE name = 'change_seq'") == "0\n")
            try await table.setChangeLog(.on())
            #expect(try sqlite3Shell(path, "SELECT count(*) FROM pragma_table_info('t') WHERE name = 'change_seq'") == "1\n")
            let start = try await table.latestSequence()
            try await table.document(1).update(["v": 1])
            try await table.document(1).update(["v": 2])
            let feed = try await table.changes(.with { $0.since = start }).start()
            #expect(try await take(2, from: feed).documents == [
                ["old_val": ["id": 1, "v": 0], "new_val": ["id": 1, "v": 1]],
                ["old_val": ["id": 1, "v": 1], "new_val": ["id": 1, "v": 2]],
            ])
        }
    }

    @Test("A renamed table's records still read their documents from its rows")
    func rename() async throws {
        try await withLoggedTable { table, store, _ in
            let start = try await table.latestSequence()
            try await table.insert(["id": 1])
            try await store.tableRename("t", to: "u")
            let feed = try await store.table("u").changes(.with { $0.since = start }).start()
            #expect(try await take(1, from: feed).documents == [["old_val": .null, "new_val": ["id": 1]]])
        }
    }

    @Test("A row changed outside DocStore makes a feed fail with a clear error, not a wrong document")
    func changedOutside() async throws {
        try await withLoggedTable { table, _, path in
            let start = try await table.latestSequence()
            try await table.insert(["id": 1])
            _ = try sqlite3Shell(path, #"UPDATE t SET doc = '{"id":1,"x":1}', change_seq = NULL"#)
            await #expect(performing: {
                let feed = try await table.changes(.with { $0.since = start }).start()
                _ = try await take(1, from: feed)
            }, throws: { error in
                ((error as? DocumentStoreError)?.message ?? "").contains("has lost its new document")
            })
        }
    }

    @Test("A version-4 file keeps its log through the migration: its records and its sequence, its table gaining links")
    func migrateVersionFour() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("old.sqlite")
        // A version-4 file whose log numbered records up to 7 and kept only 1 and 2.
        let schema = Migrator.migrations.prefix(4).map { String(decoding: $0.sql, as: UTF8.self) }.joined(separator: "\n")
        _ = try sqlite3Shell(path, """
            PRAGMA journal_mode = WAL; \(schema)
            INSERT INTO docstore_tables (name, uuid, change_log) VALUES ('t', '00000000-0000-4000-8000-000000000000', 1);
            CREATE TABLE "t" (id NOT NULL PRIMARY KEY, doc TEXT NOT NULL);
            INSERT INTO t VALUES (1, '{"id":1,"v":2}');
            INSERT INTO "docstore$changes" (seq, table_name, key, old_doc, new_doc, at) VALUES
                (1, 't', 1, NULL, '{"id":1,"v":1}', 0), (2, 't', 1, '{"id":1,"v":1}', '{"id":1,"v":2}', 0);
            UPDATE sqlite_sequence SET seq = 7 WHERE name = 'docstore$changes';
            PRAGMA application_id = 1148150611; PRAGMA user_version = 4;
            """)
        let store = try DocumentStore(path: path)
        #expect(try sqlite3Shell(path, "PRAGMA user_version") == "5\n")
        #expect(!(try sqlite3Shell(path, #".schema "docstore$changes""#)).contains("AUTOINCREMENT"))
        let table = store.table("t")
        try await table.document(1).update(["v": 3])
        // Numbered after every sequence the old log took; the migrated table links its rows.
        #expect(try sqlite3Shell(path, #"SELECT seq, new_doc, (SELECT change_seq FROM t) FROM "docstore$changes" WHERE seq > 2"#) == "8||8\n")
        #expect(try sqlite3Shell(path, "SELECT change_links FROM docstore_tables") == "1\n")
        let feed = try await table.changes(.with { $0.since = 0 }).start()
        #expect(try await take(3, from: feed).map { $0.newValue?["v"] } == [1, 2, 3])
    }
}
