import DocumentModel
import Foundation
import Testing
@testable import DocumentStore

/// `index_status`'s `function` in RethinkDB 2.4's `$reql_index_function$` bytes. The expected
/// bytes are assembled here from RethinkDB's serializers (`serialize_sindex_info`,
/// `wire_func_t`, `serialize_term_tree` with the preprocessed term JSON), not from DocStore.
@Suite("RethinkDB index function blobs")
struct IndexBlobTests {
    /// A blob as RethinkDB 2.4 writes it: cluster version 9, ReQL versions 7, a ReQL function
    /// with no captured scope, the parameter ids, the body's JSON with its NUL, a backtrace id.
    static func rethinkBlob(parameters: [Int64], body: String, backtrace: UInt32 = 0, multi: Bool = false,
                            geo: Bool = false, cluster: UInt8 = 9, kind: UInt8 = 0) -> [UInt8] {
        var bytes = Array("$reql_index_function$".utf8)
        bytes += [cluster, 7, 7, 7, kind, 0, 0, 0, 0, 0, UInt8(parameters.count)]
        for id in parameters { bytes += withUnsafeBytes(of: id.littleEndian, Array.init) }
        let json = Array(body.utf8) + [0]
        bytes += withUnsafeBytes(of: Int32(json.count).littleEndian, Array.init)
        bytes += json
        bytes += withUnsafeBytes(of: backtrace.littleEndian, Array.init)
        bytes += [multi ? 1 : 0, geo ? 1 : 0]
        return bytes
    }

    @Test("indexStatus gives r.row('team') in RethinkDB 2.4's bytes")
    func encodesField() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.indexCreate("team")
            let status = try await marvel.indexStatus(["team"])[0]
            // function(var1) { return var1("team"); }: BRACKET(170) of VAR(10) 1 and "team".
            let expected = Self.rethinkBlob(parameters: [1], body: #"[170,[[10,[[1,1,0]],0],[1,"team",0]],0]"#)
            #expect(status.function == expected)
        }
    }

    @Test("A multi index over a MAKE_ARRAY with an object literal and an optarg keeps every term's shape")
    func encodesShapes() async throws {
        try await withMarvel { marvel, _ in
            // function(x) { return [x("a"), {"k": 1}].default(null, ...) } with an optarg:
            // r.expr([x("a"), {k: 1}]) as MAKE_ARRAY, MAKE_OBJ, and SLICE with right_bound.
            let term = try Document(parsing: #"[69,[[2,[7]],[30,[[2,[[170,[[10,[7]],"a"]],{"k":1}]],0,1],{"right_bound":"closed"}]]]"#)
            try await marvel.indexCreate("shapes", try IndexFunction(reql: term), multi: true)
            let status = try await marvel.indexStatus(["shapes"])[0]
            let body = #"[30,[[2,[[170,[[10,[[1,7,0]],0],[1,"a",0]],0],[3,{"k":[1,1,0]},0]],0],[1,0,0],[1,1,0]],{"right_bound":[1,"closed",0]},0]"#
            #expect(status.function == Self.rethinkBlob(parameters: [7], body: body, multi: true))
        }
    }

    @Test("A definition written by RethinkDB (backtrace ids, minidriver variable -19) creates a working index")
    func decodesRethinkDB() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert([["id": 1, "team": "avengers", "tags": ["x", "y"]], ["id": 2, "team": "x-men", "tags": ["y"]]])
            // What RethinkDB stores for `index_create('team')`: GET_FIELD(31) of VAR -19.
            let byName = Self.rethinkBlob(parameters: [-19], body: #"[31,[[10,[[1,-19,0]],0],[1,"team",0]],0]"#)
            try await marvel.indexCreate("team", binary: byName)
            // A driver's function after preprocessing, with the query's own backtrace ids.
            let tags = Self.rethinkBlob(parameters: [3], body: #"[170,[[10,[[1,3,5]],4],[1,"tags",6]],3]"#, backtrace: 2, multi: true)
            try await marvel.indexCreate("tags", binary: tags)
            _ = try await marvel.indexWait()
            #expect(try await marvel.getAll(["avengers"], index: "team").compactMap { $0["id"]?.intValue } == [1])
            #expect(try await marvel.getAll(["y"], index: "tags").count == 2)
            let statuses = Dictionary(uniqueKeysWithValues: try await marvel.indexStatus().map { ($0.index, $0) })
            // Written back as RethinkDB would: same variable, backtrace ids 0.
            #expect(statuses["team"]?.function == byName)
            #expect(statuses["tags"]?.multi == true)
        }
    }

    @Test("A literal array and object in a RethinkDB definition become MAKE_ARRAY and MAKE_OBJ")
    func decodesLiterals() throws {
        let blob = Self.rethinkBlob(parameters: [1], body: #"[2,[[1,[1,2],0],[1,{"a":[3]},0],[3,{"b":[1,"c",0]},0]],0]"#)
        let function = try IndexFunction(binary: blob)
        #expect(function.term == (try Document(parsing: #"[69,[[2,[1]],[2,[[2,[1,2]],{"a":[2,[3]]},{"b":"c"}]]]]"#)))
    }

    @Test("Blobs DocStore wrote before it used RethinkDB's format are still read")
    func decodesLegacy() throws {
        let legacy = Array(#"$reql_index_function$docstore:{"function":[69,[[2,[1]],[170,[[10,[1]],"a"]]]],"geo":false,"multi":true}"#.utf8)
        let definition = try IndexDefinitionBlob.decode(legacy)
        #expect(definition.multi)
        #expect(definition.function == IndexFunction.field("a"))
    }

    static let refusedBlobs: [(String, [UInt8], String)] = [
        ("1.13", rethinkBlob(parameters: [1], body: "[1,1,0]", cluster: 1),
         "Attempted to import a RethinkDB 1.13 secondary index, which is no longer supported.  This secondary index may be updated by importing into RethinkDB 2.0."),
        ("truncated", Array(rethinkBlob(parameters: [1], body: "[1,1,0]").dropLast(3)),
         "Binary blob passed to index create could not be interpreted as a reql_index_function (Deserialization of sindex description failed with error archive_result_t::SOCK_EOF.)."),
        ("trailing", rethinkBlob(parameters: [1], body: "[1,1,0]") + [0],
         "Binary blob passed to index create could not be interpreted as a reql_index_function (An sindex description was incompletely deserialized.)."),
        ("future version", rethinkBlob(parameters: [1], body: "[1,1,0]", cluster: 10),
         "Binary blob passed to index create could not be interpreted as a reql_index_function (Unrecognized cluster serialization version.)."),
        ("two parameters", rethinkBlob(parameters: [1, 2], body: "[1,1,0]"),
         "Expected function with 1 argument but found function with 2 arguments."),
        ("nondeterministic", rethinkBlob(parameters: [1], body: "[151,0]"), "Index functions must be deterministic."),
    ]

    @Test("Definitions DocStore cannot use are refused with RethinkDB's messages", arguments: refusedBlobs)
    func refusals(_ name: String, _ blob: [UInt8], _ message: String) throws {
        #expect(performing: { try IndexDefinitionBlob.decode(blob) }, throws: DocumentStoreError.matching(message))
    }

    @Test("RethinkDB 2.1 and older definitions (protocol buffers) are refused with a way out")
    func refusesProtobuf() throws {
        let old = Self.rethinkBlob(parameters: [1], body: "[1,1,0]", cluster: 6)
        #expect(throws: DocumentStoreError.self) { _ = try IndexDefinitionBlob.decode(old) }
        do { _ = try IndexDefinitionBlob.decode(old) } catch let error as DocumentStoreError {
            #expect(error.message.contains("--no-secondary-indexes"))
        }
    }

    @Test("Every helper-built function survives encode and decode", arguments: [
        IndexFunction.field("a"), .field("address", "city"), .compound(["a"], ["b", "c"]),
    ])
    func roundTrip(_ function: IndexFunction) throws {
        let blob = IndexDefinitionBlob.encode(function, multi: false, geo: false)
        #expect(try IndexDefinitionBlob.decode(blob).function == function)
    }
}
