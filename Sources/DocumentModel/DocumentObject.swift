/// The fields of a JSON object, kept sorted by the UTF-8 bytes of their keys.
///
/// RethinkDB orders object keys bytewise, and so does every document DocStore writes. Keeping
/// the fields sorted makes canonical encoding a walk, lookups a binary search, and comparison of
/// two objects a merge. Keys and values live in two arrays because arrays of tuples are
/// destroyed through slow generic code on Linux.
///
/// ```swift
/// var object = DocumentObject()
/// object["b"] = 2
/// object["a"] = 1
/// Array(object.keys)  // ["a", "b"]
/// ```
public struct DocumentObject: Sendable {
    /// The field names, sorted by their UTF-8 bytes (RethinkDB's key order), without repeats.
    ///
    /// Read-only so the order cannot be broken; change fields through the subscript.
    ///
    /// ```swift
    /// let object: DocumentObject = ["b": 2, "a": 1, "B": 0]
    /// object.keys   // ["B", "a", "b"]: bytes, not alphabetical
    /// ```
    public private(set) var keys: [String]
    /// The field values, in the order of ``keys``: `values[i]` belongs to `keys[i]`.
    ///
    /// ```swift
    /// let object: DocumentObject = ["b": 2, "a": 1]
    /// object.values   // [1, 2]
    /// ```
    public private(set) var values: [Document]

    /// An object with no fields, `{}`, to fill through the subscript.
    ///
    /// ```swift
    /// var object = DocumentObject()
    /// object["superhero"] = "Iron Man"
    /// ```
    public init() {
        keys = []
        values = []
    }

    /// Builds an object from fields in any order. A key given twice traps, as `Dictionary` does.
    ///
    /// The fields are sorted once here, so building from many fields costs one sort rather
    /// than one insertion each.
    ///
    /// ```swift
    /// let object = DocumentObject(uniqueKeysWithValues: [("superpower", "Arc Reactor"), ("id", 1)])
    /// object.keys   // ["id", "superpower"]
    /// ```
    ///
    /// - Parameter fields: `(key, value)` pairs; every key must be distinct.
    public init<S: Sequence>(uniqueKeysWithValues fields: S) where S.Element == (String, Document) {
        var pairs = Array(fields)
        pairs.sort { compareUTF8($0.0, $1.0) < 0 }
        keys = []
        values = []
        keys.reserveCapacity(pairs.count)
        values.reserveCapacity(pairs.count)
        for (key, value) in pairs {
            if let last = keys.last {
                precondition(compareUTF8(last, key) != 0, "Duplicate key \"\(key)\" in a Document object")
            }
            keys.append(key)
            values.append(value)
        }
    }

    /// Builds an object from keys that are already sorted and unique (the parser's output).
    package init(sortedKeys: [String], values: [Document]) {
        self.keys = sortedKeys
        self.values = values
    }

    /// The number of fields.
    ///
    /// ```swift
    /// (["a": 1, "b": .null] as DocumentObject).count   // 2: a null field counts
    /// ```
    public var count: Int { keys.count }
    /// Whether the object has no fields (`{}`).
    ///
    /// ```swift
    /// DocumentObject().isEmpty   // true
    /// ```
    public var isEmpty: Bool { keys.isEmpty }

    /// Binary search by UTF-8 bytes: the index of `key`, or where it would be inserted.
    package func index(of key: String) -> (index: Int, found: Bool) {
        var low = 0
        var high = keys.count
        while low < high {
            let mid = (low + high) / 2
            let order = compareUTF8(keys[mid], key)
            if order == 0 { return (mid, true) }
            if order < 0 { low = mid + 1 } else { high = mid }
        }
        return (low, false)
    }

    /// Whether the object has this field (with any value, `null` included).
    ///
    /// It says the same as `object[key] != nil` (`nil` there is the missing field, never JSON
    /// null, since `Document` has no `nil` literal), but reads as the question it asks and
    /// does not copy the value.
    ///
    /// ```swift
    /// let object: DocumentObject = ["retired": .null]
    /// object.contains("retired")   // true
    /// object.contains("mentor")    // false
    /// ```
    public func contains(_ key: String) -> Bool {
        index(of: key).found
    }

    /// The value of a field; setting nil removes the field (use `.null` to store a JSON null).
    ///
    /// Lookups are a binary search over the sorted keys; setting a new field inserts it in
    /// order, so the object stays canonical.
    ///
    /// ```swift
    /// var object: DocumentObject = ["id": 1]
    /// object["retired"] = .null   // stored: {"id":1,"retired":null}
    /// object["retired"] = nil     // removed: {"id":1}
    /// ```
    public subscript(key: String) -> Document? {
        get {
            let (index, found) = index(of: key)
            guard found else { return nil }
            return values[index]
        }
        set {
            let (index, found) = index(of: key)
            switch (found, newValue) {
            case (true, let value?): values[index] = value
            case (true, nil):
                keys.remove(at: index)
                values.remove(at: index)
            case (false, let value?):
                keys.insert(key, at: index)
                values.insert(value, at: index)
            case (false, nil): break
            }
        }
    }

    /// The pseudotype name when this object is one of RethinkDB's pseudotypes (`TIME`, `BINARY`).
    package var reqlType: String? {
        self["$reql_type$"]?.stringValue
    }
}

extension DocumentObject: Sequence {
    /// The fields as `(key, value)` pairs, in key order.
    ///
    /// ```swift
    /// for (key, value) in object { print(key, value) }
    /// ```
    public func makeIterator() -> AnyIterator<(key: String, value: Document)> {
        var index = 0
        return AnyIterator {
            guard index < keys.count else { return nil }
            defer { index += 1 }
            return (keys[index], values[index])
        }
    }
}

extension DocumentObject: ExpressibleByDictionaryLiteral {
    /// Builds an object from a literal, as ``init(uniqueKeysWithValues:)`` does; a key written
    /// twice traps.
    ///
    /// ```swift
    /// let object: DocumentObject = ["superhero": "Iron Man", "id": 1]
    /// ```
    public init(dictionaryLiteral elements: (String, Document)...) {
        self.init(uniqueKeysWithValues: elements)
    }
}

/// Orders two strings by their UTF-8 bytes (RethinkDB's key order), not by Swift's Unicode
/// collation: negative, zero or positive like `memcmp`.
@inline(__always)
package func compareUTF8(_ a: String, _ b: String) -> Int {
    var a = a
    var b = b
    return a.withUTF8 { x in
        b.withUTF8 { y in compareBytes(x, y) }
    }
}

/// Lexicographic byte order of two buffers, shorter first on a common prefix.
@inline(__always)
package func compareBytes(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
    let common = min(x.count, y.count)
    if common > 0 {
        let order = memcmpBytes(x.baseAddress!, y.baseAddress!, common)
        if order != 0 { return order }
    }
    return x.count - y.count
}

@inline(__always)
package func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Int {
    var i = 0
    while i < count {
        let x = a[i], y = b[i]
        if x != y { return Int(x) - Int(y) }
        i += 1
    }
    return 0
}
