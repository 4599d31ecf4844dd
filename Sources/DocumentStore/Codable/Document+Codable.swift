import DocumentModel
extension Document: Codable {
    /// Encodes as the JSON value it is, so a `Document` can sit inside an application's own
    /// `Codable` types (and go through `JSONEncoder` where an app needs it).
    ///
    /// ```swift
    /// let data = try JSONEncoder().encode(["id": 1, "tags": ["a"]] as Document)
    /// ```
    ///
    /// - Parameter encoder: the encoder to write to.
    /// - Throws: what the encoder throws (`JSONEncoder` refuses non-finite numbers, which a
    ///   `Document` from the parser never holds).
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .number(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .object(let object):
            var container = encoder.container(keyedBy: FieldKey.self)
            for (key, value) in object { try container.encode(value, forKey: FieldKey(key)) }
        }
    }

    /// Decodes whatever JSON value the decoder holds, so a `Document` field in an
    /// application's `Codable` type takes any JSON (and `JSONDecoder` can produce one).
    ///
    /// An object or array is decoded as one; otherwise `null`, then a boolean, a number and a
    /// string are tried in that order.
    ///
    /// ```swift
    /// struct Event: Codable { var kind: String; var payload: Document }
    /// let event = try JSONDecoder().decode(Event.self, from: Data(#"{"kind": "hit", "payload": {"n": 1}}"#.utf8))
    /// event.payload["n"]?.intValue   // 1
    /// ```
    ///
    /// - Parameter decoder: the decoder to read from.
    /// - Throws: the decoder's `DecodingError` when the value is none of these.
    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: FieldKey.self) {
            var fields: [(String, Document)] = []
            for key in container.allKeys { fields.append((key.stringValue, try container.decode(Document.self, forKey: key))) }
            self = .object(DocumentObject(uniqueKeysWithValues: fields))
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var elements: [Document] = []
            while !container.isAtEnd { elements.append(try container.decode(Document.self)) }
            self = .array(elements)
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    private struct FieldKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }
}
