import DocumentModel

/// `r.literal(...)`: inside an `update` or `merge` patch it replaces a field instead of merging
/// into it (and `r.literal()` with nothing removes the field). It travels inside documents as
/// a `LITERAL` pseudotype object until the merge consumes it; one left over is an error.
package enum Literal {
    package static func make(_ value: Document?) -> Document {
        var object: DocumentObject = ["$reql_type$": "LITERAL"]
        if let value { object["value"] = value }
        return .object(object)
    }

    package static func unwrap(_ value: Document) -> (isLiteral: Bool, value: Document?) {
        guard case .object(let object) = value, object["$reql_type$"]?.stringValue == "LITERAL" else {
            return (false, nil)
        }
        return (true, object["value"])
    }

    /// ReQL's merge: objects merge deeply, literals replace (or remove), anything else
    /// overwrites. A patch without literals is the library's `Document.merging`, so both
    /// layers merge alike; only the literal parts are handled here.
    ///
    /// A literal as the whole patch is not consumed: as in RethinkDB its fields merge like any
    /// object's, and the stray literal left in the result is then refused.
    package static func merge(_ base: Document, _ patch: Document) -> Document {
        guard containsLiteral(patch) else { return base.merging(patch) }
        guard case .object(var result) = base, case .object(let changes) = patch else { return patch }
        for (key, value) in changes {
            let (fieldIsLiteral, fieldValue) = unwrap(value)
            if fieldIsLiteral {
                result[key] = fieldValue
            } else if let existing = result[key], case .object = existing, case .object = value {
                result[key] = merge(existing, value)
            } else {
                result[key] = value
            }
        }
        return .object(result)
    }

    /// Whether a literal sits in `value` where a merge would consume it: the value itself, or
    /// a field of nested objects (literals inside arrays are stray, not merged).
    private static func containsLiteral(_ value: Document) -> Bool {
        guard case .object(let object) = value else { return false }
        if unwrap(value).isLiteral { return true }
        return object.values.contains(where: containsLiteral)
    }

    package static func rejectStray(in value: Document) throws(ReqlError) {
        switch value {
        case .object(let object):
            if unwrap(value).isLiteral {
                throw .runtime(.queryLogic, "Stray literal keyword found: literal is only legal inside of the object passed to merge or update and cannot nest inside other literals.")
            }
            for element in object.values { try rejectStray(in: element) }
        case .array(let elements):
            for element in elements { try rejectStray(in: element) }
        default:
            break
        }
    }
}
