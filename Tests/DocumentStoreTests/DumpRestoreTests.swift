import DocumentModel
import Foundation
import Spawn
import Testing
@testable import DocumentStore

/// `DocumentStore.dump(to:tables:)` and `restore(from:options:)`: RethinkDB's dump archives.
@Suite("Dump and restore archives")
struct DumpRestoreTests {
    static let heroes: [Document] = [
        ["name": "iron-man", "team": "avengers", "tags": ["armor", "genius"], "address": ["city": "Malibu"]],
        ["name": "thor", "team": "avengers", "tags": ["hammer"], "address": ["city": "Asgard"], "n": 1.5],
        ["name": "storm", "team": "x-men", "tags": [], "bio": "Ünïcode 😀 \"quoted\"\n"],
    ]

    /// A file with `marvel` (primary key `name`, four kinds of index) and an empty `empty`.
    static func fill(_ store: DocumentStore) async throws {
        try await store.tableCreate("marvel", primaryKey: "name")
        try await store.tableCreate("empty")
        let marvel = store.table("marvel")
        try await marvel.insert(heroes)
        try await marvel.indexCreate("team")
        try await marvel.indexCreate("tags", multi: true)
        try await marvel.indexCreate("city", .field("address", "city"))
        try await marvel.indexCreate("teamCity", .compound(["team"], ["address", "city"]))
        _ = try await marvel.indexWait()
    }

    static func contents(_ table: Table) async throws -> [Document] {
        var documents: [Document] = []
        for try await document in table.orderBy(index: try await table.primaryKey()) { documents.append(document) }
        return documents
    }

    /// What a restore must keep of an index: its name, definition bytes, flags and query text.
    static func definition(_ status: IndexStatus) -> Document {
        [.string(status.index), .string(status.query), .bool(status.multi), .bool(status.geo), binary(status.function)]
    }

    static func binary(_ bytes: [UInt8]) -> Document {
        ["$reql_type$": "BINARY", "data": .string(IndexDefinitionBlob.base64(bytes))]
    }

    @Test("A table's write hook travels in the dump and is set again by restore; it then applies to new writes")
    func writeHookRoundTrip() async throws {
        let directory = try TemporaryDirectory()
        let source = try DocumentStore(path: directory.path("source.sqlite"))
        try await source.tableCreate("posts")
        // new.merge({"checked": true}): a hook whose effect a later insert shows.
        let hook = try WriteHook(reql: try Document(parsing: #"[69,[[2,[1,2,3]],[35,[[10,[3]],{"checked":true}]]]]"#))
        _ = try await source.table("posts").setWriteHook(hook)
        let archive = directory.path("dump.tar.gz")
        _ = try await source.dump(to: archive)
        let copy = try DocumentStore(path: directory.path("copy.sqlite"))
        let restored = try await copy.restore(from: archive)
        #expect(restored.skippedWriteHooks.isEmpty)
        #expect(try await copy.table("posts").writeHook() == hook)
        try await copy.table("posts").insert(["id": 1])
        #expect(try await copy.table("posts").get(1) == ["id": 1, "checked": true])
    }

    @Test("A write hook in a form DocStore cannot read is reported with its query and skipped; the documents are restored")
    func foreignWriteHookIsSkipped() async throws {
        let directory = try TemporaryDirectory()
        let source = try DocumentStore(path: directory.path("source.sqlite"))
        try await source.tableCreate("posts")
        try await source.table("posts").insert(["id": 1])
        let hook = try WriteHook(reql: try Document(parsing: #"[69,[[2,[1,2,3]],[10,[3]]]]"#))
        _ = try await source.table("posts").setWriteHook(hook)
        // A hook made by RethinkDB: its own prefix, then bytes DocStore does not decode.
        let foreign: Document = ["function": ["$reql_type$": "BINARY", "data": "JHJlcWxfd3JpdGVfaG9va19mdW5jdGlvbiQAAQID"],
                                 "query": "setWriteHook(function(var1, var2, var3) { return var3; })"]
        let restoredHook = try await source.table("posts").restoreWriteHook(foreign)
        #expect(restoredHook?.contains("setWriteHook(function(var1, var2, var3) { return var3; })") == true)
        #expect(try await source.table("posts").writeHook() == hook)
    }

    @Test("A dump restored into a new file gives the same tables, documents and index definitions")
    func roundTrip() async throws {
        let directory = try TemporaryDirectory()
        let source = try DocumentStore(path: directory.path("source.sqlite"))
        try await Self.fill(source)
        let archive = directory.path("dump.tar.gz")
        let dumped = try await source.dump(to: archive)
        #expect(dumped.tables == ["test.empty", "test.marvel"] && dumped.documents == 3 && dumped.indexes == 4)
        let copy = try DocumentStore(path: directory.path("copy.sqlite"))
        let restored = try await copy.restore(from: archive)
        #expect(restored.tables == dumped.tables && restored.documents == 3 && restored.indexes == 4)
        #expect(restored.skippedIndexes.isEmpty && restored.skippedWriteHooks.isEmpty)
        #expect(try await copy.tableList() == ["empty", "marvel"])
        for name in ["marvel", "empty"] {
            let original = source.table(name), restoredTable = copy.table(name)
            #expect(try await restoredTable.primaryKey() == original.primaryKey())
            let documents = try await Self.contents(original)
            #expect(try await Self.contents(restoredTable) == documents)
            let before = try await original.indexStatus().map(Self.definition)
            #expect(try await restoredTable.indexStatus().map(Self.definition) == before)
        }
        let marvel = copy.table("marvel")
        #expect(try await marvel.getAll(["hammer"], index: "tags").map { $0["name"] } == ["thor"])
        #expect(try await marvel.getAll([["avengers", "Malibu"]], index: "teamCity").map { $0["name"] } == ["iron-man"])
    }

    @Test("The archive has RethinkDB's layout: one top directory, <db>/<table>.json arrays and .info objects")
    func layout() async throws {
        let directory = try TemporaryDirectory()
        let store = try DocumentStore(path: directory.path("source.sqlite"))
        try await Self.fill(store)
        try await store.dump(to: directory.path("dump.tar.gz"), tables: ["test.marvel", "empty"])
        let listing = try Spawn.output("tar", ["tzf", directory.path("dump.tar.gz")]).split(separator: "\n").map(String.init)
        #expect(listing.count == 4)
        let top = listing[0].split(separator: "/")[0]
        #expect(top.hasPrefix("rethinkdb_dump_") && listing.allSatisfy { $0.hasPrefix(top + "/test/") })
        #expect(Set(listing.map { String($0.dropFirst(top.count + 6)) }) == ["marvel.json", "marvel.info", "empty.json", "empty.info"])
        _ = try Spawn.output("tar", ["xzf", directory.path("dump.tar.gz"), "-C", directory.url.path])
        let folder = directory.path("\(top)/test")
        let empty = try String(contentsOfFile: folder + "/empty.json", encoding: .utf8)
        #expect(empty == "[\n]\n")
        let data = try String(contentsOfFile: folder + "/marvel.json", encoding: .utf8)
        #expect(data.hasPrefix("[\n{") && data.hasSuffix("}\n]\n") && data.split(separator: "\n").count == 5)
        let ascii = data.utf8.allSatisfy { $0 < 0x80 }
        #expect(ascii)
        let sorted = Self.heroes.sorted { ($0["name"]?.stringValue ?? "") < ($1["name"]?.stringValue ?? "") }
        let parsed = try Document(parsing: Array(data.utf8))
        #expect(parsed == .array(sorted), "\(parsed.jsonString) vs \(Document.array(sorted).jsonString)")
        let info = try Document(parsing: Array(try String(contentsOfFile: folder + "/marvel.info", encoding: .utf8).utf8))
        #expect(info["primary_key"] == "name" && info["name"] == "marvel" && info["type"] == "TABLE" && info["write_hook"] == .null)
        #expect(info["db"]?["name"] == "test" && info["doc_count_estimates"] == [3])
        #expect(info["indexes"]?.arrayValue?.compactMap { $0["index"]?.stringValue } == ["city", "tags", "team", "teamCity"])
    }

    /// An archive made with the `tar` tool, as `rethinkdb dump` makes it, with a RethinkDB
    /// definition (backtrace ids, the minidriver's variable) and files the tools ignore.
    static func handMadeArchive(in directory: borrowing TemporaryDirectory, extraDatabase: Bool = false,
                                index: [UInt8] = IndexBlobTests.rethinkBlob(parameters: [-19], body: #"[31,[[10,[[1,-19,0]],0],[1,"team",0]],0]"#)) throws -> String {
        let top = directory.path("rethinkdb_dump_2024-05-01T10:00:00")
        for database in extraDatabase ? ["heroes", "other"] : ["heroes"] {
            try FileManager.default.createDirectory(atPath: top + "/" + database, withIntermediateDirectories: true)
            let info: Document = [
                "db": ["id": "5fc8a4bc-3d1d-4b62-b0f3-63fd2a6f2a4c", "name": .string(database), "type": "DB"],
                "doc_count_estimates": [2], "id": "a2f1c0d5-8e8c-4f47-9d25-1b7e36b3f0a1", "name": "marvel",
                "primary_key": "hero", "type": "TABLE", "write_hook": .null,
                "indexes": [["index": "team", "ready": true, "multi": false, "geo": false, "outdated": false,
                             "function": binary(index), "query": "indexCreate('team', function(var1) { return var1(\"team\"); })"]],
            ]
            // json.dumps's separators, as the Python tools write it.
            try (info.jsonString.replacingOccurrences(of: "\",\"", with: "\", \"") + "\n").write(toFile: top + "/\(database)/marvel.info", atomically: true, encoding: .utf8)
            try "[\n{\"hero\": \"thor\", \"team\": \"avengers\"},\n{\"hero\": \"storm\", \"team\": \"x-men\", \"name\": \"\\u00dcn\\u00efcode\"}\n]\n"
                .write(toFile: top + "/\(database)/marvel.json", atomically: true, encoding: .utf8)
            try "ignored".write(toFile: top + "/\(database)/notes.txt", atomically: true, encoding: .utf8)
            try "[]".write(toFile: top + "/\(database)/orphan.json", atomically: true, encoding: .utf8)
        }
        let archive = directory.path("rethinkdb.tar.gz")
        _ = try Spawn.output("tar", ["czf", archive, "-C", directory.url.path, "rethinkdb_dump_2024-05-01T10:00:00"])
        return archive
    }

    @Test("An archive in RethinkDB's layout restores its tables, primary keys and indexes")
    func restoresRethinkDBArchive() async throws {
        let directory = try TemporaryDirectory()
        let archive = try Self.handMadeArchive(in: directory)
        let store = try DocumentStore(path: directory.path("store.sqlite"))
        let summary = try await store.restore(from: archive)
        #expect(summary.tables == ["heroes.marvel"] && summary.documents == 2 && summary.indexes == 1)
        let marvel = store.table("marvel")
        #expect(try await marvel.primaryKey() == "hero")
        #expect(try await marvel.get("storm")?["name"] == "Ünïcode")
        #expect(try await marvel.getAll(["avengers"], index: "team").map { $0["hero"] } == ["thor"])
        #expect(try await store.tableList() == ["marvel"])
    }

    @Test("Existing tables stop a restore unless forced; forced, the archive's documents replace the stored ones")
    func force() async throws {
        let directory = try TemporaryDirectory()
        let archive = try Self.handMadeArchive(in: directory)
        let store = try DocumentStore(path: directory.path("store.sqlite"))
        try await store.tableCreate("marvel", primaryKey: "hero")
        try await store.table("marvel").insert(["hero": "thor", "team": "asgard"])
        await #expect(throws: DocumentStoreError(.opFailed, "Table 'heroes.marvel' already exists, run with --force to import into the existing table")) {
            try await store.restore(from: archive)
        }
        #expect(try await store.table("marvel").count() == 1)
        try await store.restore(from: archive, options: RestoreOptions(force: true))
        #expect(try await store.table("marvel").get("thor")?["team"] == "avengers")
        #expect(try await store.table("marvel").count() == 2)
    }

    @Test("A table with another primary key is refused even when forced")
    func primaryKeyMismatch() async throws {
        let directory = try TemporaryDirectory()
        let archive = try Self.handMadeArchive(in: directory)
        let store = try DocumentStore(path: directory.path("store.sqlite"))
        try await store.tableCreate("marvel")
        await #expect(throws: DocumentStoreError(.opFailed, "Table 'heroes.marvel' already exists with a different primary key: id (expected: hero)")) {
            try await store.restore(from: archive, options: RestoreOptions(force: true))
        }
    }

    @Test("Without secondary indexes only the documents are restored")
    func noSecondaryIndexes() async throws {
        let directory = try TemporaryDirectory()
        let archive = try Self.handMadeArchive(in: directory)
        let store = try DocumentStore(path: directory.path("store.sqlite"))
        let summary = try await store.restore(from: archive, options: RestoreOptions(secondaryIndexes: false))
        #expect(summary.indexes == 0 && summary.documents == 2)
        #expect(try await store.table("marvel").indexList().isEmpty)
    }

    @Test("An index DocStore cannot read is skipped with its reason; the documents are restored")
    func unreadableIndex() async throws {
        let directory = try TemporaryDirectory()
        let old = IndexBlobTests.rethinkBlob(parameters: [1], body: "[1,1,0]", cluster: 5)
        let archive = try Self.handMadeArchive(in: directory, index: old)
        let store = try DocumentStore(path: directory.path("store.sqlite"))
        let summary = try await store.restore(from: archive)
        #expect(summary.documents == 2 && summary.indexes == 0)
        #expect(summary.skippedIndexes["heroes.marvel.team"]?.contains("RethinkDB 2.2 or later") == true)
        #expect(try await store.table("marvel").indexList().isEmpty)
    }

    @Test("Tables of two databases need a choice, which the table filter makes")
    func severalDatabases() async throws {
        let directory = try TemporaryDirectory()
        let archive = try Self.handMadeArchive(in: directory, extraDatabase: true)
        let store = try DocumentStore(path: directory.path("store.sqlite"))
        await #expect(throws: DocumentStoreError(.queryLogic, "The archive holds tables of the databases `heroes`, `other`, and a DocStore file holds one database: choose one (`-i DB`, RestoreOptions.tables).")) {
            try await store.restore(from: archive)
        }
        #expect(try await store.tableList().isEmpty)
        let summary = try await store.restore(from: archive, options: RestoreOptions(tables: ["other"]))
        #expect(summary.tables == ["other.marvel"])
    }

    @Test("Dumping a table or database the file does not have is RethinkDB's error, and writes no archive")
    func dumpSelectionErrors() async throws {
        let directory = try TemporaryDirectory()
        let store = try DocumentStore(path: directory.path("source.sqlite"))
        try await Self.fill(store)
        let archive = directory.path("dump.tar.gz")
        await #expect(throws: DocumentStoreError(.opFailed, "Database `heroes` does not exist.")) {
            try await store.dump(to: archive, tables: ["heroes.marvel"])
        }
        await #expect(throws: DocumentStoreError(.opFailed, "Table `test.dc` does not exist.")) {
            try await store.dump(to: archive, tables: ["dc"])
        }
        #expect(!FileManager.default.fileExists(atPath: archive))
    }
}
