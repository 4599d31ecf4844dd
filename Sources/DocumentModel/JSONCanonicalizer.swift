/// The write path's JSON reader: one pass over the input bytes that validates them, writes the
/// canonical text (keys sorted bytewise, no whitespace, shortest numbers) into `output`, and
/// notes where the document's primary key is, without building a String or a tree per value.
///
/// A syntax error throws ``JSONSyntaxError`` (nothing can be trusted after it). A problem inside a
/// well-formed value (invalid UTF-8, a non-finite number, a repeated key) only marks the current
/// document as failed (`ParsedDocument.error`), so the other documents of an array go on, as
/// they do in RethinkDB.
///
/// It is a struct with mutating methods so that its buffers are reached without the dynamic
/// exclusivity checks a class property would pay on every byte.
package struct JSONCanonicalizer {
    /// Canonical text of every document parsed since the last `reset()`.
    package var output: [UInt8] = []
    /// The primary-key field name whose value each root object's `keyRange` points at.
    package let primaryKey: [UInt8]
    /// Deeper input is refused: the parser recurses, and so do equality, merge and printing.
    package let maxDepth: Int
    /// Reads ReQL's wire form of a literal instead of JSON data: every array must be a
    /// MAKE_ARRAY term, `[2, [elements]]`, and is written as the array it makes; anything else
    /// in array position (another term) throws. How the server takes an `insert`'s documents
    /// straight from the query's bytes (see `InsertLiteral` in DocumentStoreServer).
    package var readsTermArrays = false

    // Scratch reused across documents: decoded keys and member records of the open objects.
    package var keyScratch: [UInt8] = []
    private var members: [Member] = []
    private var order: [Int] = []
    private var memberTemp: [Member] = []
    private var temp: [UInt8] = []
    // Per-document state.
    package var documentError: String?
    package var needsSemanticCompare = false
    package var maxArrayCount = 0
    private var root = RootInfo()

    package static let defaultMaxDepth = 1000

    package init(primaryKey: String = "id", maxDepth: Int = JSONCanonicalizer.defaultMaxDepth) {
        self.primaryKey = Array(primaryKey.utf8)
        self.maxDepth = maxDepth
        output.reserveCapacity(4096)
    }

    /// Forgets parsed documents but keeps the buffers' capacity.
    package mutating func reset() {
        output.removeAll(keepingCapacity: true)
    }

    private struct Member {
        package var keyStart: Int
        package var keyCount: Int
        package var start: Int       // output offset of the member's key
        package var valueStart: Int  // output offset of its value
        package var end: Int
    }

    private struct RootInfo {
        package var keyRange: Range<Int>?
        package var insertOffset = 0
        package var insertAtEnd = true
        package var memberCount = 0
    }

    package typealias Input = UnsafeBufferPointer<UInt8>

    /// Parses one value at `index` (leading whitespace skipped) as a document to store.
    package mutating func parseDocument(_ input: Input, _ index: inout Int) throws(JSONSyntaxError) -> ParsedDocument {
        beginDocument()
        skipWhitespace(input, &index)
        let start = output.count
        let first = byte(input, index)
        try value(input, &index, depth: 0, isRoot: true)
        var document = ParsedDocument(range: start..<output.count)
        document.isObject = first == UInt8(ascii: "{")
        if !document.isObject {
            document.typeName = Self.typeName(startingWith: first)
        }
        document.keyRange = root.keyRange
        document.keyInsertOffset = root.insertOffset
        document.keyInsertAtEnd = root.insertAtEnd
        document.hasMembers = root.memberCount > 0
        document.error = documentError
        document.needsSemanticCompare = needsSemanticCompare
        document.maxArrayCount = maxArrayCount
        return document
    }

    /// Clears what is noted per document (its error, flags, longest array, root object).
    package mutating func beginDocument() {
        documentError = nil
        needsSemanticCompare = false
        maxArrayCount = 0
        root = RootInfo()
    }

    package static func typeName(startingWith byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "{"): return "OBJECT"
        case UInt8(ascii: "["): return "ARRAY"
        case UInt8(ascii: "\""): return "STRING"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "BOOL"
        case UInt8(ascii: "n"): return "NULL"
        default: return "NUMBER"
        }
    }

    @inline(__always)
    package func byte(_ input: Input, _ index: Int) -> UInt8 {
        index < input.count ? input[index] : 0
    }

    @inline(__always)
    package func skipWhitespace(_ input: Input, _ index: inout Int) {
        while index < input.count {
            switch input[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"): index += 1
            default: return
            }
        }
    }

    /// Notes a problem that fails only the current document; the first one is kept.
    package mutating func failDocument(_ message: @autoclosure () -> String) {
        if documentError == nil { documentError = message() }
    }

    // `value`, `object` and `array` recurse once per nesting level, so their stack frames decide
    // how deep a document may be on a small thread stack (512 KiB for secondary threads on
    // Apple platforms, Swift concurrency's included): everything that does not recurse (scalars,
    // error texts, finishing an object) is kept out of them, in functions that are not inlined.
    // Measured: about 430 bytes a level in a release build, so 1,000 levels fit in 512 KiB
    // (ReliabilityTests' "A document 1,000 levels deep parses ... on a small thread stack").
    @inline(never)
    package mutating func value(_ input: Input, _ index: inout Int, depth: Int, isRoot: Bool = false) throws(JSONSyntaxError) {
        skipWhitespace(input, &index)
        switch byte(input, index) {
        case UInt8(ascii: "{"):
            guard depth < maxDepth else { throw Self.depthError(maxDepth, input, index) }
            try object(input, &index, depth: depth, isRoot: isRoot)
        case UInt8(ascii: "["):
            guard depth < maxDepth else { throw Self.depthError(maxDepth, input, index) }
            // Chosen here: a frame more per level would not leave 1,000 levels room on a small stack.
            if readsTermArrays {
                try makeArrayTerm(input, &index, depth: depth)
            } else {
                try elements(input, &index, depth: depth)
            }
        default:
            try scalar(input, &index)
        }
    }

    /// Any value but an object or an array.
    @inline(never)
    private mutating func scalar(_ input: Input, _ index: inout Int) throws(JSONSyntaxError) {
        switch byte(input, index) {
        case UInt8(ascii: "\""):
            try string(input, &index, isKey: false)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try number(input, &index)
        case UInt8(ascii: "t"): try literal(input, &index, "true", JSONLiteral.true)
        case UInt8(ascii: "f"): try literal(input, &index, "false", JSONLiteral.false)
        case UInt8(ascii: "n"): try literal(input, &index, "null", JSONLiteral.null)
        case UInt8(ascii: "N"), UInt8(ascii: "I"):
            try nonFiniteLiteral(input, &index, negative: false)
        default:
            throw Self.unexpectedValue(input, index)
        }
    }

    package static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "0x" + String(byte, radix: 16, uppercase: true)
    }

    @inline(never)
    mutating func elements(_ input: Input, _ index: inout Int, depth: Int) throws(JSONSyntaxError) {
        index += 1
        output.append(UInt8(ascii: "["))
        skipWhitespace(input, &index)
        if byte(input, index) == UInt8(ascii: "]") {
            index += 1
            output.append(UInt8(ascii: "]"))
            return
        }
        var count = 0
        while true {
            try value(input, &index, depth: depth + 1)
            count += 1
            skipWhitespace(input, &index)
            switch byte(input, index) {
            case UInt8(ascii: ","):
                index += 1
                output.append(UInt8(ascii: ","))
            case UInt8(ascii: "]"):
                index += 1
                output.append(UInt8(ascii: "]"))
                if count > maxArrayCount { maxArrayCount = count }
                return
            default:
                throw Self.syntaxError("Expected ',' or ']' after an array element", input, index)
            }
        }
    }

    @inline(never)
    private mutating func object(_ input: Input, _ index: inout Int, depth: Int, isRoot: Bool) throws(JSONSyntaxError) {
        index += 1
        output.append(UInt8(ascii: "{"))
        let bodyStart = output.count
        skipWhitespace(input, &index)
        if byte(input, index) == UInt8(ascii: "}") {
            index += 1
            output.append(UInt8(ascii: "}"))
            if isRoot { root.insertOffset = bodyStart }
            return
        }
        let memberBase = members.count
        let keyBase = keyScratch.count
        while true {
            let member = try memberKey(input, &index)
            try value(input, &index, depth: depth + 1)
            if try memberEnd(member, input, &index) {
                closeObject(bodyStart: bodyStart, memberBase: memberBase, keyBase: keyBase, isRoot: isRoot)
                return
            }
        }
    }

    /// Reads a member's key and its colon; returns the member with its value still to come.
    @inline(never)
    private mutating func memberKey(_ input: Input, _ index: inout Int) throws(JSONSyntaxError) -> Member {
        guard byte(input, index) == UInt8(ascii: "\"") else {
            throw Self.syntaxError("Expected a string key in an object", input, index)
        }
        let start = output.count
        let keyStart = keyScratch.count
        try string(input, &index, isKey: true)
        skipWhitespace(input, &index)
        guard byte(input, index) == UInt8(ascii: ":") else {
            throw Self.syntaxError("Expected ':' after an object key", input, index)
        }
        index += 1
        output.append(UInt8(ascii: ":"))
        return Member(keyStart: keyStart, keyCount: keyScratch.count - keyStart, start: start, valueStart: output.count, end: 0)
    }

    /// Records the member whose value was just read; true when the object ends after it.
    @inline(never)
    private mutating func memberEnd(_ member: Member, _ input: Input, _ index: inout Int) throws(JSONSyntaxError) -> Bool {
        var member = member
        member.end = output.count
        members.append(member)
        skipWhitespace(input, &index)
        switch byte(input, index) {
        case UInt8(ascii: ","):
            index += 1
            output.append(UInt8(ascii: ","))
            skipWhitespace(input, &index)
            return false
        case UInt8(ascii: "}"):
            index += 1
            return true
        default:
            throw Self.syntaxError("Expected ',' or '}' after an object member", input, index)
        }
    }

    @inline(never)
    private mutating func closeObject(bodyStart: Int, memberBase: Int, keyBase: Int, isRoot: Bool) {
        finishObject(bodyStart: bodyStart, memberBase: memberBase, isRoot: isRoot)
        members.removeSubrange(memberBase...)
        keyScratch.removeSubrange(keyBase...)
        output.append(UInt8(ascii: "}"))
    }

    private func compareKeys(_ a: Member, _ b: Member) -> Int {
        keyScratch.withUnsafeBufferPointer { keys in
            compareBytes(UnsafeBufferPointer(rebasing: keys[a.keyStart..<(a.keyStart + a.keyCount)]),
                         UnsafeBufferPointer(rebasing: keys[b.keyStart..<(b.keyStart + b.keyCount)]))
        }
    }

    /// Puts the object's members in key order (most objects arrive unsorted), rejects a repeated
    /// key, and for a document's root object records where its primary key is.
    private mutating func finishObject(bodyStart: Int, memberBase: Int, isRoot: Bool) {
        let count = members.count - memberBase
        var sorted = true
        if count > 1 {
            for position in (memberBase + 1)..<(memberBase + count)
            where compareKeys(members[position - 1], members[position]) >= 0 {
                sorted = false
                break
            }
        }
        if !sorted {
            reorderMembers(bodyStart: bodyStart, memberBase: memberBase, count: count)
        }
        guard isRoot else { return }
        root.memberCount = count
        root.insertOffset = output.count
        root.insertAtEnd = true
        for position in memberBase..<members.count {
            let member = members[position]
            let order = keyScratch.withUnsafeBufferPointer { keys in
                primaryKey.withUnsafeBufferPointer { pk in
                    compareBytes(UnsafeBufferPointer(rebasing: keys[member.keyStart..<(member.keyStart + member.keyCount)]), pk)
                }
            }
            if order == 0 {
                root.keyRange = member.valueStart..<member.end
                return
            }
            if order > 0 {
                root.insertOffset = member.start
                root.insertAtEnd = false
                return
            }
        }
    }

    private mutating func reorderMembers(bodyStart: Int, memberBase: Int, count: Int) {
        order.removeAll(keepingCapacity: true)
        order.append(contentsOf: memberBase..<(memberBase + count))
        // Insertion sort: objects are small, and it is stable and allocation-free.
        for i in 1..<order.count {
            let current = order[i]
            var j = i - 1
            while j >= 0 && compareKeys(members[order[j]], members[current]) > 0 {
                order[j + 1] = order[j]
                j -= 1
            }
            order[j + 1] = current
        }
        for i in 1..<order.count where compareKeys(members[order[i - 1]], members[order[i]]) == 0 {
            let member = members[order[i]]
            let key = String(decoding: keyScratch[member.keyStart..<(member.keyStart + member.keyCount)], as: UTF8.self)
            var quoted: [UInt8] = []
            JSONFormat.appendQuoted(key, to: &quoted)
            failDocument("Duplicate key \(String(decoding: quoted, as: UTF8.self)) in JSON.")
            break
        }
        temp.removeAll(keepingCapacity: true)
        temp.append(contentsOf: output[bodyStart...])
        output.removeSubrange(bodyStart...)
        memberTemp.removeAll(keepingCapacity: true)
        for (position, memberIndex) in order.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            let member = members[memberIndex]
            let newStart = output.count
            output.append(contentsOf: temp[(member.start - bodyStart)..<(member.end - bodyStart)])
            let shift = newStart - member.start
            memberTemp.append(Member(
                keyStart: member.keyStart, keyCount: member.keyCount,
                start: member.start + shift, valueStart: member.valueStart + shift, end: member.end + shift))
        }
        for position in 0..<count {
            members[memberBase + position] = memberTemp[position]
        }
    }
}

/// Where one parsed document's canonical text is, and what the write path needs to know about it.
package struct ParsedDocument: Sendable {
    package var range: Range<Int>
    package var isObject = true
    package var typeName = "OBJECT"
    /// The primary key's value in the canonical text, when the root object has the key.
    package var keyRange: Range<Int>?
    /// Where a generated key member goes to keep the keys sorted.
    package var keyInsertOffset = 0
    package var keyInsertAtEnd = true
    package var hasMembers = false
    /// The first problem found inside the document (RethinkDB's text); the document fails.
    package var error: String?
    /// The text holds `-0` or a `$reql_type$` key: equal documents may differ in bytes.
    package var needsSemanticCompare = false
    package var maxArrayCount = 0
}
