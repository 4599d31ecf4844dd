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
        var hasArrays = false
        guard isData(json, longest: &longest, hasArrays: &hasArrays) else { return nil }
        // Without arrays the wire form is already the value; no copy is made.
        return (hasArrays ? value(of: json) : json, longest)
    }

    private static func isData(_ json: Document, longest: inout Int, hasArrays: inout Bool) -> Bool {
        switch json {
        case .object(let object):
            guard object["$reql_type$"] == nil else { return false }
            for (_, field) in object where !isData(field, longest: &longest, hasArrays: &hasArrays) { return false }
            return true
        case .array:
            guard let elements = makeArrayElements(json) else { return false }
            hasArrays = true
            longest = max(longest, elements.count)
            for element in elements where !isData(element, longest: &longest, hasArrays: &hasArrays) { return false }
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

    private static func value(of json: Document) -> Document {
        switch json {
        case .object(let object):
            var fields: [(String, Document)] = []
            fields.reserveCapacity(object.count)
            for (name, field) in object { fields.append((name, value(of: field))) }
            return .object(DocumentObject(uniqueKeysWithValues: fields))
        case .array:
            return .array((makeArrayElements(json) ?? []).map(value(of:)))
        default:
            return json
        }
    }
}
