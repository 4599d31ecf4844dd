import DocumentModel
import ReQL

/// RethinkDB's serialization of a ReQL function, `ql::wire_func_t` (`rdb_protocol/wire_func.cc`,
/// 2.1 and later), the part an index definition (``ReqlIndexFunctionBlob``) and a write hook
/// (``WriteHook/binary``) share, so both move between DocStore and a RethinkDB cluster.
///
/// All integers little-endian:
///
/// | bytes | field |
/// |---|---|
/// | 1 | function kind: 0 = ReQL, 1 = JavaScript |
/// | varint + … | captured variables (`var_scope_t`'s map; empty for a function a driver sent) |
/// | 4 | implicit-variable depth, then a has-value byte when it is 1 |
/// | varint + 8 each | argument variable ids (`sym_t`, int64) |
/// | 4 + n | the body: its length including a final NUL, then ``StoredTermTree`` JSON and NUL |
/// | 4 | the function's backtrace id |
enum ReqlWireFunctionBlob {
    /// Appends a compiled FUNC term the way RethinkDB serialises it, with backtrace ids 0.
    static func write(_ compiled: Term, to writer: inout BlobWriter) {
        precondition(compiled.args.count == 2, "a compiled FUNC term has a parameter list and a body")
        writer.byte(0)
        writer.varint(0)
        writer.littleEndian(UInt32(0))
        let parameters = parameterIDs(compiled.args[0])
        writer.varint(UInt64(parameters.count))
        for id in parameters { writer.littleEndian(id) }
        let body = StoredTermTree.stored(compiled.args[1]).jsonBytes
        writer.littleEndian(Int32(body.count + 1))
        writer.append(body)
        writer.byte(0)
        writer.littleEndian(UInt32(0))
    }

    /// The variable ids of a FUNC's parameter list, `[2, [1]]` or a literal array.
    private static func parameterIDs(_ list: Term) -> [Int64] {
        let values = list.type == .makeArray ? list.args.map(\.datum) : (list.datum.arrayValue ?? [])
        return values.compactMap { $0.doubleValue.flatMap { Int64(exactly: $0) } }
    }

    /// Reads one function and gives it as its FUNC term in the JSON wire form.
    ///
    /// - Parameters:
    ///   - field: what RethinkDB names in its archive errors (`sindex description`, ...).
    ///   - javaScript: thrown for an `r.js` function, which neither an index nor a hook may be
    ///     (RethinkDB refuses it as not deterministic, each with its own text).
    ///   - capturedScope: thrown for a function that captured variables of the query that made
    ///     it; DocStore's terms cannot carry them.
    ///   - checkArity: called with the argument count before the ids are read, so a caller
    ///     that knows its arity can give RethinkDB's message for it first.
    /// - Throws: ``BlobFormatError`` for malformed bytes, else the caller's errors.
    static func read(_ reader: inout BlobReader, field: String, javaScript: DocumentStoreError,
                     capturedScope: DocumentStoreError, checkArity: (UInt64) throws -> Void = { _ in }) throws -> Document {
        switch try reader.byte(field) {
        case 0: break
        case 1: throw javaScript
        default: throw BlobFormatError("Deserialization of \(field) failed with error archive_result_t::RANGE_ERROR.")
        }
        let captured = try reader.varint(field)
        let implicitDepth = try reader.littleEndian(4, field)
        let hasImplicit = implicitDepth == 1 ? try reader.byte(field) != 0 : false
        if captured != 0 || hasImplicit { throw capturedScope }
        let count = try reader.varint(field)
        try checkArity(count)
        var parameters: [Document] = []
        // No reserveCapacity: a corrupt count must end in SOCK_EOF, not a huge allocation.
        for _ in 0..<count {
            parameters.append(.number(Double(Int64(bitPattern: try reader.littleEndian(8, field)))))
        }
        let length = Int(Int32(truncatingIfNeeded: try reader.littleEndian(4, field)))
        guard length >= 1 else { throw BlobFormatError("Deserialization of \(field) failed with error archive_result_t::RANGE_ERROR.") }
        let text = try reader.bytes(length, field)
        // The length counts the NUL that ends the JSON; RapidJSON stops at it.
        let json = Array(text.prefix { $0 != 0 })
        let body: Document
        do {
            body = try Document(parsing: json)
        } catch {
            throw BlobFormatError("the function's body is not JSON")
        }
        _ = try reader.littleEndian(4, field)
        return [.number(Double(TermType.function.rawValue)),
                [[.number(Double(TermType.makeArray.rawValue)), .array(parameters)], try StoredTermTree.wire(body)]]
    }
}
