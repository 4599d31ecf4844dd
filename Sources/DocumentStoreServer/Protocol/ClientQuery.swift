import DocumentStore
import ReQL

/// A request from the client, its top-level shape checked: `[QueryType, term?, global_optargs?]`.
///
/// The shape is checked here, in the protocol layer, because RethinkDB rejects a malformed
/// envelope as a CLIENT_ERROR before any ReQL is looked at (`term_storage.cc`
/// `json_term_storage_t`); the term itself is the query layer's business.
enum ClientQuery: Sendable {
    /// `[1, term, {optargs}]`. `noreply` is read here because it decides whether the protocol
    /// layer answers at all. For an insert of plain data, `documents` holds its documents as
    /// canonical JSON and the term `null` in their place (``InsertLiteral``).
    case start(term: Document, globalOptargs: DocumentObject, noreply: Bool, documents: [UInt8]? = nil)
    /// `[2]`: the next batch of an open stream.
    case continueStream
    /// `[3]`: close an open stream.
    case stop
    /// `[4]`: answer once every earlier noreply query on this connection has finished.
    case noreplyWait
    /// `[5]`: describe the server.
    case serverInfo

    /// Parses a frame's payload, or returns the CLIENT_ERROR message RethinkDB would send.
    static func parse(_ payload: [UInt8]) -> Result<ClientQuery, ReqlError> {
        if let literal = InsertLiteral.split(payload), let skeleton = try? Document(parsing: literal.skeleton),
           case .success(.start(let term, let optargs, let noreply, _)) = self.interpret(skeleton),
           InsertLiteral.fits(globalOptargs: optargs) {
            return .success(.start(term: term, globalOptargs: optargs, noreply: noreply, documents: literal.documents))
        }
        let json: Document
        do {
            json = try Document(parsing: payload)
        } catch {
            return .failure(.client("Client is buggy (failed to deserialize query)."))
        }
        return self.interpret(json)
    }

    /// RethinkDB prefixes every shape complaint with the same words (`json.cc`).
    private static func malformed(_ message: String) -> Result<ClientQuery, ReqlError> {
        .failure(.client("Server could not parse query: " + message))
    }

    private static func interpret(_ json: Document) -> Result<ClientQuery, ReqlError> {
        guard case .array(let elements) = json else {
            return self.malformed("Expected a query to be an array, but found \(self.typeName(json)).")
        }
        guard (1...3).contains(elements.count) else {
            return self.malformed("Expected 1 to 3 elements in the top-level query, but found \(elements.count).")
        }
        guard case .number(let rawType) = elements[0] else {
            return self.malformed("Expected a query type as a number, but found \(self.typeName(elements[0])).")
        }
        // RethinkDB reads the type with rapidjson's GetInt, so a fraction is cut off in the message.
        let queryType = rawType.isFinite ? Int(exactly: rawType.rounded(.towardZero)) ?? 0 : 0
        guard (1...5).contains(queryType), Double(queryType) == rawType else {
            return self.malformed("Unrecognized QueryType: \(queryType).")
        }
        var globalOptargs = DocumentObject()
        if elements.count == 3 {
            guard case .object(let object) = elements[2] else {
                return self.malformed("Expected global optargs as an object, but found \(self.typeName(elements[2])).")
            }
            globalOptargs = object
        }
        switch queryType {
        case 1:
            // RethinkDB only sanity-checks this (a START always carries a term from real drivers),
            // so the wording is ours.
            guard elements.count >= 2 else {
                return self.malformed("Expected a term in a START query, but found none.")
            }
            return .success(
                .start(term: elements[1], globalOptargs: globalOptargs, noreply: self.isNoreply(globalOptargs))
            )
        case 2: return .success(.continueStream)
        case 3: return .success(.stop)
        case 4: return .success(.noreplyWait)
        default: return .success(.serverInfo)
        }
    }

    /// `noreply` counts only as `true` or the DATUM term `[1,true]`; anything else is false,
    /// as in RethinkDB's `static_optarg_as_bool`, which reads the raw JSON before compiling.
    static func isNoreply(_ globalOptargs: DocumentObject) -> Bool {
        isSet("noreply", globalOptargs)
    }

    /// A global optarg read as RethinkDB reads `noreply` and `profile` before compiling
    /// (`static_optarg_as_bool`).
    static func isSet(_ name: String, _ globalOptargs: DocumentObject) -> Bool {
        switch globalOptargs[name] {
        case .bool(let value)?:
            return value
        case .array(let term)? where term.count == 2 && term[0].doubleValue == 1:
            return term[1].boolValue ?? false
        default:
            return false
        }
    }

    /// rapidjson's type names, which RethinkDB prints in these messages: a `$reql_type$` object
    /// is still just an `OBJECT` at this level.
    static func typeName(_ value: Document) -> String {
        switch value {
        case .null: return "NULL"
        case .bool: return "BOOL"
        case .number: return "NUMBER"
        case .string: return "STRING"
        case .array: return "ARRAY"
        case .object: return "OBJECT"
        }
    }
}
