/// ReQL's total order on datums (`datum_t::cmp`): by type first (arrays, booleans, null,
/// numbers, objects, binary, times, strings), then by value within a type.
package enum ReqlOrder {
    package static func compare(_ a: Document, _ b: Document) -> Int {
        let (rankA, rankB) = (rank(a), rank(b))
        if rankA != rankB { return rankA < rankB ? -1 : 1 }
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
        case (.number(let x), .number(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.string(let x), .string(let y)):
            return x.utf8.elementsEqual(y.utf8) ? 0 : (x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1)
        case (.array(let x), .array(let y)):
            for (left, right) in zip(x, y) {
                let order = compare(left, right)
                if order != 0 { return order }
            }
            return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
        case (.object(let x), .object(let y)):
            if let bytesX = x.binaryBytes, let bytesY = y.binaryBytes {
                return bytesX.elementsEqual(bytesY) ? 0 : (bytesX.lexicographicallyPrecedes(bytesY) ? -1 : 1)
            }
            if let timeX = x["epoch_time"]?.doubleValue, let timeY = y["epoch_time"]?.doubleValue,
               x["$reql_type$"]?.stringValue == "TIME", y["$reql_type$"]?.stringValue == "TIME" {
                return timeX == timeY ? 0 : (timeX < timeY ? -1 : 1)
            }
            for (left, right) in zip(x, y) {
                let keyOrder = compare(.string(left.key), .string(right.key))
                if keyOrder != 0 { return keyOrder }
                let valueOrder = compare(left.value, right.value)
                if valueOrder != 0 { return valueOrder }
            }
            return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
        default:
            return 0
        }
    }

    private static func rank(_ value: Document) -> Int {
        switch value {
        case .array: return 0
        case .bool: return 1
        case .null: return 2
        case .number: return 3
        case .object(let object):
            switch object["$reql_type$"]?.stringValue {
            case "MINVAL": return -1
            case "MAXVAL": return 10
            case "BINARY": return 5
            case "TIME": return 7
            default: return 4
            }
        case .string: return 8
        }
    }
}
