import DocumentStore
import Synchronization

/// Waits until an index just created is built, drawing its progress on a terminal.
///
/// The library's `indexWait` builds the index itself while it waits (so the build finishes
/// even though a command-line process has no time for a background task); the progress comes
/// from `indexStatus`, polled on a reader connection while the writer builds.
struct IndexBuildWait {
    let table: Table
    let index: String

    /// How often the build's progress is read; the line itself is redrawn by its ticker.
    static let pollInterval = Duration.milliseconds(100)

    func run(showingProgress: Bool) async throws {
        guard showingProgress, let status = try await table.indexStatus([index]).first, !status.ready else {
            _ = try await table.indexWait([index])
            return
        }
        let fraction = Fraction(status.progress ?? 0)
        let display = TerminalProgress { [index] elapsed, width in
            ProgressLine.render(buildingIndex: index, fraction: fraction.value.withLock { $0 }, elapsed: elapsed, width: width)
        }
        let poller = Task { [table, index] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.pollInterval)
                // A failed read only leaves the line as it was; indexWait reports real trouble.
                if let progress = try? await table.indexStatus([index]).first?.progress {
                    fraction.value.withLock { $0 = max($0, progress) }
                }
            }
        }
        defer { poller.cancel() }
        do {
            _ = try await table.indexWait([index])
        } catch {
            display.stop()
            throw error
        }
        fraction.value.withLock { $0 = 1 }
        display.stop()
    }

    /// The part built so far, shared by the poller and the ticker (a class, so both closures
    /// hold the same one).
    private final class Fraction: Sendable {
        let value: Mutex<Double>
        init(_ value: Double) { self.value = Mutex(value) }
    }
}
