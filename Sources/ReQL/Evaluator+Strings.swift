import DocumentModel

extension Evaluator {
    /// String terms: `match`, `split`, `upcase`, `downcase`, `r.json`, `to_json_string`; nil
    /// when the term is not one of them.
    func stringOperation(_ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        switch term.type {
        case .match:
            let text = try string(term.args[0], env)
            let regex = try RegularExpression.compiled(try string(term.args[1], env))
            return .datum(Self.matchResult(regex, text))
        case .split:
            return .datum(try split(term, env))
        case .upcase, .downcase:
            // RethinkDB changes ASCII letters only (C's toupper/tolower byte by byte).
            let text = try string(term.args[0], env)
            let upper = term.type == .upcase
            let bytes = text.utf8.map { byte -> UInt8 in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z") where upper: return byte - 32
                case UInt8(ascii: "A")...UInt8(ascii: "Z") where !upper: return byte + 32
                default: return byte
                }
            }
            return .datum(.string(String(decoding: bytes, as: UTF8.self)))
        case .json:
            return .datum(try parseJSON(try string(term.args[0], env), term: term))
        case .toJSONString:
            return .datum(.string(try jsonText(try datum(term.args[0], env))))
        default:
            return nil
        }
    }

    /// RethinkDB's match object: the matched text and its byte offsets, and the same for each
    /// group (null for a group that took no part); null when nothing matches.
    static func matchResult(_ regex: RegularExpression, _ text: String) -> Document {
        guard let ranges = regex.firstMatch(in: text) else { return .null }
        let bytes = Array(text.utf8)
        func describe(_ range: Range<Int>) -> Document {
            ["str": .string(String(decoding: bytes[range], as: UTF8.self)),
             "start": .number(Double(range.lowerBound)), "end": .number(Double(range.upperBound))]
        }
        guard let whole = ranges[0], case .object(var result) = describe(whole) else { return .null }
        result["groups"] = .array(ranges.dropFirst().map { $0.map(describe) ?? .null })
        return .object(result)
    }

    /// The canonical JSON of a datum, refusing `r.minval`/`r.maxval` as RethinkDB does.
    func jsonText(_ value: Document) throws(ReqlError) -> String {
        try Bound.checkOutput(value)
        return value.jsonString
    }

    /// `r.json`: parses the text, with rapidjson's messages for malformed text as RethinkDB
    /// gives them, and checks the pseudotypes the text holds.
    func parseJSON(_ text: String, term: Term) throws(ReqlError) -> Document {
        if text.utf8.contains(0) {
            throw .runtime(.queryLogic, "Encountered unescaped null byte in JSON string.", backtrace: term.path)
        }
        let parsed: Document
        do {
            parsed = try Document(parsing: text)
        } catch let error as JSONSyntaxError {
            let bytes = Array(text.utf8)
            let shown = bytes.count > 40 ? String(decoding: bytes.prefix(37), as: UTF8.self) + "..." : text
            let reason = Self.rapidJSONReason(error, isEmpty: text.allSatisfy(\.isWhitespace))
            throw .runtime(.queryLogic, "Failed to parse \"\(shown)\" as JSON: \(reason)", backtrace: term.path)
        } catch {
            throw ReqlError(error)
        }
        return try Binary.sanitizeAll(parsed)
    }

    /// rapidjson's English text (`GetParseError_En`) for what DocStore's parser found.
    private static func rapidJSONReason(_ error: JSONSyntaxError, isEmpty: Bool) -> String {
        let reason = error.reason
        if isEmpty { return "The document is empty." }
        let table: [(String, String)] = [
            ("Unexpected data after", "The document root must not be followed by other values."),
            ("Expected ',' or ']'", "Missing a comma or ']' after an array element."),
            ("Expected ',' or '}'", "Missing a comma or '}' after an object member."),
            ("Expected a string key", "Missing a name for object member."),
            ("Expected ':'", "Missing a colon after a name of object member."),
            ("Unterminated string", "Missing a closing quotation mark in string."),
            ("Invalid \\u escape", "Incorrect hex digit after \\u escape in string."),
            ("Invalid escape", "Invalid escape character in string."),
            ("Unescaped control", "Invalid encoding in string."),
            ("Invalid number: expected a digit after '.'", "Miss fraction part in number."),
            ("Invalid number: expected a digit in the exponent", "Miss exponent in number."),
        ]
        for (prefix, text) in table where reason.hasPrefix(prefix) { return text }
        return "Invalid value."
    }

    /// `split`: by whitespace (the default, runs of it count as one and the ends are
    /// trimmed), by a delimiter, or into characters (an empty delimiter keeps combining marks
    /// with their letter); at most `max` splits, the rest in one last piece.
    private func split(_ term: Term, _ env: Environment) throws(ReqlError) -> Document {
        let text = try string(term.args[0], env)
        var delimiter: [Unicode.Scalar]?
        if term.args.count > 1 {
            let value = try datum(term.args[1], env)
            if !value.isNull {
                guard case .string(let separator) = value else { throw typeError("STRING", found: value.typeName, term.args[1]) }
                delimiter = Array(separator.unicodeScalars)
            }
        }
        var maxSplits = Int.max
        if term.args.count > 2 {
            let count = try integer(term.args[2], env)
            guard count >= -1 && count <= Int64(context.arrayLimit) - 1 else {
                throw .runtime(.queryLogic, "Error: `split` size argument must be in range [-1, \(context.arrayLimit - 1)].", backtrace: term.path)
            }
            if count >= 0 { maxSplits = Int(count) }
        }
        let pieces = Self.split(Array(text.unicodeScalars), by: delimiter, maxSplits: maxSplits)
        if pieces.count > context.arrayLimit { throw .arrayLimit(context.arrayLimit) }
        return .array(pieces.map { .string($0) })
    }

    static func split(_ scalars: [Unicode.Scalar], by delimiter: [Unicode.Scalar]?, maxSplits: Int) -> [String] {
        func text(_ range: Range<Int>) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return String(view)
        }
        func firstIndex(from start: Int, where predicate: (Unicode.Scalar) -> Bool) -> Int {
            var index = start
            while index < scalars.count && !predicate(scalars[index]) { index += 1 }
            return index
        }
        let isSpace: (Unicode.Scalar) -> Bool = { $0.properties.isWhitespace }
        let end = scalars.count
        var pieces: [String] = []
        var current = 0
        while true {
            if pieces.count == maxSplits {
                // The rest, whole: only the whitespace form trims its start.
                if let delimiter {
                    if !delimiter.isEmpty || current != end { pieces.append(text(current..<end)) }
                } else {
                    let start = firstIndex(from: current) { !isSpace($0) }
                    if start != end { pieces.append(text(start..<end)) }
                }
                return pieces
            }
            if let delimiter, delimiter.isEmpty {
                guard current < end else { return pieces }
                let next = firstIndex(from: current + 1) { !Self.isCombining($0) }
                pieces.append(text(current..<next))
                current = next
            } else if let delimiter {
                let next = Self.find(delimiter, in: scalars, from: current) ?? end
                pieces.append(text(current..<next))
                guard next != end else { return pieces }
                current = next + delimiter.count
            } else {
                let next = firstIndex(from: current, where: isSpace)
                if next == end {
                    let start = firstIndex(from: current) { !isSpace($0) }
                    if start != end { pieces.append(text(start..<end)) }
                    return pieces
                }
                if current != next { pieces.append(text(current..<next)) }
                current = next + 1
            }
        }
    }

    /// Combining marks (general category M), which `split("")` keeps with the character before.
    private static func isCombining(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    private static func find(_ needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], from start: Int) -> Int? {
        guard needle.count <= haystack.count - start else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0] && haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
