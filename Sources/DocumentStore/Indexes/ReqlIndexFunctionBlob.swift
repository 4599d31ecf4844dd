import DocumentModel
import ReQL

/// RethinkDB 2.4's `$reql_index_function$` definition, byte for byte (`sindex_config_to_string`
/// and `serialize_sindex_info` in RethinkDB's source), so that `rethinkdb restore` into a
/// RethinkDB cluster accepts what `docstore dump` wrote, and the reverse.
///
/// After the prefix, all integers little-endian:
///
/// | bytes | field |
/// |---|---|
/// | 1 | cluster (serialization) version: 9 = 2.4; 7 and 8 (2.2, 2.3) are read the same way |
/// | 3 | ReQL versions: original, latest compatible, latest checked (7 = 2.4) |
/// | … | the function, ``ReqlWireFunctionBlob`` (`wire_func_t`) |
/// | 1 + 1 | multi, geo |
enum ReqlIndexFunctionBlob {
    static let clusterVersion24: UInt8 = 9
    static let reqlVersion24: UInt8 = 7

    /// The definition of an index, as RethinkDB 2.4 writes it in `index_status`.
    static func encode(_ function: IndexFunction, multi: Bool, geo: Bool) -> [UInt8] {
        // Checked when the function was made, so compiling cannot fail here.
        guard let compiled = try? Term.compile(function.term), compiled.args.count == 2 else {
            preconditionFailure("an IndexFunction holds a compiled FUNC term")
        }
        var writer = BlobWriter()
        writer.byte(clusterVersion24)
        writer.append([reqlVersion24, reqlVersion24, reqlVersion24])
        ReqlWireFunctionBlob.write(compiled, to: &writer)
        writer.byte(multi ? 1 : 0)
        writer.byte(geo ? 1 : 0)
        return writer.bytes
    }

    /// The function and flags of a RethinkDB definition (the bytes after the prefix).
    ///
    /// - Throws: `DocumentStoreError` with RethinkDB's messages for obsolete versions and
    ///   malformed bytes, and DocStore's own for the definitions it cannot read (JavaScript,
    ///   captured variables, RethinkDB 2.1 and older).
    static func decode(_ bytes: [UInt8], from start: Int) throws -> (function: IndexFunction, multi: Bool, geo: Bool) {
        do {
            return try read(bytes, from: start)
        } catch let error as BlobFormatError {
            throw DocumentStoreError(.queryLogic, "Binary blob passed to index create could not be interpreted as a reql_index_function (\(error.reason)).")
        }
    }

    private static func read(_ bytes: [UInt8], from start: Int) throws -> (function: IndexFunction, multi: Bool, geo: Bool) {
        var reader = BlobReader(bytes, offset: start)
        let cluster = try reader.byte("sindex description")
        switch cluster {
        case 0, 1:
            throw DocumentStoreError(.queryLogic, "Attempted to import a RethinkDB 1.13 secondary index, which is no longer supported.  This secondary index may be updated by importing into RethinkDB 2.0.")
        case 2...6:
            throw DocumentStoreError(.queryLogic, "DocStore reads index definitions written by RethinkDB 2.2 or later (this one was serialized by an older version, which kept functions as protocol buffers); create this index again from its function, or dump the table with `--no-secondary-indexes`.")
        case 7...9:
            break
        default:
            throw BlobFormatError("Unrecognized cluster serialization version.")
        }
        let original = try reader.byte("original_reql_version")
        if original < 2 {
            throw DocumentStoreError(.queryLogic, "Attempted to import a secondary index from before RethinkDB 1.16, which is no longer supported.  This secondary index may be updated by importing into RethinkDB 2.1.")
        }
        for field in ["latest_compatible_reql_version", "latest_checked_reql_version"] {
            let version = try reader.byte(field)
            guard (2...7).contains(version) else {
                throw BlobFormatError("Deserialization of \(field) failed with error archive_result_t::RANGE_ERROR.")
            }
        }
        let function = try readFunction(&reader)
        let multi = try flag(&reader)
        let geo = try flag(&reader)
        guard reader.isAtEnd else { throw BlobFormatError("An sindex description was incompletely deserialized.") }
        return (function, multi, geo)
    }

    private static func readFunction(_ reader: inout BlobReader) throws -> IndexFunction {
        let term = try ReqlWireFunctionBlob.read(
            &reader, field: "sindex description",
            javaScript: DocumentStoreError(.queryLogic, "Index functions must be deterministic."),
            capturedScope: DocumentStoreError(.queryLogic, "DocStore cannot read an index function that captured variables of the query that created it; create this index again from its function, or restore with `--no-secondary-indexes`."),
            checkArity: { count in
                guard count <= 1 else {
                    throw DocumentStoreError(.queryLogic, "Expected function with 1 argument but found function with \(count) arguments.")
                }
            })
        return try IndexFunction(reql: term)
    }

    private static func flag(_ reader: inout BlobReader) throws(BlobFormatError) -> Bool {
        switch try reader.byte("sindex description") {
        case 0: return false
        case 1: return true
        default: throw BlobFormatError("Deserialization of sindex description failed with error archive_result_t::RANGE_ERROR.")
        }
    }
}
