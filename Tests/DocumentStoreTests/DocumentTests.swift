import Testing
@testable import DocumentStore

/// `Document` as a value: literals, subscripts, canonical text, RethinkDB's equality, hashing,
/// the pretty form used in error messages, and merging.
@Suite("Document values")
struct DocumentTests {
    // MARK: Literals and accessors

    @Test("Literals build the matching cases")
    func literals() {
        let null: Document = .null
        let flag: Document = true
        let integer: Document = 42
        let float: Document = 1.5
        let string: Document = "Iron Man"
        let array: Document = [1, "a", .null]
        let object: Document = ["b": 1, "a": 2]
        #expect(null.isNull)
        #expect(flag.boolValue == true)
        #expect(integer.doubleValue == 42)
        #expect(integer.intValue == 42)
        #expect(float.doubleValue == 1.5)
        #expect(float.intValue == nil)
        #expect(string.stringValue == "Iron Man")
        #expect(array.arrayValue?.count == 3)
        #expect(object.objectValue.map { Array($0.keys) } == ["a", "b"])
        #expect(integer.boolValue == nil && string.doubleValue == nil && null.stringValue == nil)
    }

    @Test("Type names are RethinkDB's", arguments: [
        (Document.null, "NULL"), (true, "BOOL"), (1, "NUMBER"), ("x", "STRING"), ([], "ARRAY"),
        ([:], "OBJECT"), (["$reql_type$": "TIME", "epoch_time": 0, "timezone": "+00:00"], "PTYPE<TIME>"),
        (["$reql_type$": "BINARY", "data": ""], "PTYPE<BINARY>"),
    ] as [(Document, String)])
    func typeNames(value: Document, name: String) {
        #expect(value.typeName == name)
    }

    @Test("Subscripts read fields and elements, and nil means absent")
    func subscriptsRead() {
        let doc: Document = ["id": 1, "tags": ["a", "b"], "note": .null]
        #expect(doc["id"] == 1)
        #expect(doc["note"] == .some(.null))
        #expect(doc["missing"] == Document?.none)
        #expect(doc["tags"]?[1] == "b")
        #expect(doc["tags"]?[2] == Document?.none)
        #expect(doc["tags"]?[-1] == Document?.none)
        #expect(doc[0] == Document?.none)
        #expect(Document.string("x")["id"] == Document?.none)
        #expect(doc.objectValue?.contains("note") == true)
        #expect(doc.objectValue?.contains("missing") == false)
    }

    @Test("Subscript assignment adds, replaces, stores null and removes fields")
    func subscriptsWrite() {
        var doc: Document = ["id": 1]
        doc["b"] = 2
        doc["a"] = "x"
        #expect(doc.jsonString == #"{"a":"x","b":2,"id":1}"#)
        doc["a"] = .null
        #expect(doc.jsonString == #"{"a":null,"b":2,"id":1}"#)
        doc["a"] = Document?.none
        #expect(doc.jsonString == #"{"b":2,"id":1}"#)
        var notAnObject: Document = [1, 2]
        notAnObject["a"] = 1
        #expect(notAnObject == [1, 2])
    }

    // MARK: Canonical text

    @Test("Object keys are sorted by UTF-8 bytes: uppercase before lowercase, non-ASCII last")
    func keyOrder() {
        let doc: Document = ["b": 1, "a": 2, "B": 3, "é": 4, "z": 5, "aa": 6, "": 7, "ｚ": 8, "😀": 9, "Z": 10]
        // "ｚ" (U+FF5A, EF BD 9A) sorts before "😀" (F0 9F 98 80) by bytes, though not by UTF-16 units.
        #expect(doc.jsonString == #"{"":7,"B":3,"Z":10,"a":2,"aa":6,"b":1,"z":5,"é":4,"ｚ":8,"😀":9}"#)
        #expect(doc.objectValue.map { Array($0.keys) } == ["", "B", "Z", "a", "aa", "b", "z", "é", "ｚ", "😀"])
    }

    @Test("Numbers print in their shortest form", arguments: [
        (1.0, "1"), (0.0, "0"), (-0.0, "-0.0"), (0.1, "0.1"), (-2.5, "-2.5"), (1e-7, "1e-7"),
        (-1e-7, "-1e-7"), (1e300, "1e300"), (1.5e300, "1.5e300"), (123.456, "123.456"), (-5, "-5"),
        (.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e308"),
        (9_007_199_254_740_991, "9007199254740991"),
        // RethinkDB prints whole doubles with |d| <= 2^53 as integers (`number_as_integer`).
        (9_007_199_254_740_992, "9007199254740992"), (-9_007_199_254_740_992, "-9007199254740992"),
    ] as [(Double, String)])
    func numberText(value: Double, text: String) throws {
        #expect(Document.number(value).jsonString == text)
        let reparsed = try Document(parsing: text)
        #expect(reparsed.doubleValue?.bitPattern == value.bitPattern)
    }

    @Test("Whole numbers beyond 2^53 keep their exact value through the text")
    func beyondTwoToThe53() throws {
        for value in [9_007_199_254_740_994.0, -9_007_199_254_740_994.0, 1e21, 1.8446744073709552e19] {
            let text = Document.number(value).jsonString
            #expect(try Document(parsing: text).doubleValue == value, "\(text)")
        }
    }

    @Test("Strings escape quotes, backslashes and control characters only")
    func stringEscapes() {
        let doc: Document = ["s": "a\"b\\c/d\n\t\r\u{08}\u{0C}\u{01}\u{1F}é😀\u{7F}"]
        #expect(doc.jsonString == #"{"s":"a\"b\\c/d\n\t\r\b\f\u0001\u001fé😀"# + "\u{7F}\"}")
    }

    @Test("Containers print compactly, empty ones too")
    func containers() {
        let doc: Document = ["a": [true, .null, [], [:]], "b": ["c": [1, [2, [3]]]]]
        #expect(doc.jsonString == #"{"a":[true,null,[],{}],"b":{"c":[1,[2,[3]]]}}"#)
        #expect(doc.description == doc.jsonString)
        #expect(doc.debugDescription == "Document(\(doc.jsonString))")
    }

    // MARK: Equality and hashing

    static let time: Document = ["$reql_type$": "TIME", "epoch_time": 1_376_436_769.923, "timezone": "+00:00"]
    static let sameInstantOtherZone: Document = ["$reql_type$": "TIME", "epoch_time": 1_376_436_769.923, "timezone": "-07:00"]

    static let equalPairs: [(Document, Document)] = [
        (1, 1.0), (.number(-0.0), 0), (["a": 1, "b": 2], ["b": 2, "a": 1.0]),
        ([1, ["x": .null]], [1.0, ["x": .null]]), ("é", "é"), (time, sameInstantOtherZone),
        (["when": time], ["when": sameInstantOtherZone]), ([:], [:]), ([], []), (.null, .null),
    ]

    static let unequalPairs: [(Document, Document)] = [
        ("\u{E9}", "e\u{301}"), (["\u{E9}": 1], ["e\u{301}": 1]), ([["k": "\u{E9}"]], [["k": "e\u{301}"]]),
        (1, "1"), (0, false), (.null, false), (.null, 0), ([], [:]), ([1, 2], [2, 1]), ([1], [1, 1]),
        (["a": 1], ["a": 1, "b": .null]), (["a": .null], [:]), (1, 1.0000000000000002),
        (time, ["$reql_type$": "TIME", "epoch_time": 1_376_436_769.924, "timezone": "+00:00"]),
        (time, ["epoch_time": 1_376_436_769.923, "timezone": "+00:00"]),
    ]

    @Test("RethinkDB's equality holds", arguments: equalPairs)
    func equal(a: Document, b: Document) {
        #expect(a == b)
        #expect(b == a)
        #expect(a.hashValue == b.hashValue, "equal documents must hash alike")
    }

    @Test("Different documents are not equal", arguments: unequalPairs)
    func unequal(a: Document, b: Document) {
        #expect(a != b)
        #expect(b != a)
    }

    @Test("Swift's String equality would merge these; Document keeps them apart")
    func normalisationMatters() {
        #expect("\u{E9}" == "e\u{301}")  // Swift: canonically equivalent
        #expect(Document.string("\u{E9}") != Document.string("e\u{301}"))
        #expect(Set<Document>(["\u{E9}", "e\u{301}"]).count == 2)
    }

    @Test("Sets and dictionaries use RethinkDB's equality")
    func hashing() {
        let set: Set<Document> = [1, 1.0, .number(-0.0), 0, "1", Self.time, Self.sameInstantOtherZone,
                                  ["a": 1, "b": 2], ["b": 2.0, "a": 1]]
        #expect(set.count == 5)
        var counts: [Document: Int] = [:]
        for value: Document in [1, 1.0, 2, ["x": [1]], ["x": [1.0]]] { counts[value, default: 0] += 1 }
        #expect(counts[1] == 2)
        #expect(counts[["x": [1]]] == 2)
    }

    // MARK: Pretty printing

    @Test("Pretty printing uses tabs and a tab after the colon, as RethinkDB's messages do", arguments: [
        (["id": 2, "a": 2], "{\n\t\"a\":\t2,\n\t\"id\":\t2\n}"),
        ([:], "{}"), ([], "[]"), (2, "2"), ("x", "\"x\""), (.null, "null"), (.number(-0.0), "-0.0"),
        ([1, "a"], "[\n\t1,\n\t\"a\"\n]"),
        ([[]], "[\n\t[]\n]"),
        (["a": [1, ["b": .null]], "c": [:], "d": []],
         "{\n\t\"a\":\t[\n\t\t1,\n\t\t{\n\t\t\t\"b\":\tnull\n\t\t}\n\t],\n\t\"c\":\t{},\n\t\"d\":\t[]\n}"),
        (["o": ["p": ["q": 1.5]]], "{\n\t\"o\":\t{\n\t\t\"p\":\t{\n\t\t\t\"q\":\t1.5\n\t\t}\n\t}\n}"),
        (["s": "line\nbreak \"q\" é"], "{\n\t\"s\":\t\"line\\nbreak \\\"q\\\" é\"\n}"),
    ] as [(Document, String)])
    func prettyPrinted(value: Document, text: String) {
        #expect(value.prettyPrinted == text)
    }

    @Test("Truncated pretty printing cuts at 300 bytes with an ellipsis")
    func truncatedPretty() {
        let short: Document = ["a": .string(String(repeating: "x", count: 10))]
        #expect(short.truncatedPrettyPrinted == short.prettyPrinted)
        let long: Document = .string(String(repeating: "y", count: 400))
        let expected = "\"" + String(repeating: "y", count: 296) + "..."
        #expect(long.truncatedPrettyPrinted == expected)
        #expect(long.truncatedPrettyPrinted.utf8.count == 300)
    }

    // MARK: Merging

    @Test("Merging recurses into objects on both sides")
    func deepMerge() {
        let old: Document = ["id": 1, "address": ["city": "Paris", "zip": "75001", "geo": ["lat": 1, "lng": 2]]]
        let merged = old.merging(["address": ["city": "Lyon", "geo": ["lat": 3]]])
        #expect(merged == ["id": 1, "address": ["city": "Lyon", "zip": "75001", "geo": ["lat": 3, "lng": 2]]])
    }

    @Test("Merging stores null instead of removing the field")
    func mergeNull() {
        let old: Document = ["id": 1, "note": "x", "keep": true]
        let merged = old.merging(["note": .null, "new": .null])
        #expect(merged.jsonString == #"{"id":1,"keep":true,"new":null,"note":null}"#)
    }

    @Test("Merging replaces arrays and scalars instead of combining them")
    func mergeReplaces() {
        let old: Document = ["tags": [1, 2, 3], "n": ["deep": 1], "s": "x"]
        let merged = old.merging(["tags": [4], "n": 5, "s": ["now": "object"]])
        #expect(merged == ["tags": [4], "n": 5, "s": ["now": "object"]])
    }

    @Test("Merging with a non-object on either side gives the patch")
    func mergeNonObjects() {
        let array: Document = [1, 2]
        let object: Document = ["a": 1]
        #expect(array.merging(["a": 1]) == ["a": 1])
        #expect(object.merging([1]) == [1])
        #expect(object.merging(.null) == .null)
        #expect(object.merging([:]) == ["a": 1])
    }
}
