extension Document: Equatable {
    /// RethinkDB's equality (`datum_t::cmp`): numbers as doubles, strings by bytes, objects by
    /// their sorted fields, and times by instant (a time's timezone does not make it different).
    ///
    /// ```swift
    /// (1 as Document) == 1.0          // true
    /// (["a": 1, "b": 2] as Document) == ["b": 2, "a": 1]   // true
    /// ("1" as Document) == 1          // false: a string is never a number
    /// ```
    public static func == (lhs: Document, rhs: Document) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return compareUTF8(a, b) == 0
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        default: return false
        }
    }
}

extension DocumentObject: Equatable {
    /// RethinkDB's equality of objects: the same keys (by bytes) with equal values, key order
    /// being always the same; two `TIME` pseudotypes are equal when their `epoch_time` is,
    /// whatever their timezones.
    ///
    /// ```swift
    /// let a: DocumentObject = ["$reql_type$": "TIME", "epoch_time": 0, "timezone": "+00:00"]
    /// let b: DocumentObject = ["$reql_type$": "TIME", "epoch_time": 0, "timezone": "+02:00"]
    /// a == b   // true: the same instant
    /// ```
    public static func == (lhs: DocumentObject, rhs: DocumentObject) -> Bool {
        if let time = lhs.epochTime, lhs.reqlType == "TIME" {
            return rhs.reqlType == "TIME" && rhs.epochTime == time
        }
        guard lhs.keys.count == rhs.keys.count else { return false }
        for index in lhs.keys.indices {
            guard compareUTF8(lhs.keys[index], rhs.keys[index]) == 0,
                  lhs.values[index] == rhs.values[index] else { return false }
        }
        return true
    }

    package var epochTime: Double? { self["epoch_time"]?.doubleValue }
}

extension Document: Hashable {
    /// Hashes consistently with RethinkDB's equality: `-0.0` and `0` hash alike, strings by
    /// their UTF-8 bytes, so equal documents can be `Set` members and dictionary keys.
    ///
    /// ```swift
    /// Set<Document>([0, -0.0, 1.0, 1]).count   // 2
    /// ```
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0 as UInt8)
        case .bool(let value): hasher.combine(value)
        // -0.0 and 0.0 are equal, so they must hash alike.
        case .number(let value): hasher.combine(value == 0 ? 0 : value)
        case .string(let value): hasher.combine(value.utf8.count); for byte in value.utf8 { hasher.combine(byte) }
        case .array(let value): hasher.combine(value)
        case .object(let value): hasher.combine(value)
        }
    }
}

extension DocumentObject: Hashable {
    /// Hashes consistently with `==`: a `TIME` pseudotype by its instant alone,
    /// any other object by its sorted fields.
    ///
    /// ```swift
    /// var seen = Set<DocumentObject>()
    /// seen.insert(["id": 1])
    /// ```
    public func hash(into hasher: inout Hasher) {
        if reqlType == "TIME", let time = epochTime {
            hasher.combine(time)
            return
        }
        hasher.combine(keys.count)
        for index in keys.indices {
            hasher.combine(Document.string(keys[index]))
            hasher.combine(values[index])
        }
    }
}
