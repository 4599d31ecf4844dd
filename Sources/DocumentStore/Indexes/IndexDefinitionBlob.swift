import DocumentModel
import Foundation

/// The `function` of `index_status`: RethinkDB gives an index's definition as a BINARY value
/// that `index_create` accepts back, which is how `rethinkdb dump`/`restore` carry indexes.
///
/// DocStore writes RethinkDB 2.4's own bytes (``ReqlIndexFunctionBlob``), so a definition moves
/// between DocStore and a RethinkDB cluster in either direction. It still reads the JSON form
/// earlier DocStore versions wrote (the prefix, `docstore:`, then
/// `{"function":[69,...],"geo":false,"multi":true}`), which a client may have kept.
enum IndexDefinitionBlob {
    static let prefix = Array("$reql_index_function$".utf8)
    /// What follows the prefix in the blobs of earlier DocStore versions.
    private static let legacyMarker = Array("docstore:".utf8)

    static func encode(_ function: IndexFunction, multi: Bool, geo: Bool) -> [UInt8] {
        prefix + ReqlIndexFunctionBlob.encode(function, multi: multi, geo: geo)
    }

    static func decode(_ bytes: [UInt8]) throws -> (function: IndexFunction, multi: Bool, geo: Bool) {
        guard bytes.starts(with: prefix) else {
            throw DocumentStoreError(.queryLogic, "Cannot create an sindex except from a reql_index_function returned from `index_status` in the field `function`.")
        }
        let rest = bytes.dropFirst(prefix.count)
        guard rest.starts(with: legacyMarker) else {
            return try ReqlIndexFunctionBlob.decode(bytes, from: prefix.count)
        }
        guard let payload = try? Document(parsing: Array(rest.dropFirst(legacyMarker.count))),
              let term = payload["function"] else {
            throw DocumentStoreError(.queryLogic, "Binary blob passed to index create could not be interpreted as a reql_index_function (a DocStore definition that is not JSON).")
        }
        return (try IndexFunction(reql: term), payload["multi"]?.boolValue ?? false, payload["geo"]?.boolValue ?? false)
    }

    /// Standard base64 with padding, as RethinkDB's BINARY values are written in JSON.
    static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}
