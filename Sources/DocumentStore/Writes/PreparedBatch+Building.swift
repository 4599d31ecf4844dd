import DocumentModel
/// Reads a write call's input (JSON text, NDJSON, or documents built in Swift) into prepared
/// documents, handing them to a ``BatchSink``.
enum BatchBuilder {
    /// Documents given as JSON text: one object, or an array of objects. Returns whether the
    /// input was an array.
    ///
    /// - Throws: ``JSONSyntaxError`` when the text is not JSON; ``DocumentStoreError`` when it is
    ///   neither an object nor an array (`Cannot convert NUMBER to SEQUENCE`) or has more than
    ///   100,000 elements.
    @discardableResult
    static func json(_ input: UnsafeBufferPointer<UInt8>, primaryKey: String, keys: DocumentStore.KeyGeneration,
                     arrayLimit: Int = ArrayLimit.default, into sink: BatchSink) throws -> Bool {
        var parser = JSONCanonicalizer(primaryKey: primaryKey)
        var generator = UUIDGenerator()
        var index = 0
        parser.skipWhitespace(input, &index)
        let isArray = parser.byte(input, index) == UInt8(ascii: "[")
        if isArray {
            index += 1
            parser.skipWhitespace(input, &index)
            if parser.byte(input, index) == UInt8(ascii: "]") {
                index += 1
            } else {
                while true {
                    try sink.append { batch in
                        try batch.appendParsed(input, &index, parser: &parser, primaryKey: primaryKey, generator: &generator, keys: keys)
                    }
                    if sink.total > arrayLimit { throw ArrayLimit.exceeded(arrayLimit) }
                    parser.skipWhitespace(input, &index)
                    let separator = parser.byte(input, index)
                    index += 1
                    if separator == UInt8(ascii: "]") { break }
                    guard separator == UInt8(ascii: ",") else {
                        throw JSONSyntaxError(reason: "Expected ',' or ']' after an array element", offset: index - 1, input: input)
                    }
                }
            }
        } else {
            let first = parser.byte(input, index)
            if first != UInt8(ascii: "{") && index < input.count {
                // Parse it anyway, so bad text is reported as bad text rather than as a type.
                var scratch = parser
                _ = try scratch.parseDocument(input, &index)
                throw DocumentStoreError(.queryLogic, "Cannot convert \(JSONCanonicalizer.typeName(startingWith: first)) to SEQUENCE")
            }
            try sink.append { batch in
                try batch.appendParsed(input, &index, parser: &parser, primaryKey: primaryKey, generator: &generator, keys: keys)
            }
        }
        parser.skipWhitespace(input, &index)
        if index < input.count {
            throw JSONSyntaxError(reason: "Unexpected data after the JSON value", offset: index, input: input)
        }
        return isArray
    }

    /// Newline-delimited JSON: one document per line, blank lines skipped. A syntax error
    /// names the line within `input`.
    static func ndjson(_ input: UnsafeBufferPointer<UInt8>, primaryKey: String, keys: DocumentStore.KeyGeneration,
                       into sink: BatchSink) throws {
        var parser = JSONCanonicalizer(primaryKey: primaryKey)
        var generator = UUIDGenerator()
        var index = 0
        while true {
            parser.skipWhitespace(input, &index)
            if index >= input.count { break }
            try sink.append { batch in
                try batch.appendParsed(input, &index, parser: &parser, primaryKey: primaryKey, generator: &generator, keys: keys)
            }
            // The rest of the line may hold only spaces: one document per line.
            while index < input.count && input[index] != UInt8(ascii: "\n") {
                let byte = input[index]
                guard byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") else {
                    throw JSONSyntaxError(reason: "Expected the end of the line after a document (NDJSON holds one document per line)",
                                          offset: index, input: input)
                }
                index += 1
            }
        }
    }

    /// Documents built in Swift: the elements of `value` when it is an array, else `value`
    /// itself, which must then be an object. Returns whether it was an array.
    @discardableResult
    static func documents(_ value: Document, primaryKey: String, keys: DocumentStore.KeyGeneration,
                          arrayLimit: Int = ArrayLimit.default, into sink: BatchSink) throws -> Bool {
        var generator = UUIDGenerator()
        switch value {
        case .array(let elements):
            if elements.count > arrayLimit { throw ArrayLimit.exceeded(arrayLimit) }
            for element in elements {
                try sink.append { $0.appendDocument(element, primaryKey: primaryKey, generator: &generator, keys: keys) }
            }
            return true
        case .object(let object) where object.reqlType == nil:
            try sink.append { $0.appendDocument(value, primaryKey: primaryKey, generator: &generator, keys: keys) }
            return false
        default:
            throw DocumentStoreError(.queryLogic, "Cannot convert \(value.typeName) to SEQUENCE")
        }
    }
}

extension PreparedBatch {
    mutating func reserve(like other: PreparedBatch) {
        bytes.reserveCapacity(other.bytes.count + other.bytes.count / 8)
        documents.reserveCapacity(other.documents.count)
    }

    /// Parses one document at `index` and adds it (or its failure).
    mutating func appendParsed(_ input: UnsafeBufferPointer<UInt8>, _ index: inout Int, parser: inout JSONCanonicalizer,
                               primaryKey: String, generator: inout UUIDGenerator, keys: DocumentStore.KeyGeneration) throws(JSONSyntaxError) {
        parser.reset()
        let parsed = try parser.parseDocument(input, &index)
        guard parsed.isObject else {
            appendFailure("Expected type OBJECT but found \(parsed.typeName).")
            return
        }
        // A problem inside the document comes first, as in RethinkDB, which cannot make a datum
        // (pseudotype or not) of invalid text; and only valid text may go to the canonical reader.
        if let error = parsed.error {
            appendFailure(error)
            return
        }
        if parsed.needsSemanticCompare, case .object(let object) = Document(canonical: parser.output), object.reqlType != nil {
            // Only text holding `$reql_type$` can be a pseudotype; decoding it is rare and cheap.
            appendFailure("Expected type OBJECT but found \(Document.object(object).typeName).")
            return
        }
        parser.output.withUnsafeBufferPointer { text in
            do throws(PrimaryKey.Invalid) {
                if let keyRange = parsed.keyRange {
                    let key = try PrimaryKey(canonical: UnsafeBufferPointer(rebasing: text[keyRange]))
                    append(bytes: text, key: key, parsed: parsed)
                } else {
                    let generated = generator.next(keys)
                    generatedKeys.append(generated)
                    let key = try PrimaryKey(.string(generated))
                    var spliced: [UInt8] = []
                    spliced.reserveCapacity(text.count + primaryKey.utf8.count + 44)
                    spliced.append(contentsOf: text[..<parsed.keyInsertOffset])
                    if parsed.keyInsertAtEnd && parsed.hasMembers { spliced.append(UInt8(ascii: ",")) }
                    JSONFormat.appendQuoted(primaryKey, to: &spliced)
                    spliced.append(UInt8(ascii: ":"))
                    JSONFormat.appendQuoted(generated, to: &spliced)
                    if !parsed.keyInsertAtEnd { spliced.append(UInt8(ascii: ",")) }
                    spliced.append(contentsOf: text[parsed.keyInsertOffset...])
                    spliced.withUnsafeBufferPointer { append(bytes: $0, key: key, parsed: parsed) }
                }
            } catch {
                appendFailure(error.message)
            }
        }
    }

    mutating func appendDocument(_ value: Document, primaryKey: String, generator: inout UUIDGenerator, keys: DocumentStore.KeyGeneration) {
        guard case .object(var object) = value, object.reqlType == nil else {
            // A pseudotype (a time, binary data) is an object in JSON but not a document.
            appendFailure("Expected type OBJECT but found \(value.typeName).")
            return
        }
        var check = DocumentCheck()
        if let error = check.validate(value) {
            appendFailure(error)
            return
        }
        if !object.contains(primaryKey) {
            let generated = generator.next(keys)
            generatedKeys.append(generated)
            object[primaryKey] = .string(generated)
        }
        do throws(PrimaryKey.Invalid) {
            let key = try PrimaryKey(object[primaryKey]!)
            let start = bytes.count
            Document.object(object).appendJSON(to: &bytes)
            documents.append(PreparedDocument(range: start..<bytes.count, key: key, validationError: nil,
                                              needsSemanticCompare: check.needsSemanticCompare,
                                              maxArrayCount: check.maxArrayCount))
        } catch {
            appendFailure(error.message)
        }
    }
}
