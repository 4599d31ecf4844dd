import Testing
@testable import DocStoreCLI

/// The import's progress line, rendered from counters (the drawing itself needs a terminal).
@Suite("CLI: import progress line")
struct ProgressLineTests {
    @Test("a file half read: bar, percent, bytes of the size, both rates and the time left")
    func halfway() {
        let line = ProgressLine.render(bytesDone: 50_000_000, totalBytes: 100_000_000, elapsed: .seconds(5),
                                       documents: 250_000, width: 100)
        #expect(line == "[=============>             ]  50%   50.0 MB / 100.0 MB   10.0 MB/s     50,000 docs/s  ETA     0:05")
        #expect(line.count == 99)
    }

    @Test("the start and the end of a file", arguments: [
        (0, Duration.zero, "[>", "  0%       0 B / 2.0 kB       0 B/s          0 docs/s  ETA    --:--"),
        (2_000, .seconds(2), "[===", "100%    2.0 kB / 2.0 kB    1.0 kB/s          5 docs/s  ETA     0:00"),
    ])
    func ends(bytes: Int, elapsed: Duration, start: String, end: String) {
        let line = ProgressLine.render(bytesDone: bytes, totalBytes: 2_000, elapsed: elapsed, documents: bytes == 0 ? 0 : 10,
                                       width: 100)
        #expect(line.hasPrefix(start), "\(line)")
        #expect(line.hasSuffix("] " + end), "\(line)")
        #expect(line.count == 99)
    }

    @Test("the bar keeps its width while the figures change")
    func stableWidth() {
        let lines = [(0, 0), (1_234, 5), (12_345_678, 40_000), (987_654_321, 3_000_000)].map { bytes, documents in
            ProgressLine.render(bytesDone: bytes, totalBytes: 987_654_321, elapsed: .seconds(3), documents: documents, width: 100)
        }
        #expect(Set(lines.map { $0.firstIndex(of: "]") }).count == 1, "\(lines)")
    }

    @Test("standard input from a pipe, size unknown: bytes read and the rates only")
    func unknownSize() {
        let line = ProgressLine.render(bytesDone: 1_500_000, totalBytes: nil, elapsed: .milliseconds(500),
                                       documents: 1_234, width: 80)
        #expect(line == "  1.5 MB read    3.0 MB/s      2,468 docs/s")
    }

    @Test("the line never fills the terminal's last column; a narrow one drops the bar, then clips",
          arguments: [20, 40, 60, 72, 88, 132, 300])
    func width(columns: Int) {
        let line = ProgressLine.render(bytesDone: 123_456_789, totalBytes: 987_654_321, elapsed: .seconds(61),
                                       documents: 1_000_000, width: columns)
        #expect(line.count <= columns - 1, "\(line)")
        #expect(line.hasPrefix("[") == (columns >= 88), "\(line)")
        if columns >= 88 {
            #expect(line.hasSuffix("]  12%  123.5 MB / 987.7 MB    2.0 MB/s     16,393 docs/s  ETA     7:08"), "\(line)")
        }
    }

    @Test("sizes use decimal units", arguments: [
        (0.0, "0 B"), (999, "999 B"), (1_000, "1.0 kB"), (1_550, "1.6 kB"), (12_345_678, "12.3 MB"),
        (4_000_000_000, "4.0 GB"), (5e15, "5000.0 TB"),
    ])
    func bytes(count: Double, text: String) {
        #expect(ProgressLine.bytes(count) == text)
    }

    @Test("counts are grouped by thousands without a locale", arguments: [
        (0, "0"), (999, "999"), (1_000, "1,000"), (1_234_567, "1,234,567"), (-12_345, "-12,345"),
    ])
    func grouped(number: Int, text: String) {
        #expect(ProgressLine.grouped(number) == text)
    }

    @Test("time left is m:ss, or h:mm:ss from an hour, rounded up", arguments: [
        (0.0, "0:00"), (0.2, "0:01"), (59, "0:59"), (60, "1:00"), (3_599, "59:59"), (3_600, "1:00:00"), (3_725, "1:02:05"),
    ])
    func clock(seconds: Double, text: String) {
        #expect(ProgressLine.clock(seconds) == text)
    }

    @Test("the bar has an arrow head until it is full", arguments: [
        (0.0, ">         "), (0.55, "=====>    "), (0.999, "=========>"), (1.0, "=========="),
    ])
    func bar(fraction: Double, text: String) {
        #expect(ProgressLine.bar(fraction, width: 10) == text)
    }
}

/// The progress line of an index build, rendered from the fraction `indexStatus` gives.
@Suite("CLI: index build progress line")
struct IndexBuildProgressLineTests {
    @Test("a build a quarter done after 5 s: bar, percent, the index and 15 s left")
    func quarter() {
        let line = ProgressLine.render(buildingIndex: "email", fraction: 0.25, elapsed: .seconds(5), width: 60)
        #expect(line == "[======>                  ]  25%  index email  ETA     0:15")
        #expect(line.count == 59)
    }

    @Test("no estimate before any progress; none left when done", arguments: [
        (0.0, "[>", "  0%  index tags  ETA    --:--"), (1.0, "[===", "100%  index tags  ETA     0:00"),
    ])
    func ends(fraction: Double, start: String, end: String) {
        let line = ProgressLine.render(buildingIndex: "tags", fraction: fraction, elapsed: .seconds(3), width: 80)
        #expect(line.hasPrefix(start), "\(line)")
        #expect(line.hasSuffix("] " + end), "\(line)")
        #expect(line.count == 79)
    }

    @Test("the line never fills the last column; a narrow terminal drops the bar, then clips", arguments: [10, 30, 46, 47, 80])
    func width(columns: Int) {
        let line = ProgressLine.render(buildingIndex: "cityAge", fraction: 0.5, elapsed: .seconds(10), width: columns)
        #expect(line.count <= columns - 1, "\(line)")
        // 33 columns of figures, 3 of brackets and space, 10 at least for the bar, 1 left free.
        #expect(line.hasPrefix("[") == (columns >= 47), "\(line)")
    }
}
