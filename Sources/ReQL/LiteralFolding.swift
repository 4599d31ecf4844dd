import DocumentModel

/// Turns an object literal made only of data into the one value it evaluates to, when the
/// query is compiled, instead of a MAKE_OBJ term per object and a MAKE_ARRAY per array.
///
/// A driver sends every document of an `insert` as such a literal: `{"name": "x", "tags":
/// [2, ["a", "b"]]}`. Compiled term by term, a batch of 200 documents became thousands of
/// terms, each evaluated back into the value the JSON already held, which cost a third of the
/// server's time for batched inserts. Folded, the batch is 200 constants.
///
/// Folding must not change any answer, so it leaves alone what evaluation could refuse or
/// change:
/// - objects with a `$reql_type$` field (times, binaries and other pseudotypes are checked and
///   converted when their MAKE_OBJ runs);
/// - terms other than MAKE_ARRAY (`[2, [...]]`) inside, and MAKE_ARRAY with optional arguments;
/// - the array limit, which a query's `array_limit` sets at run time: a folded value remembers
///   its longest array, and when that is over the limit the evaluator evaluates the literal
///   unfolded, so the error and its backtrace are the ones the terms give.
///
/// ```swift
/// let literal = LiteralFolding.fold(["a": [2, [1, 2]]])  // value {"a": [1, 2]}, longest array 2
/// ```
enum LiteralFolding {
    /// The value of an object literal, or nil when some part of it is not plain data.
    static func fold(_ json: Document) -> (value: Document, longestArray: Int)? {
        var longest = 0
        guard isData(json, longest: &longest) else { return nil }
        return (value(of: json) ?? json, longest)
    }

    private static func isData(_ json: Document, longest: inout Int) -> Bool {
        switch json {
        case .object(let object):
            guard !object.contains("$reql_type$") else { return false }
            for field in object.values where !isData(field, longest: &longest) { return false }
            return true
        case .array:
            guard let elements = makeArrayElements(json) else { return false }
            longest = max(longest, elements.count)
            for element in elements where !isData(element, longest: &longest) { return false }
            return true
        default:
            return true
        }
    }

    /// The elements of `[2, [elements]]`, the only term a folded literal may hold.
    private static func makeArrayElements(_ json: Document) -> [Document]? {
        guard case .array(let parts) = json, parts.count == 2, parts[0] == .number(Double(TermType.makeArray.rawValue)),
              case .array(let elements) = parts[1] else { return nil }
        return elements
    }

    /// The value of checked data, or nil where it is its own value: only the objects on the
    /// way to an array are copied, sharing their keys.
    private static func value(of json: Document) -> Document? {
        switch json {
        case .object(let object):
            var values: [Document]?
            for (index, field) in object.values.enumerated() {
                guard let changed = value(of: field) else { continue }
                if values == nil { values = object.values }
                values![index] = changed
            }
            return values.map { .object(DocumentObject(sortedKeys: object.keys, values: $0)) }
        case .array:
            return .array((makeArrayElements(json) ?? []).map { value(of: $0) ?? $0 })
        default:
            return nil
        }
    }
}
