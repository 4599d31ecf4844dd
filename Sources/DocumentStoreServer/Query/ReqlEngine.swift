import DocumentStore
import Foundation
import Logging

/// The query layer of `docstore serve`: compiles each START query's term, evaluates it onto the
/// DocumentStore library, and says what the protocol layer should send back.
final class ReqlEngine: QueryRunning {
    let registry: DatabaseRegistry
    private let logger: Logger

    /// Opens (creating if needed) the data directory, with one SQLite file per database.
    init(dataDirectory: String, logger: Logger) throws {
        self.logger = logger
        registry = try DatabaseRegistry(directory: dataDirectory, logger: logger)
    }

    /// Releases the databases; their files are closed when the last query using them ends.
    func close() {
        registry.closeAll()
    }

    func start(term json: Document, globalOptargs: DocumentObject) async -> QueryOutcome {
        do throws(ReqlError) {
            let term = try Term.compile(json)
            let context = try await makeContext(globalOptargs)
            let value = try await Evaluator(context: context).eval(term, Environment())
            switch value {
            case .datum(let document):
                try Bound.checkOutput(document)
                return .atom(document)
            case .singleSelection(_, _, let row):
                return .atom(row ?? .null)
            case .table(let table):
                return .stream(Cursor(rows: .table(table.table)))
            case .selection(_, let rows), .stream(let rows):
                return .stream(Cursor(rows: rows))
            default:
                throw .runtime(.queryLogic, "Query result must be of type DATUM, GROUPED_DATA, or STREAM (got \(value.typeName)).")
            }
        } catch {
            if error.errorType == ReqlError.ErrorType.internal.rawValue {
                logger.error("query failed: \(error.message)")
            }
            return .error(error)
        }
    }

    /// RethinkDB's global optargs (`optargs.cc` `acceptable_optargs`); any other is refused.
    static let acceptableGlobalOptargs: Set<String> = [
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

    private func makeContext(_ optargs: DocumentObject) async throws(ReqlError) -> QueryContext {
        let now: Document = ["$reql_type$": "TIME", "epoch_time": .number((Date().timeIntervalSince1970 * 1000).rounded() / 1000),
                             "timezone": "+00:00"]
        var values: [String: Value] = [:]
        var database = "test"
        var arrayLimit = 100_000
        let bootstrap = Evaluator(context: QueryContext(registry: registry, defaultDatabase: "test", globalOptargs: [:],
                                                        arrayLimit: arrayLimit, now: now))
        for (name, json) in optargs {
            guard Self.acceptableGlobalOptargs.contains(name) else {
                throw .compile("Unrecognized global optional argument `\(name)`.")
            }
            let term = try Term.compile(json)
            let value = try await bootstrap.eval(term, Environment())
            values[name] = value
            switch (name, value) {
            case ("db", .database(let name)): database = name
            case ("db", _): throw .runtime(.queryLogic, "Expected type DATABASE but found \(value.typeName).")
            case ("array_limit", .datum(.number(let limit))):
                guard limit >= 1, let exact = Int(exactly: limit) else {
                    throw .runtime(.queryLogic, "Illegal array size limit `\(JSONNumber.text(limit))`.  (Must be >= 1.)")
                }
                arrayLimit = exact
            case ("return_vals", _):
                throw .runtime(.queryLogic, "Error: encountered obsolete optarg `return_vals`.  Use `return_changes` instead.")
            default: break
            }
        }
        return QueryContext(registry: registry, defaultDatabase: database, globalOptargs: values, arrayLimit: arrayLimit, now: now)
    }

    /// Library and system errors in ReQL's terms: the library's error codes map onto ReQL's
    /// error types, and anything unexpected is an internal error rather than a crash.
    static func reqlError(_ error: any Error) -> ReqlError {
        switch error {
        case let error as ReqlError:
            return error
        case let error as DocumentStoreError:
            switch error.code {
            case .queryLogic: return .runtime(.queryLogic, error.message)
            case .nonExistence: return .runtime(.nonExistence, error.message)
            case .opFailed, .notADocStoreFile, .newerSchema, .storage: return .runtime(.opFailed, error.message)
            case .resourceLimit: return .runtime(.resourceLimit, error.message)
            case .compile: return .compile(error.message)
            case .busy: return .runtime(.opIndeterminate, error.message)
            default: return .runtime(.internal, error.message)
            }
        case let error as JSONSyntaxError:
            return .runtime(.queryLogic, error.description)
        default:
            return .runtime(.internal, "Unexpected exception: \(error)")
        }
    }

    static func arrayLimitError(_ limit: Int) -> ReqlError {
        .runtime(.resourceLimit, "Array over size limit `\(limit)`.  To raise the number of allowed elements, modify the `array_limit` option to `.run` (not available in the Data Explorer), or use an index.")
    }
}

/// A stream result served to a cursor in batches. An actor, because a client may send the
/// next CONTINUE before the previous batch is out (the Python driver does).
actor Cursor: QueryStream {
    private let rows: RowStream
    private var stopped = false

    init(rows: RowStream) {
        self.rows = rows
    }

    func nextBatch(limit: Int) async -> Result<(items: [Document], finished: Bool), ReqlError> {
        var items: [Document] = []
        do throws(ReqlError) {
            while !stopped && items.count < limit {
                guard let row = try await rows.next() else { return .success((items, true)) }
                try Bound.checkOutput(row)
                items.append(row)
            }
            return .success((items, stopped))
        } catch {
            return .failure(error)
        }
    }

    func stop() async {
        stopped = true
    }
}
