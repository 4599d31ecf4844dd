/// Names for the terms of strings, arrays and bit arithmetic (the values of `ql2.proto`).
extension TermType {
    private static func named(_ value: Int) -> TermType {
        // Every value used here is a term of ql2.proto v2.4.
        TermType(rawValue: value)!
    }

    package static let match = named(97), split = named(149), upcase = named(141), downcase = named(142)
    package static let insertAt = named(82), deleteAt = named(83), changeAt = named(84), spliceAt = named(85)
    package static let offsetsOf = named(87), setInsert = named(88), setIntersection = named(89)
    package static let setUnion = named(90), setDifference = named(91), difference = named(95), withFields = named(96)
    package static let bitAnd = named(191), bitOr = named(192), bitXor = named(193), bitNot = named(194)
    package static let bitSal = named(195), bitSar = named(196)
    package static let setWriteHook = named(189), getWriteHook = named(190)
}
