import Foundation

/// Ctrl-C (SIGINT) and SIGTERM as requests to stop, for the commands that run until told to
/// (`serve`, `changes`).
enum Signals {
    /// Routes SIGINT and SIGTERM to `stop` instead of killing the process, so that the
    /// command ends its work cleanly (running writes finish, the SQLite files close) and
    /// exits with its own status.
    ///
    /// The default handlers are ignored first: a dispatch source only observes a signal, and
    /// without `SIG_IGN` the default action would still terminate the process. Keep the
    /// sources until the command is done; cancelling them stops the routing.
    static func onInterrupt(_ stop: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler(handler: stop)
            source.resume()
            return source
        }
    }
}
