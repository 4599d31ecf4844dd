import Synchronization

/// A progress line on the terminal: redrawn on stderr ten times a second from whatever
/// `render` reads, and finished with a newline. Imports and index builds both draw through it.
///
/// A ticker, not the work itself, draws: a chunk can take seconds to commit, and the line
/// should still move meanwhile. Drawing is under a lock so the final line never interleaves
/// with a tick.
final class TerminalProgress: Sendable {
    static let interval = Duration.milliseconds(100)

    /// The line for the time since the start and the terminal's width in columns.
    typealias Render = @Sendable (_ elapsed: Duration, _ width: Int) -> String

    private let render: Render
    private let start = ContinuousClock.now
    private let isActive = Mutex(true)
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    init(render: @escaping Render) {
        self.render = render
        let task = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                self.draw(final: false)
                try? await Task.sleep(for: Self.interval)
            }
        }
        ticker.withLock { $0 = task }
    }

    /// Draws the last state and ends the line; later calls do nothing.
    func stop() {
        ticker.withLock { $0?.cancel() }
        draw(final: true)
    }

    private func draw(final: Bool) {
        isActive.withLock { active in
            guard active else { return }
            let line = render(ContinuousClock.now - start, Output.stderrColumns)
            // `\r` back to the start of the line, ESC [K to clear what a longer line left.
            Output.terminal("\r" + line + "\u{1B}[K" + (final ? "\n" : ""))
            if final { active = false }
        }
    }
}
