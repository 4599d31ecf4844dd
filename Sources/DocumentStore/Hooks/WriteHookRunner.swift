import DocumentModel
import Foundation
import ReQL

/// A table's write hook compiled for one write call: RethinkDB's `apply_write_hook`, run by the
/// writer on each document inside the write's transaction, before the document's checks, its
/// index entries and its change record (which therefore all see the hook's result).
///
/// The function is evaluated as index functions are, with no table access (it was checked to
/// be deterministic when it was set) and with the call's one `timestamp`, so that every
/// document of a write gets the same instant, as every `r.now()` of a RethinkDB query does.
struct WriteHookRunner: Sendable {
    private let evaluator: Evaluator
    private let function: Value
    private let primaryKey: String
    private let timestamp: Document

    /// The runner for a write to `table` through `handle`: nil when the table has no hook, or
    /// the handle skips it (`ignore_write_hook`). The hook's timestamp is the handle's, else now.
    static func forWrite(to table: TableInfo, through handle: Table) throws -> WriteHookRunner? {
        guard !handle.ignoresWriteHook, let hook = table.writeHook else { return nil }
        return try WriteHookRunner(hook, primaryKey: table.primaryKey, now: handle.hookTimestamp ?? Date())
    }

    init(_ hook: WriteHook, primaryKey: String, now: Date = Date()) throws {
        let term: Term
        do {
            term = try Term.compile(hook.term)
        } catch {
            throw DocumentStoreError(reql: error)
        }
        // RethinkDB's times have millisecond precision.
        timestamp = ["$reql_type$": "TIME", "epoch_time": .number((now.timeIntervalSince1970 * 1000).rounded() / 1000),
                     "timezone": "+00:00"]
        self.primaryKey = primaryKey
        evaluator = Evaluator(context: QueryContext(tables: NoTableAccess(), now: timestamp, cancellation: CancellationToken()))
        do {
            function = try evaluator.eval(term, Environment())
        } catch {
            throw DocumentStoreError(reql: error)
        }
    }

    /// What the hook makes of a write that would turn `old` into `new` (nil is no document: an
    /// insert's old, a delete's new). The hook may change the document, not the kind of write.
    ///
    /// - Throws: `DocumentStoreError` (`.opFailed`) with RethinkDB's texts, which the write
    ///   counts as that document's error: "Error in write hook: <the hook's error>", "A write
    ///   hook function must not turn a deletion into a replace/insert.", "A write hook function
    ///   must not turn a replace/insert into a deletion."
    func apply(old: Document?, new: Document?) throws -> Document? {
        let old = old.flatMap { $0.isNull ? nil : $0 }
        let new = new.flatMap { $0.isNull ? nil : $0 }
        // The key of the document written, else of the one deleted; null when neither has one.
        let key = new?[primaryKey] ?? old?[primaryKey] ?? .null
        let context: Document = ["primary_key": key, "timestamp": timestamp]
        let modified: Document
        do {
            modified = try evaluator.datum(of: evaluator.call(function, [.datum(context), .datum(old ?? .null), .datum(new ?? .null)]),
                                           term: Self.placeholder)
        } catch {
            throw DocumentStoreError(.opFailed, "Error in write hook: \(error.message)")
        }
        if new == nil && !modified.isNull {
            throw DocumentStoreError(.opFailed, "A write hook function must not turn a deletion into a replace/insert.")
        }
        if new != nil && modified.isNull {
            throw DocumentStoreError(.opFailed, "A write hook function must not turn a replace/insert into a deletion.")
        }
        return modified.isNull ? nil : modified
    }

    /// `transform` (a replace's function of the stored document) followed by the hook, as
    /// RethinkDB's `func_replacer_t` applies it: an error of `transform` stays its own, one of
    /// the hook is the hook's.
    func after(_ transform: @escaping @Sendable (Document?) throws -> Document?) -> @Sendable (Document?) throws -> Document? {
        { old in try self.apply(old: old, new: transform(old)) }
    }

    /// The term `datum(of:term:)` names in errors; a hook's errors carry only their message.
    private static let placeholder: Term = {
        // A datum compiles without failing.
        (try? Term.compile(.null))!
    }()
}
