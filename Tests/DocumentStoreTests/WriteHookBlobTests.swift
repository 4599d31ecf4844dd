import DocumentModel
import Foundation
import Testing
@testable import DocumentStore

/// `get_write_hook`'s `function` in RethinkDB 2.4's bytes. The expected bytes are assembled
/// here from RethinkDB's serializers (`convert_write_hook_to_datum`: the prefix, then
/// `wire_func_t` at `LATEST_DISK` with no version header; `serialize_term_tree` with the
/// preprocessed term JSON), not from DocStore.
@Suite("RethinkDB write hook blobs")
struct WriteHookBlobTests {
    /// A hook as RethinkDB 2.4 writes it: a ReQL function with no captured scope, the
    /// parameter ids, the body's JSON with its NUL, a backtrace id.
    static func rethinkBlob(parameters: [Int64] = [1, 2, 3], body: String, backtrace: UInt32 = 0, kind: UInt8 = 0) -> [UInt8] {
        var bytes = Array("$reql_write_hook_function$".utf8)
        bytes += [kind, 0, 0, 0, 0, 0, UInt8(parameters.count)]
        for id in parameters { bytes += withUnsafeBytes(of: id.littleEndian, Array.init) }
        let json = Array(body.utf8) + [0]
        bytes += withUnsafeBytes(of: Int32(json.count).littleEndian, Array.init)
        bytes += json
        bytes += withUnsafeBytes(of: backtrace.littleEndian, Array.init)
        return bytes
    }

    /// `lambda ctx, old, new: new.merge({"num": 2})` as a driver sends it.
    static let merging = #"[69,[[2,[1,2,3]],[35,[[10,[3]],{"num":2}]]]]"#
    /// The same body preprocessed: MERGE(35) of VAR(10) 3 and MAKE_OBJ(3), datums as [1, value, bt].
    static let mergingStored = #"[35,[[10,[[1,3,0]],0],[3,{"num":[1,2,0]},0]],0]"#

    static func uninterpretable(_ reason: String) -> DocumentStoreError {
        DocumentStoreError(.queryLogic, "Binary blob passed to set_write_hook could not be interpreted as a reql_write_hook_function (\(reason)).")
    }

    @Test("binary is RethinkDB 2.4's bytes for new.merge({num: 2})")
    func encodesMerge() throws {
        let hook = try WriteHook(reql: try Document(parsing: Self.merging))
        #expect(hook.binary == Self.rethinkBlob(body: Self.mergingStored))
    }

    @Test("get_write_hook's function is RethinkDB's bytes, for r.branch over old and ctx too")
    func encodesThroughTable() async throws {
        try await withMarvel { marvel, _ in
            // lambda ctx, old, new: r.branch(old.eq(None), new, ctx["timestamp"]), variables 4, 5, 6.
            let term = #"[69,[[2,[4,5,6]],[65,[[17,[[10,[5]],null]],[10,[6]],[170,[[10,[4]],"timestamp"]]]]]]"#
            try await marvel.setWriteHook(try WriteHook(reql: try Document(parsing: term)))
            let stored = try #require(try await marvel.writeHook())
            let data = try #require(stored.document["function"]?["data"]?.stringValue)
            let body = #"[65,[[17,[[10,[[1,5,0]],0],[1,null,0]],0],[10,[[1,6,0]],0],[170,[[10,[[1,4,0]],0],[1,"timestamp",0]],0]],0]"#
            #expect(Array(try #require(Data(base64Encoded: data))) == Self.rethinkBlob(parameters: [4, 5, 6], body: body))
        }
    }

    @Test("A hook RethinkDB serialised (backtrace ids, its own variable ids) sets a working hook")
    func decodesRethinkDB() async throws {
        try await withMarvel { marvel, _ in
            let body = #"[35,[[10,[[1,9,4]],3],[3,{"num":[1,2,6]},5]],2]"#
            let hook = try WriteHook(binary: Self.rethinkBlob(parameters: [7, 8, 9], body: body, backtrace: 1))
            #expect(hook.term == (try Document(parsing: #"[69,[[2,[7,8,9]],[35,[[10,[9]],{"num":2}]]]]"#)))
            try await marvel.setWriteHook(hook)
            try await marvel.insert(["id": 1])
            #expect(try await marvel.get(1) == ["id": 1, "num": 2])
        }
    }

    @Test("Writing and reading back gives the same hook",
          arguments: [merging,
                      #"[69,[[2,[1,2,3]],[65,[[17,[[10,[3]],null]],null,[35,[[10,[3]],{"pk":[170,[[10,[1]],"primary_key"]],"old":[10,[2]]}]]]]]]"#,
                      #"[69,[[2,[1,2,3]],[10,[3]]]]"#])
    func roundTrip(term: String) throws {
        let hook = try WriteHook(reql: try Document(parsing: term))
        #expect(try WriteHook(binary: hook.binary) == hook)
    }

    @Test("Hooks DocStore wrote before it used RethinkDB's format are still read")
    func decodesLegacy() throws {
        let legacy = Array(#"$reql_write_hook_function$docstore:{"function":"#.utf8) + Array(Self.merging.utf8) + Array("}".utf8)
        #expect(try WriteHook(binary: legacy) == (try WriteHook(reql: try Document(parsing: Self.merging))))
        #expect(throws: Self.uninterpretable("a DocStore hook that is not JSON")) {
            try WriteHook(binary: Array(#"$reql_write_hook_function$docstore:{"function""#.utf8))
        }
    }

    @Test("Every truncation of a hook is refused, none sets a broken hook")
    func refusesTruncated() throws {
        let whole = Self.rethinkBlob(body: Self.mergingStored)
        let prefix = Array("$reql_write_hook_function$".utf8).count
        for end in prefix..<whole.count {
            #expect(throws: DocumentStoreError.self) { try WriteHook(binary: Array(whole[..<end])) }
        }
        #expect(throws: Self.uninterpretable("Deserialization of write hook function failed with error archive_result_t::SOCK_EOF.")) {
            try WriteHook(binary: Array(whole.dropLast()))
        }
        #expect(throws: Self.uninterpretable("bytes follow the function")) {
            try WriteHook(binary: whole + [0])
        }
    }

    @Test("A JavaScript hook, an unknown function kind and a hook of two arguments get RethinkDB's texts")
    func refusesOtherFunctions() throws {
        #expect(throws: DocumentStoreError(.queryLogic, "Could not prove function deterministic.  Write hook functions must be deterministic.")) {
            try WriteHook(binary: Self.rethinkBlob(body: Self.mergingStored, kind: 1))
        }
        #expect(throws: Self.uninterpretable("Deserialization of write hook function failed with error archive_result_t::RANGE_ERROR.")) {
            try WriteHook(binary: Self.rethinkBlob(body: Self.mergingStored, kind: 2))
        }
        #expect(throws: DocumentStoreError(.queryLogic, "Write hook functions must expect 3 arguments.")) {
            try WriteHook(binary: Self.rethinkBlob(parameters: [1, 2], body: #"[10,[[1,2,0]],0]"#))
        }
    }
}
