import DocumentModel
import Foundation

/// The `function` of `index_status`: RethinkDB gives an index's definition as a BINARY value
/// that `index_create` accepts back, which is how `rethinkdb dump`/`restore` carry indexes.
///
/// RethinkDB's blob is its prefix `$reql_index_function$` and its own serialization of the
/// function; DocStore's is the same prefix and a JSON object holding the function's wire form
/// and the flags (`{"function":[69,...],"geo":false,"multi":true}`), readable by anyone. A blob
/// made by RethinkDB is refused with RethinkDB's own message for a blob it cannot read.
enum IndexDefinitionBlob {
    static let prefix = Array("$reql_index_function$".utf8)
    /// What follows the prefix in DocStore's blobs, so a RethinkDB blob is told apart.
    private static let marker = Array("docstore:".utf8)

    static func encode(_ function: IndexFunction, multi: Bool, geo: Bool) -> [UInt8] {
        let payload: Document = ["function": function.term, "multi": .bool(multi), "geo": .bool(geo)]
        return prefix + marker + payload.jsonBytes
    }

    static func decode(_ bytes: [UInt8]) throws -> (function: IndexFunction, multi: Bool, geo: Bool) {
        guard bytes.starts(with: prefix) else {
            throw DocumentStoreError(.queryLogic, "Cannot create an sindex except from a reql_index_function returned from `index_status` in the field `function`.")
        }
        let rest = bytes.dropFirst(prefix.count)
        guard rest.starts(with: marker),
              let payload = try? Document(parsing: Array(rest.dropFirst(marker.count))),
              let term = payload["function"] else {
            throw DocumentStoreError(.queryLogic, "Binary blob passed to index create could not be interpreted as a reql_index_function (DocStore reads only the definitions it wrote itself; create the index from its function instead).")
        }
        return (try IndexFunction(reql: term), payload["multi"]?.boolValue ?? false, payload["geo"]?.boolValue ?? false)
    }

    /// Standard base64 with padding, as RethinkDB's BINARY values are written in JSON.
    static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}
