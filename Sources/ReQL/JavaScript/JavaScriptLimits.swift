import CDuktape

/// What bounds one JavaScript run: `r.js`'s `timeout`, the query's array limit, and the
/// query's cancellation token, which the engine polls while the script runs.
package struct JavaScriptLimits: Sendable {
    /// RethinkDB's default `timeout`: 5 seconds.
    package static let defaultTimeout: UInt64 = 5000

    /// Milliseconds, as RethinkDB keeps it (`uint64_t timeout_ms`).
    package var timeoutMilliseconds: UInt64
    package var arrayLimit: Int
    package var cancellation: CancellationToken

    package init(timeoutMilliseconds: UInt64 = JavaScriptLimits.defaultTimeout, arrayLimit: Int, cancellation: CancellationToken) {
        self.timeoutMilliseconds = timeoutMilliseconds
        self.arrayLimit = arrayLimit
        self.cancellation = cancellation
    }

    /// `timeout` seconds as RethinkDB turns them into milliseconds: truncated, and saturated
    /// past what 64 bits hold. A negative timeout is 0 (RethinkDB leaves it undefined).
    package static func milliseconds(fromSeconds seconds: Double) -> UInt64 {
        let milliseconds = seconds * 1000
        // Double(UInt64.max) is 2^64, the first value the conversion cannot take.
        if seconds > Double(UInt64.max) / 1000 || milliseconds >= Double(UInt64.max) { return .max }
        return milliseconds >= 1 ? UInt64(milliseconds) : 0
    }

    /// The timeout as RethinkDB prints it: `%d.%03d` seconds ("5.000", "1.300").
    var timeoutText: String {
        let fraction = String(timeoutMilliseconds % 1000)
        return "\(timeoutMilliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// Runs `body` with these limits in the shim's form; the token stays alive for the call.
    func withC<T>(_ body: (UnsafePointer<docstore_js_limits>) -> T) -> T {
        withExtendedLifetime(cancellation) {
            var limits = docstore_js_limits(
                timeout_ms: timeoutMilliseconds,
                array_limit: arrayLimit,
                poll: { context in
                    guard let context else { return 0 }
                    return Unmanaged<CancellationToken>.fromOpaque(context).takeUnretainedValue().isCancelled ? 1 : 0
                },
                poll_context: Unmanaged.passUnretained(cancellation).toOpaque()
            )
            return body(&limits)
        }
    }
}
