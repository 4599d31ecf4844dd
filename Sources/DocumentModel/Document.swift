/// A JSON document, as RethinkDB stores it: null, booleans, numbers (IEEE doubles), strings,
/// arrays and objects whose keys are kept sorted bytewise.
///
/// `Document` is the value you build in Swift and the value you read back. It is a plain enum
/// so it can be matched, and it has literal syntax so documents read like the JSON they are:
///
/// ```swift
/// let hero: Document = ["superhero": "Iron Man", "superpower": "Arc Reactor", "age": 48, "tags": ["avenger"]]
/// hero["superhero"]?.stringValue   // "Iron Man"
/// hero.jsonString                  // {"age":48,"superhero":"Iron Man","superpower":"Arc Reactor","tags":["avenger"]}
/// ```
///
/// Equality follows RethinkDB rather than Swift: numbers compare as doubles (`1 == 1.0` and
/// `-0.0 == 0`), strings compare by their UTF-8 bytes (two differently normalised spellings of
/// "é" are different strings, as they are in RethinkDB), object key order never matters, and
/// times (`{"$reql_type$": "TIME", ...}`) compare by instant, ignoring the timezone.
///
/// JSON `null` is written `.null`. `Document` deliberately does not accept the `nil` literal:
/// with it, `doc["field"] == nil` would quietly compare with `.null` and say a missing field
/// is present.
///
/// ## Topics
/// - ``init(parsing:)-(String)``
/// - ``jsonString``
/// - ``prettyPrinted``
/// - ``merging(_:)``
public enum Document: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([Document])
    case object(DocumentObject)
}

extension Document {
    /// RethinkDB's name of the value's type, as its error messages print it
    /// (`NULL`, `BOOL`, `NUMBER`, `STRING`, `ARRAY`, `OBJECT`, `PTYPE<TIME>`, ...).
    public var typeName: String {
        switch self {
        case .null: return "NULL"
        case .bool: return "BOOL"
        case .number: return "NUMBER"
        case .string: return "STRING"
        case .array: return "ARRAY"
        case .object(let object):
            if let type = object.reqlType { return "PTYPE<\(type)>" }
            return "OBJECT"
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var doubleValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The number as an `Int` when it is whole and representable; nil otherwise.
    public var intValue: Int? {
        if case .number(let value) = self, let int = Int(exactly: value) { return int }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var arrayValue: [Document]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var objectValue: DocumentObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The value of an object's field, or nil when this is not an object or has no such field.
    public subscript(key: String) -> Document? {
        get { objectValue?[key] }
        set {
            guard case .object(var object) = self else { return }
            object[key] = newValue
            self = .object(object)
        }
    }

    /// The element of an array, or nil when this is not an array or the index is out of range.
    public subscript(index: Int) -> Document? {
        guard case .array(let array) = self, array.indices.contains(index) else { return nil }
        return array[index]
    }
}

extension Document: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension Document: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
}

extension Document: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .number(value) }
}

extension Document: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension Document: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Document...) { self = .array(elements) }
}

extension Document: ExpressibleByDictionaryLiteral {
    /// Builds an object; a key written twice in one literal is a programmer error, as it is
    /// for `Dictionary`.
    public init(dictionaryLiteral elements: (String, Document)...) {
        self = .object(DocumentObject(uniqueKeysWithValues: elements))
    }
}

extension Document: CustomStringConvertible, CustomDebugStringConvertible {
    /// The canonical JSON text.
    public var description: String { jsonString }
    public var debugDescription: String { "Document(\(jsonString))" }
}
