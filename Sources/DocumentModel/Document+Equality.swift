extension Document: Equatable {
    /// RethinkDB's equality (`datum_t::cmp`): numbers as doubles, strings by bytes, objects by
    /// their sorted fields, and times by instant (a time's timezone does not make it different).
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
