import CDuktape
import DocumentModel
import Synchronization

/// One query's JavaScript engine for `r.js`: a Duktape heap with a memory budget, made on the
/// first `r.js` the query evaluates and dropped with the query, as RethinkDB gives each query
/// its own JavaScript worker.
///
/// Like RethinkDB's `js_runner_t`, it keeps the functions a source evaluated to, by source (at
/// most ``functionCacheSize``): evaluating the same source again gives the same function, and a
/// call finds its function by the source that made it. A run that times out, is cancelled or
/// runs out of memory throws the heap away (RethinkDB kills the worker), so the next `r.js`
/// starts afresh.
///
/// Runs are synchronous: the evaluator calls them on its query thread, never on Swift's
/// cooperative pool. A lock keeps any two runs on one heap apart.
///
/// ```swift
/// let engine = JavaScriptEngine()
/// let limits = JavaScriptLimits(arrayLimit: ArrayLimit.default, cancellation: token)
/// try engine.evaluate("1 + 1", limits: limits)                        // .datum(2)
/// try engine.evaluate("(function(x) { return x + 1; })", limits: limits)   // .function
/// try engine.call("(function(x) { return x + 1; })", [41], limits: limits) // 42
/// ```
package final class JavaScriptEngine: Sendable {
    /// What evaluating a source gives: a datum, or a function the engine keeps.
    package enum Evaluation: Sendable, Equatable {
        case datum(Document)
        case function
    }

    /// RethinkDB's `js_runner_t::CACHE_SIZE`.
    static let functionCacheSize = 100

    /// The default budget of a query's heap. RethinkDB's engine has none; a server shares its
    /// memory among all queries, so one script cannot take it all.
    package static let defaultMemoryLimit = 64 << 20

    package let memoryLimit: Int
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var heap: Heap?
        /// Source -> function id and when it was last used (a counter), for eviction.
        var functions: [String: (id: Int64, used: UInt64)] = [:]
        var clock: UInt64 = 0
    }

    package init(memoryLimit: Int = JavaScriptEngine.defaultMemoryLimit) {
        self.memoryLimit = memoryLimit
    }

    /// Bytes the heap holds now (0 before the first run).
    package var memoryUsed: Int {
        state.withLock { state in state.heap.map { docstore_js_memory_used($0.pointer) } ?? 0 }
    }

    /// Evaluates `source` (`r.js`); a function stays in the engine under its source.
    package func evaluate(_ source: String, limits: JavaScriptLimits) throws(ReqlError) -> Evaluation {
        try state.withLock { (state) throws(ReqlError) -> Evaluation in
            if state.functions[source] != nil {
                touch(source, &state)
                return .function
            }
            return try evaluate(source, limits, &state)
        }
    }

    /// Calls the function `source` evaluated to with datum arguments, converted as RethinkDB
    /// converts them (times become Dates; `r.minval`, `r.maxval` and binary data are refused).
    package func call(_ source: String, _ arguments: [Document], limits: JavaScriptLimits) throws(ReqlError) -> Document {
        var json: [UInt8] = [UInt8(ascii: "[")]
        for (index, argument) in arguments.enumerated() {
            try JavaScriptValues.checkArgument(argument)
            if index > 0 { json.append(UInt8(ascii: ",")) }
            argument.appendJSON(to: &json)
        }
        json.append(UInt8(ascii: "]"))
        return try state.withLock { (state) throws(ReqlError) -> Document in
            if state.functions[source] == nil {
                // Evicted since (or never made here): RethinkDB evaluates the source again.
                guard try evaluate(source, limits, &state) == .function else {
                    throw .runtime(.queryLogic, "Javascript query `\(source)` returned a value when it should have returned a function.")
                }
            }
            guard let id = state.functions[source]?.id, let heap = state.heap else {
                throw .runtime(.internal, "The JavaScript function of `\(source)` is gone.")
            }
            touch(source, &state)
            let result = json.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { text in
                    limits.withC { docstore_js_call(heap.pointer, id, text.baseAddress, text.count, $0) }
                }
            }
            return try outcome(result, source: source, limits: limits, &state)
        }
    }

    private func evaluate(_ source: String, _ limits: JavaScriptLimits, _ state: inout State) throws(ReqlError) -> Evaluation {
        let heap = try heap(&state)
        var source = source
        let result = source.withUTF8 { text in
            text.withMemoryRebound(to: CChar.self) { text in
                limits.withC { docstore_js_eval(heap.pointer, text.baseAddress, text.count, $0) }
            }
        }
        if result.status == DOCSTORE_JS_FUNCTION {
            if state.functions.count >= Self.functionCacheSize { evictOldest(&state) }
            state.clock += 1
            state.functions[source] = (result.function_id, state.clock)
            return .function
        }
        return .datum(try outcome(result, source: source, limits: limits, &state))
    }

    /// A run's result as a datum, or the error RethinkDB gives for it.
    private func outcome(
        _ result: docstore_js_result, source: String, limits: JavaScriptLimits, _ state: inout State
    ) throws(ReqlError) -> Document {
        var text: [UInt8] = []
        if let bytes = result.text {
            text = Array(UnsafeRawBufferPointer(start: bytes, count: result.length))
            docstore_js_free_text(bytes)
        }
        switch result.status {
        case DOCSTORE_JS_VALUE:
            do {
                return try Document(parsing: text)
            } catch {
                throw .runtime(.internal, "JavaScript query `\(source)` gave a value that is not JSON: \(error)")
            }
        case DOCSTORE_JS_ERROR:
            throw .runtime(.queryLogic, String(decoding: text, as: UTF8.self))
        case DOCSTORE_JS_ARRAY_LIMIT:
            throw .runtime(.queryLogic, ArrayLimit.exceededMessage(limits.arrayLimit))
        case DOCSTORE_JS_TIMED_OUT:
            reset(&state)
            throw .runtime(.queryLogic, "JavaScript query `\(source)` timed out after \(limits.timeoutText) seconds.")
        case DOCSTORE_JS_INTERRUPTED:
            reset(&state)
            throw .interrupted
        case DOCSTORE_JS_OUT_OF_MEMORY:
            // Globals may hold the memory still: the next `r.js` gets an empty heap.
            reset(&state)
            throw .runtime(.resourceLimit, "JavaScript query `\(source)` ran out of memory: `r.js` may use \(memoryLimit >> 20) MiB per query.")
        default:
            reset(&state)
            throw .runtime(.internal, "Javascript query `\(source)` caused a crash in a worker process.")
        }
    }

    private func heap(_ state: inout State) throws(ReqlError) -> Heap {
        if let heap = state.heap { return heap }
        guard let pointer = docstore_js_create(memoryLimit) else {
            throw .runtime(.resourceLimit, "Could not start a JavaScript engine within \(memoryLimit >> 20) MiB.")
        }
        let heap = Heap(pointer: pointer)
        state.heap = heap
        return heap
    }

    private func touch(_ source: String, _ state: inout State) {
        state.clock += 1
        state.functions[source]?.used = state.clock
    }

    private func evictOldest(_ state: inout State) {
        guard let oldest = state.functions.min(by: { $0.value.used < $1.value.used }) else { return }
        state.functions[oldest.key] = nil
        if let heap = state.heap { docstore_js_release(heap.pointer, oldest.value.id) }
    }

    private func reset(_ state: inout State) {
        state.heap = nil
        state.functions = [:]
    }
}

/// Owns one C heap: destroyed with the last reference.
private final class Heap {
    let pointer: OpaquePointer

    init(pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        docstore_js_destroy(pointer)
    }
}
