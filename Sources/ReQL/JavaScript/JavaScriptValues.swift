import DocumentModel

/// The datums RethinkDB will not hand to JavaScript (`construct_js_from_datum`). Times go over
/// as Dates and every other pseudotype (geometry) as the plain object it is.
enum JavaScriptValues {
    static func checkArgument(_ value: Document) throws(ReqlError) {
        switch value {
        case .object(let object):
            switch object["$reql_type$"]?.stringValue {
            case "MINVAL": throw .runtime(.queryLogic, "`r.minval` cannot be passed to `r.js`.")
            case "MAXVAL": throw .runtime(.queryLogic, "`r.maxval` cannot be passed to `r.js`.")
            case "BINARY": throw .runtime(.queryLogic, "`r.binary` data cannot be used in `r.js`.")
            default: break
            }
            for element in object.values { try checkArgument(element) }
        case .array(let elements):
            for element in elements { try checkArgument(element) }
        default:
            break
        }
    }
}
