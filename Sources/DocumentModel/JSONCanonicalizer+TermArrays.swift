extension JSONCanonicalizer {
    // ReQL's wire form of a literal (``readsTermArrays``): the server reads an insert's
    // documents with it straight from the query's bytes.

    /// `[2, [elements]]` without optional arguments, written as `[elements]`. The inner array
    /// is one level deeper, as it is when the whole query is parsed.
    @inline(never)
    mutating func makeArrayTerm(_ input: Input, _ index: inout Int, depth: Int) throws(JSONSyntaxError) {
        let start = index
        index += 1
        skipWhitespace(input, &index)
        guard byte(input, index) == UInt8(ascii: "2") else { throw Self.notMakeArray(input, start) }
        index += 1
        skipWhitespace(input, &index)
        guard byte(input, index) == UInt8(ascii: ",") else { throw Self.notMakeArray(input, start) }
        index += 1
        skipWhitespace(input, &index)
        guard byte(input, index) == UInt8(ascii: "["), depth + 1 < maxDepth else { throw Self.notMakeArray(input, start) }
        try elements(input, &index, depth: depth + 1)
        skipWhitespace(input, &index)
        guard byte(input, index) == UInt8(ascii: "]") else { throw Self.notMakeArray(input, start) }
        index += 1
    }

    @inline(never)
    private static func notMakeArray(_ input: Input, _ index: Int) -> JSONSyntaxError {
        syntaxError("Expected a MAKE_ARRAY term without optional arguments", input, index)
    }
}
