import DocumentModel
import Foundation

/// Turns any `Encodable` value into a `Document`, so applications keep their own structs.
///
/// ```swift
/// struct Hero: Codable { var id: String; var superpower: String; var since: Date }
/// let doc = try DocumentEncoder().encode(Hero(id: "iron-man", superpower: "Arc Reactor", since: .now))
/// try await marvel.insert(doc)            // or simply: try await marvel.insert(encoding: hero)
/// ```
///
/// `Date` becomes a RethinkDB time (`{"$reql_type$": "TIME", "epoch_time": ..., "timezone":
/// "+00:00"}`) and `Data` a RethinkDB binary value, so the drivers read them back as times and
/// bytes. `nil` optionals are left out, as `JSONEncoder` leaves them out.
public struct DocumentEncoder: Sendable {
    /// An encoder. It has no settings, because the mapping is fixed: dates, data and numbers
    /// are written as RethinkDB stores them, so every driver reads them back the same way.
    ///
    /// ```swift
    /// let encoder = DocumentEncoder()
    /// ```
    public init() {}

    /// Encodes a value as a document.
    ///
    /// The value is encoded straight into a `Document` tree, with no JSON text in between. A
    /// struct becomes an object, an array an array; a `Document` inside the value is kept as
    /// it is. Integers become doubles, as every number in RethinkDB is, so those beyond 2^53
    /// lose their low bits.
    ///
    /// ```swift
    /// struct Hero: Codable { var id: String; var tags: [String] }
    /// let doc = try DocumentEncoder().encode(Hero(id: "thor", tags: ["asgard"]))
    /// doc.jsonString   // {"id":"thor","tags":["asgard"]}
    /// ```
    ///
    /// - Parameter value: the value to encode.
    /// - Returns: the document, ready to insert.
    /// - Throws: whatever the value's own `encode(to:)` throws; the encoder adds no errors of
    ///   its own.
    public func encode<T: Encodable>(_ value: T) throws -> Document {
        try DocumentEncoding.box(value, codingPath: [])
    }
}

/// The encoder's working parts. Containers write into reference-type nodes, because a keyed
/// container handed out by `container(keyedBy:)` must keep writing into its parent's storage.
enum DocumentEncoding {
    final class Node {
        enum Kind { case unset, value(Document), object([String: Node], order: [String]), array([Node]) }
        var kind: Kind = .unset

        var document: Document {
            switch kind {
            case .unset: return .object(DocumentObject())
            case .value(let value): return value
            case .object(let fields, let order):
                return .object(DocumentObject(uniqueKeysWithValues: order.map { ($0, fields[$0]!.document) }))
            case .array(let elements): return .array(elements.map(\.document))
            }
        }

        func field(_ key: String) -> Node {
            var (fields, order): ([String: Node], [String]) = ([:], [])
            if case .object(let existingFields, let existingOrder) = kind { (fields, order) = (existingFields, existingOrder) }
            if let node = fields[key] { return node }
            let node = Node()
            fields[key] = node
            order.append(key)
            kind = .object(fields, order: order)
            return node
        }

        func appendElement() -> Node {
            var elements: [Node] = []
            if case .array(let existing) = kind { elements = existing }
            let node = Node()
            elements.append(node)
            kind = .array(elements)
            return node
        }
    }

    static func box<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws -> Document {
        if let document = try special(value) { return document }
        let node = Node()
        try value.encode(to: Encoder(node: node, codingPath: codingPath))
        return node.document
    }

    /// Values with a RethinkDB representation of their own.
    static func special<T: Encodable>(_ value: T) throws -> Document? {
        switch value {
        case let document as Document: return document
        case let date as Date:
            return ["$reql_type$": "TIME", "epoch_time": .number((date.timeIntervalSince1970 * 1000).rounded() / 1000),
                    "timezone": "+00:00"]
        case let data as Data:
            return ["$reql_type$": "BINARY", "data": .string(data.base64EncodedString())]
        case let url as URL: return .string(url.absoluteString)
        default: return nil
        }
    }

    struct Encoder: Swift.Encoder {
        let node: Node
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if case .unset = node.kind { node.kind = .object([:], order: []) }
            return KeyedEncodingContainer(Keyed<Key>(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if case .unset = node.kind { node.kind = .array([]) }
            return Unkeyed(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            Single(node: node, codingPath: codingPath)
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { node.field(key.stringValue).kind = .value(.null) }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            node.field(key.stringValue).kind = .value(try box(value, codingPath: codingPath + [key]))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            Encoder(node: node.field(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            Encoder(node: node.field(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> any Swift.Encoder {
            Encoder(node: node.field("super"), codingPath: codingPath)
        }

        mutating func superEncoder(forKey key: Key) -> any Swift.Encoder {
            Encoder(node: node.field(key.stringValue), codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        var count: Int {
            if case .array(let elements) = node.kind { return elements.count }
            return 0
        }

        mutating func encodeNil() throws { node.appendElement().kind = .value(.null) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            node.appendElement().kind = .value(try box(value, codingPath: codingPath))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            Encoder(node: node.appendElement(), codingPath: codingPath).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            Encoder(node: node.appendElement(), codingPath: codingPath).unkeyedContainer()
        }

        mutating func superEncoder() -> any Swift.Encoder {
            Encoder(node: node.appendElement(), codingPath: codingPath)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.kind = .value(.null) }
        mutating func encode(_ value: Bool) throws { node.kind = .value(.bool(value)) }
        mutating func encode(_ value: String) throws { node.kind = .value(.string(value)) }
        mutating func encode(_ value: Double) throws { node.kind = .value(.number(value)) }
        mutating func encode(_ value: Float) throws { node.kind = .value(.number(Double(value))) }
        mutating func encode(_ value: Int) throws { integer(value) }
        mutating func encode(_ value: Int8) throws { integer(value) }
        mutating func encode(_ value: Int16) throws { integer(value) }
        mutating func encode(_ value: Int32) throws { integer(value) }
        mutating func encode(_ value: Int64) throws { integer(value) }
        mutating func encode(_ value: UInt) throws { integer(value) }
        mutating func encode(_ value: UInt8) throws { integer(value) }
        mutating func encode(_ value: UInt16) throws { integer(value) }
        mutating func encode(_ value: UInt32) throws { integer(value) }
        mutating func encode(_ value: UInt64) throws { integer(value) }
        /// Every number is a double in RethinkDB; integers beyond 2^53 lose their low bits there too.
        private func integer<I: BinaryInteger>(_ value: I) { node.kind = .value(.number(Double(value))) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            node.kind = .value(try box(value, codingPath: codingPath))
        }
    }
}
