import DocumentModel

/// RethinkDB's `r.minval` and `r.maxval` inside documents: pseudotype objects no stored
/// document may hold (the library refuses them with RethinkDB's message), and that may not be
/// sent to a client either.
package enum Bound {
    package static let minval: Document = ["$reql_type$": "MINVAL"]
    package static let maxval: Document = ["$reql_type$": "MAXVAL"]

    /// RethinkDB refuses to send them to a client.
    package static func checkOutput(_ value: Document) throws(ReqlError) {
        switch value {
        case .object(let object):
            if let type = object["$reql_type$"]?.stringValue, type == "MINVAL" || type == "MAXVAL" {
                throw .runtime(.queryLogic, "Cannot convert `r.\(type.lowercased())` to JSON.")
            }
            for element in object.values { try checkOutput(element) }
        case .array(let elements):
            for element in elements { try checkOutput(element) }
        default:
            break
        }
    }
}
