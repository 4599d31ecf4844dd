import DocumentModel
/// Checks a document built in Swift for what JSON text could not have held: non-finite numbers
/// and runaway nesting. Also notes what the write path needs (largest array, `-0`, pseudotypes).
struct DocumentCheck {
    var maxArrayCount = 0
    var needsSemanticCompare = false
    var maxDepth = JSONCanonicalizer.defaultMaxDepth

    /// The first problem's message, or nil when the document can be stored.
    mutating func validate(_ value: Document, depth: Int = 0) -> String? {
        switch value {
        case .number(let number):
            if !number.isFinite {
                return "Non-finite number: \(number.isNaN ? "nan" : number < 0 ? "-inf" : "inf")"
            }
            if number == 0 && number.sign == .minus { needsSemanticCompare = true }
        case .array(let elements):
            if depth >= maxDepth { return "Nesting depth limit exceeded (\(maxDepth) levels)." }
            maxArrayCount = max(maxArrayCount, elements.count)
            for element in elements {
                if let error = validate(element, depth: depth + 1) { return error }
            }
        case .object(let object):
            if depth >= maxDepth { return "Nesting depth limit exceeded (\(maxDepth) levels)." }
            if let type = object["$reql_type$"] {
                needsSemanticCompare = true
                // RethinkDB's query-only bounds, as a server passes them through (`r.minval`).
                if type == "MINVAL" || type == "MAXVAL" {
                    return "`r.minval` and `r.maxval` cannot be written to disk."
                }
            }
            for element in object.values {
                if let error = validate(element, depth: depth + 1) { return error }
            }
        case .null, .bool, .string:
            break
        }
        return nil
    }
}

