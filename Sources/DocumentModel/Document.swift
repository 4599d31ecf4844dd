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
    /// JSON `null`, RethinkDB's `NULL`.
    ///
    /// Written `.null` in Swift, never `nil`: in a `Document?` (what a subscript returns),
    /// `nil` means the field is missing, while `.null` is a field that is there and holds null.
    ///
    /// ```swift
    /// let hero: Document = ["id": 1, "retired": .null]
    /// hero["retired"]    // .null: the field is there, and holds null
    /// hero["mentor"]     // nil: no such field
    /// ```
    case null
    /// A JSON boolean, RethinkDB's `BOOL`.
    ///
    /// ```swift
    /// let flag: Document = true   // .bool(true)
    /// ```
    case bool(Bool)
    /// A JSON number, RethinkDB's `NUMBER`: an IEEE double, as in RethinkDB (parsing refuses
    /// `NaN` and infinities, which JSON cannot write).
    ///
    /// There is no separate integer case because RethinkDB has none; integer literals become
    /// doubles, and ``intValue`` gives an `Int` back when the number is whole. Whole numbers
    /// within 2^53 are written without a fraction in ``jsonString``.
    ///
    /// ```swift
    /// let age: Document = 48        // .number(48.0)
    /// age.jsonString                // "48"
    /// ```
    case number(Double)
    /// A JSON string, RethinkDB's `STRING`; compared and ordered by its UTF-8 bytes.
    ///
    /// ```swift
    /// let name: Document = "Iron Man"   // .string("Iron Man")
    /// ```
    case string(String)
    /// A JSON array, RethinkDB's `ARRAY`.
    ///
    /// ```swift
    /// let tags: Document = ["avenger", 3, .null]   // .array([.string("avenger"), .number(3), .null])
    /// ```
    case array([Document])
    /// A JSON object, RethinkDB's `OBJECT`, with its fields sorted bytewise by key
    /// (see ``DocumentObject``).
    ///
    /// RethinkDB's pseudotypes (times, binary values) are objects with a `$reql_type$` field;
    /// ``typeName`` names them as RethinkDB does (`PTYPE<TIME>`).
    ///
    /// ```swift
    /// let hero: Document = ["superhero": "Iron Man"]   // .object(["superhero": "Iron Man"])
    /// ```
    case object(DocumentObject)
}

extension Document {
    /// RethinkDB's name of the value's type, as its error messages print it
    /// (`NULL`, `BOOL`, `NUMBER`, `STRING`, `ARRAY`, `OBJECT`, `PTYPE<TIME>`, ...).
    ///
    /// Messages that must read like RethinkDB's (`Cannot convert NUMBER to SEQUENCE`,
    /// `Expected type OBJECT but found ARRAY.`) are built from it, so they match word for word.
    ///
    /// ```swift
    /// Document.number(1).typeName                                   // "NUMBER"
    /// (["$reql_type$": "TIME", "epoch_time": 0] as Document).typeName  // "PTYPE<TIME>"
    /// ```
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

    /// Whether this is JSON `null` (``null``).
    ///
    /// Use it on a value you already have; to ask whether an object *has* a field, check the
    /// subscript for `nil` (or ``DocumentObject/contains(_:)``), since a present field may hold null.
    ///
    /// ```swift
    /// let hero: Document = ["retired": .null]
    /// hero["retired"]?.isNull   // true
    /// hero["mentor"]?.isNull    // nil: no such field
    /// ```
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The boolean, or nil when this is not ``bool(_:)``.
    ///
    /// No conversion is made, so `1` and `"true"` give nil.
    ///
    /// ```swift
    /// let hero: Document = ["active": true]
    /// hero["active"]?.boolValue   // true
    /// ```
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The number, or nil when this is not ``number(_:)``.
    ///
    /// Every JSON number is a double in RethinkDB, so this never loses anything; see
    /// ``intValue`` for whole numbers.
    ///
    /// ```swift
    /// let hero: Document = ["hits": 3]
    /// let next = (hero["hits"]?.doubleValue ?? 0) + 1   // 4.0
    /// ```
    public var doubleValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The number as an `Int` when it is whole and representable; nil otherwise.
    ///
    /// A number that is not whole gives nil instead of being rounded, so a count or an index
    /// read back is never silently wrong.
    ///
    /// ```swift
    /// Document.number(48).intValue    // 48
    /// Document.number(0.5).intValue   // nil
    /// ```
    public var intValue: Int? {
        if case .number(let value) = self, let int = Int(exactly: value) { return int }
        return nil
    }

    /// The string, or nil when this is not ``string(_:)``.
    ///
    /// ```swift
    /// let hero: Document = ["superhero": "Iron Man"]
    /// hero["superhero"]?.stringValue   // "Iron Man"
    /// ```
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements, or nil when this is not ``array(_:)``.
    ///
    /// ```swift
    /// let hero: Document = ["tags": ["avenger", "genius"]]
    /// hero["tags"]?.arrayValue?.count   // 2
    /// ```
    public var arrayValue: [Document]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The fields, or nil when this is not ``object(_:)``.
    ///
    /// Take it out to change several fields, then put it back as `.object(...)`:
    ///
    /// ```swift
    /// guard var fields = hero.objectValue else { return }
    /// fields["legacy"] = nil        // removes the field
    /// fields["checked"] = true
    /// let changed = Document.object(fields)
    /// ```
    public var objectValue: DocumentObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The value of an object's field, or nil when this is not an object or has no such field.
    ///
    /// Setting a value writes the field (nil removes it, `.null` stores a JSON null); on a
    /// value that is not an object, setting does nothing.
    ///
    /// ```swift
    /// var hero: Document = ["superhero": "Iron Man"]
    /// hero["superpower"] = "Arc Reactor"
    /// hero["superpower"]?.stringValue  // "Arc Reactor"
    /// ```
    public subscript(key: String) -> Document? {
        get { objectValue?[key] }
        set {
            guard case .object(var object) = self else { return }
            object[key] = newValue
            self = .object(object)
        }
    }

    /// The element of an array, or nil when this is not an array or the index is out of range.
    ///
    /// Unlike `Array`'s subscript it does not trap, because a document's shape is data, not
    /// something the program can assume.
    ///
    /// ```swift
    /// let tags: Document = ["avenger", "genius"]
    /// tags[1]   // .string("genius")
    /// tags[5]   // nil
    /// ```
    public subscript(index: Int) -> Document? {
        guard case .array(let array) = self, array.indices.contains(index) else { return nil }
        return array[index]
    }
}

extension Document: ExpressibleByBooleanLiteral {
    /// Makes ``bool(_:)`` from `true` or `false`, so documents read like JSON.
    ///
    /// ```swift
    /// let patch: Document = ["checked": true]
    /// ```
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension Document: ExpressibleByIntegerLiteral {
    /// Makes ``number(_:)`` from an integer literal: stored as a double, as RethinkDB stores
    /// every number.
    ///
    /// ```swift
    /// let hero: Document = ["id": 1, "age": 48]
    /// ```
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
}

extension Document: ExpressibleByFloatLiteral {
    /// Makes ``number(_:)`` from a floating-point literal.
    ///
    /// ```swift
    /// let score: Document = ["ratio": 0.75]
    /// ```
    public init(floatLiteral value: Double) { self = .number(value) }
}

extension Document: ExpressibleByStringLiteral {
    /// Makes ``string(_:)`` from a string literal.
    ///
    /// ```swift
    /// let name: Document = "Iron Man"
    /// ```
    public init(stringLiteral value: String) { self = .string(value) }
}

extension Document: ExpressibleByArrayLiteral {
    /// Makes ``array(_:)`` from an array literal; elements may be any mix of document literals.
    ///
    /// ```swift
    /// let batch: Document = [["superhero": "Thor"], ["superhero": "Loki"]]
    /// ```
    public init(arrayLiteral elements: Document...) { self = .array(elements) }
}

extension Document: ExpressibleByDictionaryLiteral {
    /// Builds an object; a key written twice in one literal is a programmer error, as it is
    /// for `Dictionary`.
    ///
    /// The fields are sorted bytewise by key whatever order the literal lists them in, so the
    /// object's ``jsonString`` is canonical.
    ///
    /// ```swift
    /// let hero: Document = ["superpower": "Arc Reactor", "id": 1]
    /// hero.jsonString   // {"id":1,"superpower":"Arc Reactor"}
    /// ```
    public init(dictionaryLiteral elements: (String, Document)...) {
        self = .object(DocumentObject(uniqueKeysWithValues: elements))
    }
}

extension Document: CustomStringConvertible, CustomDebugStringConvertible {
    /// The canonical JSON text, so `print(document)` shows what is stored.
    ///
    /// ```swift
    /// print(["b": 1, "a": true] as Document)   // {"a":true,"b":1}
    /// ```
    public var description: String { jsonString }
    /// The canonical JSON text marked as a `Document`, for the debugger and `debugPrint`.
    ///
    /// ```swift
    /// debugPrint(Document.number(1))   // Document(1)
    /// ```
    public var debugDescription: String { "Document(\(jsonString))" }
}
