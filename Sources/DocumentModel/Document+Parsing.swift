extension Document {
    /// Parses JSON text into a document.
    ///
    /// The text is validated as the write path validates it (UTF-8, finite numbers, no repeated
    /// keys, at most 1000 levels deep), so a document that parses here can be stored.
    ///
    /// ```swift
    /// let doc = try Document(parsing: #"{"superhero": "Iron Man", "age": 48}"#)
    /// doc["age"]  // 48
    /// ```
    ///
    /// - Throws: ``JSONSyntaxError`` for text that is not JSON (with line and column), or
    ///   ``DocumentStoreError`` with RethinkDB's message for a well-formed value it cannot hold
    ///   (`Non-finite number: inf`, invalid UTF-8, a repeated key).
    public init(parsing text: String) throws {
        var text = text
        self = try text.withUTF8 { try Document(parsingUTF8: $0) }
    }

    /// Parses JSON from UTF-8 bytes; see ``init(parsing:)-(String)``.
    public init(parsing bytes: [UInt8]) throws {
        self = try bytes.withUnsafeBufferPointer { try Document(parsingUTF8: $0) }
    }

    package init(parsingUTF8 input: UnsafeBufferPointer<UInt8>) throws {
        var canonicalizer = JSONCanonicalizer(primaryKey: "")
        var index = 0
        let parsed = try canonicalizer.parseDocument(input, &index)
        canonicalizer.skipWhitespace(input, &index)
        if index < input.count {
            throw JSONSyntaxError(reason: "Unexpected data after the JSON value", offset: index, input: input)
        }
        if let error = parsed.error {
            throw DocumentStoreError(.queryLogic, error)
        }
        self = canonicalizer.output.withUnsafeBufferPointer { Document(canonical: $0) }
    }

    /// Reads canonical JSON (DocStore's own output: valid, compact, keys sorted and unique)
    /// without validating it again.
    package init(canonical bytes: UnsafeBufferPointer<UInt8>) {
        var reader = CanonicalReader(bytes: bytes)
        self = reader.value()
    }

    package init(canonical bytes: [UInt8]) {
        self = bytes.withUnsafeBufferPointer { Document(canonical: $0) }
    }
}

/// A reader for text DocStore wrote itself. It trusts its input: everything stored went through
/// `JSONCanonicalizer` or `Document.appendJSON` first.
private struct CanonicalReader {
    package let bytes: UnsafeBufferPointer<UInt8>
    package var index = 0

    package init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    @inline(__always)
    package func peek() -> UInt8 { index < bytes.count ? bytes[index] : 0 }

    package mutating func value() -> Document {
        switch peek() {
        case UInt8(ascii: "{"):
            index += 1
            var keys: [String] = []
            var values: [Document] = []
            if peek() == UInt8(ascii: "}") {
                index += 1
                return .object(DocumentObject())
            }
            while true {
                keys.append(string())
                index += 1  // ':'
                values.append(value())
                let separator = peek()
                index += 1
                if separator != UInt8(ascii: ",") { break }
            }
            return .object(DocumentObject(sortedKeys: keys, values: values))
        case UInt8(ascii: "["):
            index += 1
            var elements: [Document] = []
            if peek() == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                elements.append(value())
                let separator = peek()
                index += 1
                if separator != UInt8(ascii: ",") { break }
            }
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(string())
        case UInt8(ascii: "t"):
            index += 4
            return .bool(true)
        case UInt8(ascii: "f"):
            index += 5
            return .bool(false)
        case UInt8(ascii: "n"):
            index += 4
            return .null
        default:
            return .number(number())
        }
    }

    package mutating func number() -> Double {
        let start = index
        var simple = true
        var negative = false
        var magnitude: Int64 = 0
        if peek() == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if simple && magnitude < 100_000_000_000_000_000 {
                    magnitude = magnitude * 10 + Int64(byte - UInt8(ascii: "0"))
                } else {
                    simple = false
                }
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                        || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                simple = false
            } else {
                break
            }
            index += 1
        }
        if simple && !(negative && magnitude == 0) {
            return Double(negative ? -magnitude : magnitude)
        }
        return JSONCanonicalizer.parseDouble(UnsafeBufferPointer(rebasing: bytes[start..<index]))
    }

    package mutating func string() -> String {
        index += 1  // opening quote
        let start = index
        var escaped = false
        while index < bytes.count && bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\") {
                escaped = true
                index += 2
            } else {
                index += 1
            }
        }
        let end = index
        index += 1  // closing quote
        if !escaped {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        return String(decoding: JSONFormat.unescape(bytes, from: start, to: end), as: UTF8.self)
    }
}
