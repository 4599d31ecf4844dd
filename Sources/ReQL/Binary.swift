import DocumentModel

/// `r.binary` values. RethinkDB holds them as raw bytes; DocStore keeps them as the pseudotype
/// object the protocol sends (`{"$reql_type$": "BINARY", "data": <base64>}`), always with
/// canonical base64, so equal bytes are equal documents. Operations on them (`count`,
/// `slice`, comparison, coercion) work on the decoded bytes.
package enum Binary {
    package static func make(_ bytes: some Collection<UInt8>) -> Document {
        ["$reql_type$": "BINARY", "data": .string(Base64.encode(bytes))]
    }

    /// The bytes of a binary value; nil for anything else.
    package static func bytes(of value: Document) -> [UInt8]? {
        guard case .object(let object) = value, object.reqlType == "BINARY",
              case .string(let data)? = object["data"] else { return nil }
        return try? Base64.decode(data)
    }

    package static func isBinary(_ value: Document) -> Bool {
        if case .object(let object) = value { return object.reqlType == "BINARY" }
        return false
    }

    /// Byte order, as RethinkDB compares binary values; nil unless both are binary.
    package static func compare(_ a: Document, _ b: Document) -> Int? {
        guard let left = bytes(of: a), let right = bytes(of: b) else { return nil }
        if left == right { return 0 }
        return left.lexicographicallyPrecedes(right) ? -1 : 1
    }

    /// What RethinkDB does to an object with a `$reql_type$` as it is built
    /// (`maybe_sanitize_ptype`): a binary object is checked and its base64 made canonical,
    /// an unknown type is refused. Other objects come back unchanged.
    package static func sanitize(_ value: Document) throws(ReqlError) -> Document {
        guard case .object(let object) = value, let type = object["$reql_type$"] else { return value }
        guard case .string(let name) = type else {
            throw .runtime(.queryLogic, "Error: Field `$reql_type$` must be a string (got `\(type.jsonString)` of type \(type.typeName)):\n\(value.prettyPrinted)")
        }
        switch name {
        case "BINARY":
            var data: String?
            for (key, field) in object where key != "$reql_type$" {
                guard key == "data" else {
                    throw .runtime(.queryLogic, "Invalid binary pseudotype: illegal `\(key)` key.")
                }
                guard case .string(let text) = field else {
                    throw .runtime(.queryLogic, "Expected type STRING but found \(field.typeName).")
                }
                data = text
            }
            guard let data else { throw .runtime(.queryLogic, "Invalid binary pseudotype: lacking `data` key.") }
            do throws(DocumentStoreError) {
                return make(try Base64.decode(data))
            } catch {
                throw ReqlError(error)
            }
        case "GEOMETRY":
            try GeoJSON.sanitize(object)
            return value
        case "TIME", "LITERAL":
            return value
        default:
            throw .runtime(.queryLogic, "Unknown $reql_type$ `\(value.typeName)`.")
        }
    }

    /// ``sanitize(_:)`` on every object of a parsed document, innermost first (`r.json`).
    package static func sanitizeAll(_ value: Document) throws(ReqlError) -> Document {
        switch value {
        case .array(let elements):
            var result: [Document] = []
            result.reserveCapacity(elements.count)
            for element in elements { result.append(try sanitizeAll(element)) }
            return .array(result)
        case .object(let object):
            var fields: [(String, Document)] = []
            for (key, field) in object { fields.append((key, try sanitizeAll(field))) }
            return try sanitize(.object(DocumentObject(uniqueKeysWithValues: fields)))
        default:
            return value
        }
    }
}
