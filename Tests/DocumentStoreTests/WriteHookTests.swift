import Foundation
import Testing
@testable import DocumentStore

/// RethinkDB 2.4's write hooks (`set_write_hook`, `get_write_hook`, `ignore_write_hook`), with
/// the rules and messages of its `write_hook.cc` and `btree.cc` (`apply_write_hook`).
@Suite("Write hooks")
struct WriteHookTests {
    /// The hook as a driver sends it: `lambda ctx, old, new: body`, variables 1, 2 and 3.
    static func hook(_ body: String) throws -> WriteHook {
        try WriteHook(reql: try Document(parsing: #"[69,[[2,[1,2,3]],"# + body + "]]"))
    }

    /// `new.merge({"num": 1, "pk": ctx["primary_key"], "t": ctx["timestamp"], "old": old})`.
    static let stamping = #"[35,[[10,[3]],{"num":1,"pk":[170,[[10,[1]],"primary_key"]],"t":[170,[[10,[1]],"timestamp"]],"old":[10,[2]]}]]"#
    /// `r.branch(new.eq(None), None, <stamping>)`: deletes stay deletes.
    static let stampingWrites = "[65,[[17,[[10,[3]],null]],null," + stamping + "]]"

    @Test("set answers created, then replaced; removing answers deleted, even with no hook")
    func setAnswers() async throws {
        try await withMarvel { marvel, _ in
            #expect(try await marvel.writeHook() == nil)
            let hook = try Self.hook(Self.stamping)
            #expect(try await marvel.setWriteHook(hook) == .created)
            #expect(try await marvel.setWriteHook(hook).document == ["replaced": 1])
            #expect(try await marvel.writeHook() == hook)
            #expect(try await marvel.setWriteHook(nil).document == ["deleted": 1])
            #expect(try await marvel.writeHook() == nil)
            #expect(try await marvel.setWriteHook(nil) == .deleted)
        }
    }

    @Test("get gives RethinkDB's {function: BINARY, query: \"setWriteHook(...)\"}; the binary sets the same hook")
    func getShape() async throws {
        try await withMarvel { marvel, store in
            let hook = try Self.hook(#"[35,[[10,[3]],{"num":2}]]"#)
            try await marvel.setWriteHook(hook)
            let stored = try #require(try await marvel.writeHook())
            #expect(stored.query == #"setWriteHook(function(var1, var2, var3) { return var3.merge({"num": 2}); })"#)
            let function = try #require(stored.document["function"])
            #expect(function["$reql_type$"] == "BINARY")
            let data = try #require(function["data"]?.stringValue)
            let bytes = Array(try #require(Data(base64Encoded: data)))
            #expect(bytes.starts(with: Array("$reql_write_hook_function$".utf8)))
            try await store.tableCreate("copy")
            try await store.table("copy").setWriteHook(try WriteHook(binary: bytes))
            try await store.table("copy").insert(["id": 1])
            #expect(try await store.table("copy").get(1) == ["id": 1, "num": 2])
        }
    }

    @Test("Binary data without the write hook prefix is refused with RethinkDB's text")
    func foreignBinary() {
        #expect(throws: DocumentStoreError(.queryLogic, "Cannot create a write hook except from a reql_write_hook_function returned from `get_write_hook`.")) {
            try WriteHook(binary: Array("$reql_index_function$x".utf8))
        }
    }

    @Test("A hook must be a deterministic function of three arguments",
          arguments: [
            ("1", "Expected type FUNCTION but found DATUM."),
            (#"[69,[[2,[1]],1]]"#, "Write hook functions must expect 3 arguments."),
            (#"[69,[[2,[1,2]],1]]"#, "Write hook functions must expect 3 arguments."),
            (#"[69,[[2,[1,2,3]],[11,["1"]]]]"#, "Could not prove function deterministic.  Write hook functions must be deterministic."),
            (#"[69,[[2,[1,2,3]],[103,[]]]]"#, "Could not prove function deterministic.  Write hook functions must be deterministic."),
            (#"[69,[[2,[1,2,3]],[15,["marvel"]]]]"#, "Could not prove function deterministic.  Write hook functions must be deterministic."),
            (#"[69,[[2,[1,2,3]],[151,[]]]]"#, "Could not prove function deterministic.  Write hook functions must be deterministic."),
          ])
    func validation(term: String, message: String) throws {
        #expect(throws: DocumentStoreError(.queryLogic, message)) {
            try WriteHook(reql: try Document(parsing: term))
        }
    }

    @Test("An insert stores what the hook returns, with the key and one timestamp for the whole write")
    func insertApplies() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.setWriteHook(try Self.hook(Self.stamping))
            let before = Date().timeIntervalSince1970
            let result = try await marvel.insert([["id": 1], ["id": "two", "name": "Thor"]])
            #expect(result.inserted == 2)
            let one = try #require(try await marvel.get(1))
            let two = try #require(try await marvel.get("two"))
            #expect(one["num"] == 1 && one["pk"] == 1 && one["old"] == .null)
            #expect(two["pk"] == "two" && two["name"] == "Thor")
            #expect(one["t"]?["$reql_type$"] == "TIME")
            #expect(one["t"] == two["t"])
            let epoch = try #require(one["t"]?["epoch_time"]?.doubleValue)
            #expect(epoch >= before.rounded(.down) && epoch <= Date().timeIntervalSince1970 + 1)
        }
    }

    @Test("A handle's writeHookTimestamp is the hook's ctx.timestamp for inserts, updates and deletes",
          arguments: [0.0, 978_307_200.5, 2_000_000_000.123])
    func givenTimestamp(epoch: Double) async throws {
        try await withMarvel { marvel, _ in
            try await marvel.setWriteHook(try Self.hook(Self.stamping))
            let stamped = marvel.writeHookTimestamp(Date(timeIntervalSince1970: epoch))
            try await stamped.insert(["id": 1])
            #expect(try await marvel.get(1)?["t"]?["epoch_time"] == .number(epoch))
            try await stamped.document(1).update(["b": 1])
            #expect(try await marvel.get(1)?["t"]?["epoch_time"] == .number(epoch))
            // The handle it came from keeps stamping each write with its own time.
            try await marvel.document(1).update(["c": 1])
            #expect(try await marvel.get(1)?["t"]?["epoch_time"] != .number(epoch))
        }
    }

    @Test("update, replace and insert conflicts give the hook the stored document and the result")
    func oldAndNew() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert([["id": 1, "a": 1], ["id": 2, "a": 2], ["id": 3, "a": 3]])
            try await marvel.setWriteHook(try Self.hook(Self.stampingWrites))
            try await marvel.document(1).update(["b": 1])
            try await marvel.document(2).replace(["id": 2, "c": 2])
            try await marvel.insert(["id": 3, "d": 3], conflict: .update)
            #expect(try await marvel.get(1)?["old"] == ["id": 1, "a": 1])
            #expect(try await marvel.get(1)?["b"] == 1)
            #expect(try await marvel.get(2)?["old"] == ["id": 2, "a": 2])
            #expect(try await marvel.get(2)?["a"] == nil)
            let three = try #require(try await marvel.get(3))
            #expect(three["a"] == 3 && three["d"] == 3 && three["old"] == ["id": 3, "a": 3])
            // A delete the hook keeps a delete.
            #expect(try await marvel.document(3).delete().deleted == 1)
        }
    }

    @Test("A duplicate key under conflict error fails before the hook, with the usual message")
    func duplicateBeforeHook() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1])
            try await marvel.setWriteHook(try Self.hook("[12,[\"hook ran\"]]"))
            let result = try await marvel.insert(["id": 1])
            #expect(result.errors == 1)
            #expect(result.firstError?.hasPrefix("Duplicate primary key `id`:") == true)
        }
    }

    @Test("The hook may not change the kind of write, and its errors fail only their document",
          arguments: [
            ("null", "insert", "A write hook function must not turn a replace/insert into a deletion."),
            ("null", "update", "A write hook function must not turn a replace/insert into a deletion."),
            ("{}", "delete", "A write hook function must not turn a deletion into a replace/insert."),
            (#"[12,["OH NOES!"]]"#, "insert", "Error in write hook: OH NOES!"),
            (#"[12,["OH NOES!"]]"#, "delete", "Error in write hook: OH NOES!"),
            (#"[170,[[10,[3]],"missing"]]"#, "insert", "Error in write hook: No attribute `missing` in object:\n{\n\t\"id\":\t5\n}"),
          ])
    func refusals(body: String, write: String, message: String) async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert([["id": 1], ["id": 2]])
            try await marvel.setWriteHook(try Self.hook(body))
            let result: WriteResult
            switch write {
            case "insert": result = try await marvel.insert(["id": 5])
            case "update": result = try await marvel.document(1).update(["x": 1])
            default: result = try await marvel.delete()
            }
            #expect(result.firstError == message)
            #expect(result.errors == (write == "delete" ? 2 : 1))
            #expect(result.inserted + result.replaced + result.deleted == 0)
            #expect(try await marvel.ignoringWriteHook.all.values().count == 2)
            #expect(try await marvel.get(1) == ["id": 1])
        }
    }

    @Test("A hook that changes the primary key fails the document with RethinkDB's replacement check")
    func keyChange() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.setWriteHook(try Self.hook(#"[35,[[10,[3]],{"id":99}]]"#))
            let result = try await marvel.insert(["id": 5])
            #expect(result.errors == 1)
            #expect(result.firstError?.hasPrefix("Primary key `id` cannot be changed") == true)
            #expect(try await marvel.count() == 0)
        }
    }

    @Test("ignoringWriteHook stores documents as given, for insert, update, replace and delete")
    func ignoring() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.setWriteHook(try Self.hook("null"))
            let raw = marvel.ignoringWriteHook
            #expect(try await raw.insert(["id": 1]).inserted == 1)
            #expect(try await raw.document(1).update(["a": 1]).replaced == 1)
            #expect(try await raw.document(1).replace(["id": 1, "b": 2]).replaced == 1)
            #expect(try await marvel.get(1) == ["id": 1, "b": 2])
            #expect(try await raw.document(1).delete().deleted == 1)
            // The handle it came from still applies the hook.
            #expect(try await marvel.insert(["id": 2]).errors == 1)
        }
    }

    @Test("Index entries and change records are made from what the hook returned")
    func indexesAndLog() async throws {
        try await withFileStore { store, path in
            try await store.tableCreate("marvel", changeLog: .on())
            let marvel = store.table("marvel")
            try await marvel.indexCreate("num")
            try await marvel.setWriteHook(try Self.hook(Self.stamping))
            try await marvel.insert(["id": 1])
            #expect(try await marvel.getAll([1], index: "num").count == 1)
            let logged = try sqlite3Shell(path, "select json_extract(new_doc, '$.num') from (\(ChangeLogStorage.shellQuery(table: "marvel")))")
            #expect(logged.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        }
    }

    @Test("A hook set through another store on the file (another process) applies to this one's next write")
    func otherStore() async throws {
        try await withFileStore { store, path in
            try await store.tableCreate("marvel")
            let marvel = store.table("marvel")
            try await marvel.insert(["id": 1])   // caches the table's definition
            let other = try DocumentStore(path: path)
            try await other.table("marvel").setWriteHook(try Self.hook(#"[35,[[10,[3]],{"num":7}]]"#))
            try await marvel.insert(["id": 2])
            #expect(try await marvel.get(2) == ["id": 2, "num": 7])
            try await other.table("marvel").setWriteHook(nil)
            try await marvel.insert(["id": 3])
            #expect(try await marvel.get(3) == ["id": 3])
        }
    }

    @Test("The hook is kept in the file's catalog as its term, and survives reopening")
    func persisted() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("store.sqlite")
        let hook = try Self.hook(#"[35,[[10,[3]],{"num":3}]]"#)
        do {
            let store = try DocumentStore(path: path)
            try await store.tableCreate("marvel")
            try await store.table("marvel").setWriteHook(hook)
        }
        let column = try sqlite3Shell(path, "select write_hook from docstore_tables where name = 'marvel'")
        #expect(try Document(parsing: column) == hook.term)
        let reopened = try DocumentStore(path: path)
        #expect(try await reopened.table("marvel").writeHook() == hook)
        try await reopened.table("marvel").insert(["id": 1])
        #expect(try await reopened.table("marvel").get(1) == ["id": 1, "num": 3])
    }

    @Test("A missing table is RethinkDB's error")
    func missingTable() async throws {
        _ = try await withFileStore { store, _ in
            await #expect(throws: DocumentStoreError(.opFailed, "Table `test.nope` does not exist.")) {
                try await store.table("nope").setWriteHook(nil)
            }
        }
    }
}
