/// The text of a progress line (an import's, an index build's), as a pure function of the
/// figures, so it can be tested; ``TerminalProgress`` draws it.
enum ProgressLine {
    /// The line for `bytesDone` of `totalBytes` after `elapsed`, at most `width - 1` columns (a
    /// full-width line would wrap on some terminals and break the `\r` redraw).
    ///
    /// With a size: `[=====>    ]  45%  123.4 MB / 274.0 MB   12.3 MB/s     45,000 docs/s  ETA  0:12`;
    /// the bar takes whatever width the figures leave, and goes when fewer than 10 columns are
    /// left. Without one (standard input from a pipe): bytes read and the rates only.
    static func render(bytesDone: Int, totalBytes: Int?, elapsed: Duration, documents: Int, width: Int) -> String {
        let seconds = seconds(elapsed)
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

    /// The line of an index build that is `fraction` done after `elapsed`, at most `width - 1`
    /// columns: `[=====>    ]  45%  index email  ETA     0:12`. The bar goes when fewer than
    /// 10 columns are left for it, and the text is clipped after that.
    static func render(buildingIndex name: String, fraction: Double, elapsed: Duration, width: Int) -> String {
        let fraction = min(1, max(0, fraction))
        let seconds = seconds(elapsed)
        // The build reads the table in rowid order at a steady rate, so the part done so far
        // predicts the rest; no estimate before any part is done.
        let remaining = fraction > 0 ? seconds * (1 - fraction) / fraction : .infinity
        let eta = remaining < 360_000 ? clock(remaining) : "--:--"
        let figures = padded("\(Int(fraction * 100))%", 4) + "  index " + name + "  ETA " + padded(eta, 8)
        let room = max(0, width - 1)
        let barWidth = room - figures.count - 3
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

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
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
