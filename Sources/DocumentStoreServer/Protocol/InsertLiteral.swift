import DocumentStore

/// The documents of a START that is `r.table(...).insert(<plain data>)`, taken out of the
/// query's bytes as canonical JSON, so they reach the library as bytes.
///
/// Parsed the general way, each document of an insert was canonicalised, read into a
/// ``Document`` tree, folded into a constant (``LiteralFolding``), written out as JSON again by
/// the library and the tree freed: about a quarter of the server's CPU for batches of 200
/// (`perf record` of `Benchmarks/run.sh`'s server load). Here one pass of
/// ``JSONCanonicalizer`` over the documents' bytes, reading MAKE_ARRAY terms as the arrays they
/// make, gives the JSON the library parses straight into its batch; the rest of the query (the
/// table term, the optargs) is parsed as before, with `null` where the documents were.
///
/// Anything that the general path might answer differently is left to it (``split(_:)``
/// returns nil): documents holding other terms or `$reql_type$` objects, anything the whole
/// query's parse would refuse (a repeated key, invalid UTF-8, `NaN`, too deep), `-0`, an array
/// over the default `array_limit`.
///
/// ```swift
/// let query = Array(#"[1,[56,[[15,["t"]],[2,[{"id":1,"a":[2,[1,2]]}]]]],{}]"#.utf8)
/// let literal = InsertLiteral.split(query)!
/// // literal.skeleton:  [1,[56,[[15,["t"]],null]],{}]
/// // literal.documents: [{"a":[1,2],"id":1}]
/// ```
struct InsertLiteral: Sendable {
    /// The query with the documents replaced by `null`: what is parsed and compiled.
    let skeleton: [UInt8]
    /// The documents as canonical JSON: one object, or an array of them.
    let documents: [UInt8]

    /// RethinkDB's default `array_limit`; a query that sets its own is parsed the general way.
    static let defaultArrayLimit = 100_000

    /// The term types the shape names: `[1, [INSERT, [[TABLE, ...], documents]], ...]`.
    private static let insertType = "56"
    private static let tableType = "15"

    /// Splits a START payload of the shape `[1,[56,[[15,...],DOCUMENTS]...]...]`, or returns
    /// nil for any other payload, and for documents that are not plain data.
    static func split(_ payload: [UInt8]) -> InsertLiteral? {
        payload.withUnsafeBufferPointer { input -> InsertLiteral? in
            var reader = JSONCanonicalizer()
            var index = 0
            // Depths as the whole query's parse counts them: the documents are at depth 3.
            guard reader.token("[", input, &index), reader.token("1", input, &index), reader.token(",", input, &index),
                  reader.token("[", input, &index), reader.token(insertType, input, &index), reader.token(",", input, &index),
                  reader.token("[", input, &index) else { return nil }
            reader.skipWhitespace(input, &index)
            let tableStart = index
            guard reader.token("[", input, &index), reader.token(tableType, input, &index) else { return nil }
            index = tableStart
            do {
                try reader.value(input, &index, depth: 3)
            } catch {
                return nil
            }
            guard reader.token(",", input, &index) else { return nil }
            reader.skipWhitespace(input, &index)
            let documentsStart = index
            guard reader.byte(input, index) == UInt8(ascii: "{") || reader.byte(input, index) == UInt8(ascii: "[") else { return nil }
            reader.reset()
            reader.beginDocument()
            reader.readsTermArrays = true
            do {
                try reader.value(input, &index, depth: 3)
            } catch {
                return nil
            }
            let documentsEnd = index
            guard reader.documentError == nil, !reader.needsSemanticCompare, reader.maxArrayCount <= defaultArrayLimit,
                  reader.token("]", input, &index) else { return nil }
            var skeleton: [UInt8] = []
            skeleton.reserveCapacity(documentsStart + 4 + (input.count - documentsEnd))
            skeleton.append(contentsOf: UnsafeBufferPointer(rebasing: input[..<documentsStart]))
            skeleton.append(contentsOf: "null".utf8)
            skeleton.append(contentsOf: UnsafeBufferPointer(rebasing: input[documentsEnd...]))
            return InsertLiteral(skeleton: skeleton, documents: reader.output)
        }
    }

    /// Whether the query's run options let its documents be taken as text: not when it needs
    /// every term kept (`profile`) or sets another array limit. (``split(_:)`` checked the
    /// term's shape; `Query.run` refuses text for any other.)
    static func fits(globalOptargs: DocumentObject) -> Bool {
        globalOptargs["profile"] == nil && globalOptargs["array_limit"] == nil
    }

    /// The whole term again, the documents in it as one DATUM (`[1, [documents]]`): what the
    /// `jobs` table shows and what a runner without a text path evaluates.
    static func term(_ skeleton: Document, documents: [UInt8]) -> Document {
        guard let value = try? Document(parsing: documents), case .array(var parts) = skeleton, parts.count >= 2,
              case .array(var arguments) = parts[1], arguments.count == 2 else { return skeleton }
        arguments[1] = [1, .array([value])]
        parts[1] = .array(arguments)
        return .array(parts)
    }
}

extension JSONCanonicalizer {
    /// Skips whitespace and reads `expected` there; a number token must end there too.
    fileprivate func token(_ expected: String, _ input: Input, _ index: inout Int) -> Bool {
        skipWhitespace(input, &index)
        var position = index
        for byte in expected.utf8 {
            guard self.byte(input, position) == byte else { return false }
            position += 1
        }
        if let last = expected.utf8.last, last >= UInt8(ascii: "0") && last <= UInt8(ascii: "9") {
            switch self.byte(input, position) {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return false
            default: break
            }
        }
        index = position
        return true
    }
}
