import Synchronization

/// What an import has done so far, shared between the reading task, the inserting loop and the
/// progress line's ticker.
final class ImportCounters: Sendable {
    /// Bytes read from the input (the library reads ahead by at most a block and a chunk).
    let bytes = Atomic<Int>(0)
    /// Documents committed (inserted, replaced, unchanged, failed or deleted).
    let documents = Atomic<Int>(0)
}

/// The progress line of an import on a terminal: redrawn on stderr ten times a second from the
/// shared counters, and finished with a newline.
///
/// The ticker, not the inserting loop, draws: a chunk can take seconds to commit, and the
/// bytes read meanwhile should still move the bar. Drawing is under a lock so the final line
/// never interleaves with a tick.
final class ImportProgress: Sendable {
    static let interval = Duration.milliseconds(100)

    private let counters: ImportCounters
    private let totalBytes: Int?
    private let start = ContinuousClock.now
    private let isActive = Mutex(true)
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    /// - Parameter totalBytes: the input's size, nil when it is not known (a pipe).
    init(counters: ImportCounters, totalBytes: Int?) {
        self.counters = counters
        self.totalBytes = totalBytes
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
            let line = ProgressLine.render(
                bytesDone: counters.bytes.load(ordering: .relaxed), totalBytes: totalBytes,
                elapsed: ContinuousClock.now - start, documents: counters.documents.load(ordering: .relaxed),
                width: Output.stderrColumns)
            // `\r` back to the start of the line, ESC [K to clear what a longer line left.
            Output.terminal("\r" + line + "\u{1B}[K" + (final ? "\n" : ""))
            if final { active = false }
        }
    }
}

/// The text of the progress line, as a pure function of the counters, so it can be tested.
enum ProgressLine {
    /// The line for `bytesDone` of `totalBytes` after `elapsed`, at most `width - 1` columns (a
    /// full-width line would wrap on some terminals and break the `\r` redraw).
    ///
    /// With a size: `[=====>    ]  45%  123.4 MB / 274.0 MB   12.3 MB/s     45,000 docs/s  ETA  0:12`;
    /// the bar takes whatever width the figures leave, and goes when fewer than 10 columns are
    /// left. Without one (standard input from a pipe): bytes read and the rates only.
    static func render(bytesDone: Int, totalBytes: Int?, elapsed: Duration, documents: Int, width: Int) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let byteRate = seconds > 0 ? Double(bytesDone) / seconds : 0
        let documentRate = seconds > 0 ? Double(documents) / seconds : 0
        // Each figure right-aligned in the widest it gets (`999.9 MB`, `9,999,999`), so the bar
        // keeps its width from one redraw to the next instead of jumping with the digits.
        let rates = padded(bytes(byteRate) + "/s", 10) + "  " + padded(grouped(Int(documentRate)), 9) + " docs/s"
        let room = max(0, width - 1)
        guard let totalBytes else {
            return clipped(padded(bytes(Double(bytesDone)), 8) + " read  " + rates, to: room)
        }
        let fraction = totalBytes > 0 ? min(1, Double(bytesDone) / Double(totalBytes)) : 1
        let remaining = Double(max(0, totalBytes - bytesDone))
        // No estimate before any rate, nor past 99:59:59 (a stalled start, not a forecast).
        let eta = byteRate > 0 && remaining / byteRate < 360_000 ? clock(remaining / byteRate) : "--:--"
        let figures = padded("\(Int(fraction * 100))%", 4) + "  " + padded(bytes(Double(bytesDone)), 8) + " / "
            + bytes(Double(totalBytes)) + "  " + rates + "  ETA " + padded(eta, 8)
        let barWidth = room - figures.count - 3  // the brackets and a space
        guard barWidth >= 10 else { return clipped(figures, to: room) }
        return "[" + bar(fraction, width: barWidth) + "] " + figures
    }

    /// `=====>    `: the filled part and an arrow head while not done.
    static func bar(_ fraction: Double, width: Int) -> String {
        let filled = Int(fraction * Double(width))
        if filled >= width { return String(repeating: "=", count: width) }
        return String(repeating: "=", count: filled) + ">" + String(repeating: " ", count: width - filled - 1)
    }

    /// Decimal units, as disk and network rates are given: `512 B`, `1.5 kB`, `123.4 MB`.
    static func bytes(_ count: Double) -> String {
        let units = ["kB", "MB", "GB", "TB"]
        if count < 1000 { return "\(Int(count)) B" }
        var value = count / 1000
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return oneDecimal(value) + " " + units[unit]
    }

    /// `1234567` as `1,234,567`, without a locale (the line must not change with one).
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return number < 0 ? "-" + result : result
    }

    /// Seconds as `m:ss`, or `h:mm:ss` from an hour.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        let twoDigits = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(twoDigits(minutes)):\(twoDigits(secs))" : "\(minutes):\(twoDigits(secs))"
    }

    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    private static func padded(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    private static func clipped(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width))
    }
}
