import DocumentModel
import Foundation

/// Turns a `Document` back into any `Decodable` value: the other half of ``DocumentEncoder``.
///
/// ```swift
/// struct Hero: Codable { var id: String; var superpower: String }
/// let hero = try await marvel.get("iron-man", as: Hero.self)
/// ```
///
/// Numbers decode into any numeric type that holds them exactly (`48` into `Int`, `0.5` into
/// `Double`, but not `0.5` into `Int`); RethinkDB times decode into `Date`, binary into `Data`.
public struct DocumentDecoder: Sendable {
    /// A decoder. It has no settings, because the mapping it undoes is fixed: the one
    /// ``DocumentEncoder`` writes and RethinkDB's drivers read.
    ///
    /// ```swift
    /// let decoder = DocumentDecoder()
    /// ```
    public init() {}

    /// Decodes a value of `type` from a document.
    ///
    /// Decoding goes straight from the `Document` tree, with no JSON text in between, so a
    /// document read with `get` is decoded without being printed and parsed again.
    ///
    /// ```swift
    /// struct Hero: Codable { var id: String; var age: Int }
    /// let hero = try DocumentDecoder().decode(Hero.self, from: ["id": "thor", "age": 1500])
    /// ```
    ///
    /// - Parameters:
    ///   - type: the type to decode.
    ///   - document: the document to read, usually one returned by `get` or a scan.
    /// - Returns: the decoded value.
    /// - Throws: `DecodingError`: `typeMismatch` for a value of the wrong JSON type (the
    ///   message names RethinkDB's type, e.g. `found STRING`), `keyNotFound` for a missing
    ///   field, `dataCorrupted` for a number that does not fit the integer type exactly.
    public func decode<T: Decodable>(_ type: T.Type, from document: Document) throws -> T {
        try DocumentDecoding.unbox(type, from: document, codingPath: [])
    }
}

enum DocumentDecoding {
    static func unbox<T: Decodable>(_ type: T.Type, from value: Document, codingPath: [any CodingKey]) throws -> T {
        if type == Document.self { return value as! T }
        if type == Date.self {
            guard case .object(let object) = value, object.reqlType == "TIME", let seconds = object.epochTime else {
                throw mismatch(type, value, codingPath, "a RethinkDB TIME object")
            }
            return Date(timeIntervalSince1970: seconds) as! T
        }
        if type == Data.self {
            guard case .object(let object) = value, object.reqlType == "BINARY",
                  let data = object["data"]?.stringValue.flatMap({ Data(base64Encoded: $0) }) else {
                throw mismatch(type, value, codingPath, "a RethinkDB BINARY object")
            }
            return data as! T
        }
        if type == URL.self {
            guard let text = value.stringValue, let url = URL(string: text) else {
                throw mismatch(type, value, codingPath, "a URL string")
            }
            return url as! T
        }
        return try T(from: Decoder(value: value, codingPath: codingPath))
    }

    static func mismatch(_ type: Any.Type, _ value: Document, _ codingPath: [any CodingKey], _ expected: String) -> DecodingError {
        .typeMismatch(type, DecodingError.Context(codingPath: codingPath,
                                                  debugDescription: "Expected \(expected), found \(value.typeName): \(value.jsonString)"))
    }

    struct Decoder: Swift.Decoder {
        let value: Document
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            guard case .object(let object) = value else { throw mismatch(DocumentObject.self, value, codingPath, "an object") }
            return KeyedDecodingContainer(Keyed<Key>(object: object, codingPath: codingPath))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            guard case .array(let elements) = value else { throw mismatch([Document].self, value, codingPath, "an array") }
            return Unkeyed(elements: elements, codingPath: codingPath)
        }

        func singleValueContainer() throws -> any SingleValueDecodingContainer {
            Single(value: value, codingPath: codingPath)
        }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let object: DocumentObject
        let codingPath: [any CodingKey]
        var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { object.contains(key.stringValue) }

        private func value(_ key: Key) throws -> Document {
            guard let value = object[key.stringValue] else {
                throw DecodingError.keyNotFound(key, DecodingError.Context(codingPath: codingPath,
                                                                           debugDescription: "No field `\(key.stringValue)` in the document."))
            }
            return value
        }

        func decodeNil(forKey key: Key) throws -> Bool { try value(key).isNull }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try unbox(type, from: value(key), codingPath: codingPath + [key])
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try Decoder(value: value(key), codingPath: codingPath + [key]).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try Decoder(value: value(key), codingPath: codingPath + [key]).unkeyedContainer()
        }

        func superDecoder() throws -> any Swift.Decoder {
            Decoder(value: object["super"] ?? .null, codingPath: codingPath)
        }

        func superDecoder(forKey key: Key) throws -> any Swift.Decoder {
            Decoder(value: object[key.stringValue] ?? .null, codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let elements: [Document]
        let codingPath: [any CodingKey]
        var currentIndex = 0
        var count: Int? { elements.count }
        var isAtEnd: Bool { currentIndex >= elements.count }

        private mutating func next<T>(_ type: T.Type) throws -> Document {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(type, DecodingError.Context(codingPath: codingPath,
                                                                              debugDescription: "The array has no element \(currentIndex)."))
            }
            defer { currentIndex += 1 }
            return elements[currentIndex]
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, elements[currentIndex].isNull else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try unbox(type, from: next(type), codingPath: codingPath)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try Decoder(value: next(DocumentObject.self), codingPath: codingPath).container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            try Decoder(value: next([Document].self), codingPath: codingPath).unkeyedContainer()
        }

        mutating func superDecoder() throws -> any Swift.Decoder {
            Decoder(value: try next(Document.self), codingPath: codingPath)
        }
    }

    struct Single: SingleValueDecodingContainer {
        let value: Document
        let codingPath: [any CodingKey]

        func decodeNil() -> Bool { value.isNull }

        func decode(_ type: Bool.Type) throws -> Bool {
            guard case .bool(let flag) = value else { throw mismatch(type, value, codingPath, "a boolean") }
            return flag
        }

        func decode(_ type: String.Type) throws -> String {
            guard case .string(let text) = value else { throw mismatch(type, value, codingPath, "a string") }
            return text
        }

        func decode(_ type: Double.Type) throws -> Double { try number(type) }
        func decode(_ type: Float.Type) throws -> Float { Float(try number(type)) }
        func decode(_ type: Int.Type) throws -> Int { try integer(type) }
        func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
        func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
        func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
        func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
        func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try unbox(type, from: value, codingPath: codingPath)
        }

        private func number(_ type: Any.Type) throws -> Double {
            guard case .number(let number) = value else { throw mismatch(type, value, codingPath, "a number") }
            return number
        }

        private func integer<I: BinaryInteger>(_ type: I.Type) throws -> I {
            let number = try number(type)
            guard let exact = I(exactly: number) else {
                throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: codingPath,
                                                                        debugDescription: "\(number) does not fit in \(type)."))
            }
            return exact
        }
    }
}
