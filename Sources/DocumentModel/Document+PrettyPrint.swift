extension Document {
    /// The document as RethinkDB prints it inside error messages: one tab per level, `":\t"`
    /// after keys, sorted keys, empty containers as `{}` and `[]`.
    ///
    /// ```swift
    /// let doc: Document = ["id": 2, "a": 2]
    /// doc.prettyPrinted  // "{\n\t\"a\":\t2,\n\t\"id\":\t2\n}"
    /// ```
    public var prettyPrinted: String {
        var out: [UInt8] = []
        appendPretty(to: &out, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    /// RethinkDB's `trunc_print`: the pretty text cut to 300 bytes (297 and `...`).
    package var truncatedPrettyPrinted: String {
        let text = prettyPrinted
        guard text.utf8.count > 300 else { return text }
        return String(decoding: text.utf8.prefix(297), as: UTF8.self) + "..."
    }

    private func appendPretty(to out: inout [UInt8], indent: Int) {
        switch self {
        case .array(let elements) where !elements.isEmpty:
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                out.append(contentsOf: index == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
                out.append(contentsOf: repeatElement(0x09, count: indent + 1))
                element.appendPretty(to: &out, indent: indent + 1)
            }
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x09, count: indent))
            out.append(UInt8(ascii: "]"))
        case .object(let object) where !object.isEmpty:
            out.append(UInt8(ascii: "{"))
            for index in object.keys.indices {
                out.append(contentsOf: index == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
                out.append(contentsOf: repeatElement(0x09, count: indent + 1))
                JSONFormat.appendQuoted(object.keys[index], to: &out)
                out.append(contentsOf: [UInt8(ascii: ":"), 0x09])
                object.values[index].appendPretty(to: &out, indent: indent + 1)
            }
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x09, count: indent))
            out.append(UInt8(ascii: "}"))
        default:
            appendJSON(to: &out)
        }
    }
}
