import DocumentModel
import Foundation

/// One START query's term and global optargs, compiled and run: the whole of ReQL between the
/// protocol layer (which owns sockets, tokens and cursors) and storage (``TableAccess``).
package enum Query {
    /// What a query gives the client: one datum, or a stream served in batches.
    package enum Result: Sendable {
        case datum(Document)
        case stream(RowStream)
    }

    /// Compiles and evaluates a START query's term (`[1, term, globalOptargs]`); `globalOptargs`
    /// is the query's third element, not yet validated.
    ///
    /// Runs on the calling thread until the answer (or a stream's first pull) is there; it
    /// blocks on storage, so call it from a thread that may block.
    ///
    /// With a `profile`, the evaluation is recorded in it (the `profile: true` run option).
    package static func run(
        _ json: Document, globalOptargs: DocumentObject, tables: any TableAccess, cancellation: CancellationToken,
        profile: QueryProfile? = nil, insertDocuments: [UInt8]? = nil
    ) throws(ReqlError) -> Result {
        // A profile lists each term evaluated, so a profiled query keeps them all.
        let term = try Term.compile(json, foldingLiterals: profile == nil)
        var context = try makeContext(globalOptargs, tables: tables, cancellation: cancellation)
        context.profile = profile
        if let insertDocuments {
            // The server sends documents as text only for a root `insert` with `null` in their place.
            guard term.type == .insert, term.args.count == 2, !term.splicesArguments, term.args[1].type == .datum,
                  term.args[1].datum == .null else {
                throw .runtime(.internal, "Documents given as text for a query that is not an insert of them.")
            }
            context.insertDocuments = (term.args[1], insertDocuments)
        }
        let value = try Evaluator(context: context).eval(term, Environment())
        switch value {
        case .datum(let document):
            try Bound.checkOutput(document)
            try Literal.rejectStray(in: document)
            return .datum(document)
        case .writeResult(let result):
            return .datum(result.document)
        case .singleSelection(_, _, let row):
            return .datum(row ?? .null)
        case .table, .selection, .stream:
            return .stream(try Evaluator(context: context).stream(of: value, term: term))
        case .groupedData(let data):
            try Bound.checkOutput(data.pseudotype)
            return .datum(data.pseudotype)
        case .groupedStream(let stream):
            let data = try stream.collect(limit: context.arrayLimit)
            try Bound.checkOutput(data.pseudotype)
            return .datum(data.pseudotype)
        default:
            throw .runtime(.queryLogic, "Query result must be of type DATUM, GROUPED_DATA, or STREAM (got \(value.typeName)).")
        }
    }

    /// RethinkDB's global optargs (`optargs.cc` `acceptable_optargs`); any other is refused.
    package static let acceptableGlobalOptargs: Set<String> = [
        "array_limit", "attempts", "auth", "base", "binary_format", "changefeed_queue_size", "conflict", "data", "db",
        "default", "default_timezone", "dry_run", "durability", "emergency_repair", "emit", "fill", "final_emit",
        "first_batch_scaledown_factor", "float", "geo", "geo_system", "group_format", "header", "identifier_format",
        "ignore_write_hook", "include_initial", "include_offsets", "include_states", "include_types", "index",
        "interleave", "ordered", "left_bound", "max_batch_bytes", "max_batch_rows", "max_batch_seconds", "max_dist",
        "max_results", "method", "min_batch_rows", "multi", "non_atomic", "nonvoting_replica_tags", "noreply",
        "num_vertices", "overwrite", "page", "page_limit", "params", "primary_key", "primary_replica_tag", "profile",
        "read_mode", "redirects", "replicas", "result_format", "return_changes", "return_vals", "right_bound", "shards",
        "squash", "time_format", "timeout", "unit", "use_outdated", "verify", "wait_for",
    ]

    /// The context a query runs in: its global optargs evaluated, `r.now()` fixed.
    package static func makeContext(
        _ optargs: DocumentObject, tables: any TableAccess, cancellation: CancellationToken
    ) throws(ReqlError) -> QueryContext {
        let now: Document = ["$reql_type$": "TIME", "epoch_time": .number((Date().timeIntervalSince1970 * 1000).rounded() / 1000),
                             "timezone": "+00:00"]
        var context = QueryContext(tables: tables, now: now, cancellation: cancellation)
        let bootstrap = Evaluator(context: context)
        for (name, json) in optargs {
            guard acceptableGlobalOptargs.contains(name) else {
                throw .compile("Unrecognized global optional argument `\(name)`.")
            }
            let value: Value
            do throws(ReqlError) {
                value = try bootstrap.eval(try Term.compile(json), Environment())
            } catch where error.responseType == .runtimeError {
                context.deferredOptargErrors[name] = error
                continue
            }
            context.globalOptargs[name] = value
            switch (name, value) {
            case ("db", .database(let named)): context.defaultDatabase = named.name
            case ("db", _):
                context.deferredOptargErrors[name] = .runtime(.queryLogic, "Expected type DATABASE but found \(value.valueTypeName):\n\(value.printed)")
            case ("array_limit", .datum(.number(let limit))):
                guard limit >= 1, let exact = Int(exactly: limit) else {
                    throw .runtime(.queryLogic, ArrayLimit.illegalMessage(JSONNumber.text(limit)))
                }
                context.arrayLimit = exact
            case ("return_vals", _):
                throw .runtime(.queryLogic, "Error: encountered obsolete optarg `return_vals`.  Use `return_changes` instead.")
            default: break
            }
        }
        return context
    }
}
