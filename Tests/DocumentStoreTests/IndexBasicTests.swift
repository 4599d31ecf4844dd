import Foundation
import Testing
@testable import DocumentStore

/// Index definitions: create, list, drop, rename, status, and RethinkDB's errors for each.
@Suite("Secondary index definitions")
struct IndexBasicTests {
    @Test("indexCreate on an empty table is ready at once, and getAll finds documents inserted afterwards")
    func createThenInsert() async throws {
        try await withMarvel { marvel, _ in
            #expect(try await marvel.indexCreate("team").document == ["created": 1])
            try await marvel.insert([["id": 1, "team": "avengers"], ["id": 2, "team": "x-men"], ["id": 3, "team": "avengers"]])
            let avengers = try await marvel.getAll(["avengers"], index: "team")
            #expect(avengers.compactMap { $0["id"]?.intValue } == [1, 3])
            #expect(try await marvel.getAll(["nobody"], index: "team").isEmpty)
            #expect(try await marvel.indexList() == ["team"])
            #expect(try await marvel.config().document["indexes"] == ["team"])
        }
    }

    @Test("indexCreate refuses an existing name and the primary key's name, with RethinkDB's texts")
    func createErrors() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.indexCreate("team")
            await #expect(throws: DocumentStoreError(.opFailed, "Index `team` already exists on table `test.marvel`.")) {
                try await marvel.indexCreate("team")
            }
            await #expect(throws: DocumentStoreError(.queryLogic, "Index name conflict: `id` is the name of the primary key.")) {
                try await marvel.indexCreate("id")
            }
            await #expect(throws: DocumentStoreError.tableDoesNotExist("test", "nothing")) {
                try await marvel.store.table("nothing").indexCreate("team")
            }
            #expect(try await marvel.indexList() == ["team"])
        }
    }

    @Test("IndexFunction(reql:) refuses what is not a deterministic function of one argument")
    func functionErrors() throws {
        #expect(throws: DocumentStoreError(.queryLogic, "Expected type FUNCTION but found DATUM.")) {
            try IndexFunction(reql: "email")
        }
        // r.now() inside the function: RethinkDB refuses it for indexes.
        #expect(throws: DocumentStoreError(.queryLogic, "Index functions must be deterministic.")) {
            try IndexFunction(reql: try Document(parsing: "[69,[[2,[1]],[103,[]]]]"))
        }
        // r.table("x") inside the function.
        #expect(throws: DocumentStoreError(.queryLogic, "Index functions must be deterministic.")) {
            try IndexFunction(reql: try Document(parsing: #"[69,[[2,[1]],[15,["x"]]]]"#))
        }
        #expect(throws: DocumentStoreError(.queryLogic, "Expected function with 1 argument but found function with 2 arguments.")) {
            try IndexFunction(reql: try Document(parsing: "[69,[[2,[1,2]],[10,[1]]]]"))
        }
        #expect(try IndexFunction(reql: IndexFunction.field("email").term) == .field("email"))
    }

    @Test("indexDrop removes the index and its entry table; dropping again is RethinkDB's error")
    func drop() async throws {
        try await withFileStore { store, path in
            try await store.tableCreate("marvel")
            let marvel = store.table("marvel")
            try await marvel.indexCreate("team")
            #expect(try sqlite3Shell(path, ".tables").contains("marvel$team"))
            #expect(try await marvel.indexDrop("team").document == ["dropped": 1])
            #expect(!(try sqlite3Shell(path, ".tables").contains("marvel$team")))
            await #expect(throws: DocumentStoreError(.opFailed, "Index `team` does not exist on table `test.marvel`.")) {
                try await marvel.indexDrop("team")
            }
            await #expect(throws: DocumentStoreError(.opFailed, "Index `team` was not found on table `test.marvel`.")) {
                try await marvel.getAll(["x"], index: "team")
            }
        }
    }

    @Test("indexRename follows RethinkDB: same name renames 0, a taken name needs overwrite, the entries go along")
    func rename() async throws {
        try await withFileStore { store, path in
            try await store.tableCreate("marvel")
            let marvel = store.table("marvel")
            try await marvel.insert([["id": 1, "b": 1, "c": 2]])
            try await marvel.indexCreate("foo", .field("b"))
            try await marvel.indexCreate("bar", .field("c"))
            _ = try await marvel.indexWait()
            await #expect(throws: DocumentStoreError(.opFailed, "Index `foo` does not exist or index `bar` already exists on table `test.marvel`.")) {
                try await marvel.indexRename("foo", to: "bar")
            }
            await #expect(throws: DocumentStoreError(.opFailed, "Index `fake` does not exist or index `stuff` already exists on table `test.marvel`.")) {
                try await marvel.indexRename("fake", to: "stuff")
            }
            await #expect(throws: DocumentStoreError(.opFailed, "Index `fake` does not exist on table `test.marvel`.")) {
                try await marvel.indexRename("fake", to: "stuff", overwrite: true)
            }
            await #expect(throws: DocumentStoreError(.queryLogic, "Index name conflict: `id` is the name of the primary key.")) {
                try await marvel.indexRename("id", to: "stuff")
            }
            await #expect(throws: DocumentStoreError(.queryLogic, "Index name conflict: `id` is the name of the primary key.")) {
                try await marvel.indexRename("stuff", to: "id")
            }
            #expect(try await marvel.indexRename("foo", to: "foo").document == ["renamed": 0])
            #expect(try await marvel.indexRename("foo", to: "foo", overwrite: true).document == ["renamed": 0])
            #expect(try await marvel.indexRename("foo", to: "bar", overwrite: true).document == ["renamed": 1])
            #expect(try await marvel.indexList() == ["bar"])
            // `bar` is now the old `foo`: it indexes `b`.
            #expect(try await marvel.getAll([1], index: "bar").count == 1)
            #expect(try await marvel.getAll([2], index: "bar").isEmpty)
            #expect(try await marvel.indexRename("bar", to: "last").document == ["renamed": 1])
            let tables = try sqlite3Shell(path, ".tables")
            #expect(tables.contains("marvel$last") && !tables.contains("marvel$bar") && !tables.contains("marvel$foo"))
            #expect(try await marvel.getAll([1], index: "last").count == 1)
        }
    }

    @Test("Index names that differ only in case are two indexes, each with an entry table of its own")
    func caseDistinctNames() async throws {
        try await withFileStore { store, path in
            try await store.tableCreate("marvel")
            let marvel = store.table("marvel")
            try await marvel.indexCreate("a", .field("x"))
            try await marvel.indexCreate("A", .field("y"))
            try await marvel.insert([["id": 1, "x": 1, "y": 2]])
            #expect(try await marvel.getAll([1], index: "a").count == 1)
            #expect(try await marvel.getAll([2], index: "A").count == 1)
            #expect(try await marvel.getAll([1], index: "A").isEmpty)
            #expect(try await marvel.indexList() == ["A", "a"])
            let tables = try sqlite3Shell(path, ".tables")
            #expect(tables.contains("marvel$a") && tables.contains("marvel$A$2"))
        }
    }

    @Test("indexStatus reports each index as RethinkDB does, and its function recreates the index")
    func status() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert([["id": 1, "tags": ["a", "b"]]])
            try await marvel.indexCreate("tags", multi: true)
            let status = try await marvel.indexWait(["tags"])
            #expect(status.count == 1)
            #expect(status[0].index == "tags" && status[0].ready && status[0].multi && !status[0].geo && !status[0].outdated)
            #expect(status[0].progress == nil)
            #expect(status[0].query == #"indexCreate('tags', function(var1) { return var1("tags"); }, {multi: true})"#)
            #expect(status[0].document["function"]?.objectValue?.reqlType == "BINARY")
            try await marvel.indexCreate("copy", binary: status[0].function)
            _ = try await marvel.indexWait()
            #expect(try await marvel.getAll(["b"], index: "copy").count == 1)
            #expect(try await marvel.indexStatus(["copy"])[0].multi)
            await #expect(throws: DocumentStoreError(.opFailed, "Index `nope` was not found on table `test.marvel`.")) {
                try await marvel.indexStatus(["tags", "nope"])
            }
            await #expect(throws: DocumentStoreError(.queryLogic, "Cannot create an sindex except from a reql_index_function returned from `index_status` in the field `function`.")) {
                try await marvel.indexCreate("bad", binary: Array("hello".utf8))
            }
        }
    }

    @Test("Dropping a table drops its index tables; a table created again has no indexes")
    func tableDrop() async throws {
        try await withFileStore { store, path in
            try await store.tableCreate("marvel")
            try await store.table("marvel").indexCreate("team")
            try await store.tableDrop("marvel")
            #expect(!(try sqlite3Shell(path, ".tables").contains("marvel$team")))
            #expect(try sqlite3Shell(path, "SELECT count(*) FROM \"docstore$indexes\"") == "0\n")
            try await store.tableCreate("marvel")
            #expect(try await store.table("marvel").indexList().isEmpty)
        }
    }
}
