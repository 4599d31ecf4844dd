#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The part of an import's input that has been read and not yet consumed, and where it lies
/// in the whole input.
///
/// The parser reads documents straight from ``input``. A document that runs past its end is
/// parsed again after ``refill(keeping:)``, which moves the unconsumed tail to the front and
/// reads more behind it: at least a block, and at least as much as it kept, so a document many
/// blocks long is re-parsed a logarithmic number of times, not once per block.
///
/// Lines are counted as bytes are dropped or positions asked for, never twice for a byte, so
/// an error names its line and column in the whole input without a separate pass over it.
///
/// A class owning raw memory rather than an array: the parser takes an
/// `UnsafeBufferPointer`, and this hands one out without a closure around every document.
final class ImportBuffer {
    private let source: DocumentSource
    private let blockSize: Int
    private var storage: UnsafeMutableBufferPointer<UInt8>
    /// Bytes of `storage` holding input.
    private(set) var count = 0
    /// The source has said it has no more bytes.
    private(set) var isAtEnd = false
    /// The offset in the whole input of `storage[0]`.
    private var base = 0
    /// Newlines are counted in `storage[..<counted]`; `current` is where `storage[counted]` is.
    private var counted = 0
    private var current = LinePosition()
    /// Where `storage[0]` is, for the rare position before `counted`.
    private var first = LinePosition()

    /// A line number and the input offset its line starts at.
    private struct LinePosition {
        var line = 1
        var start = 0
    }

    init(source: DocumentSource, blockSize: Int = 1 << 20) {
        self.source = source
        self.blockSize = max(1, blockSize)
        storage = .allocate(capacity: self.blockSize)
    }

    deinit {
        storage.deallocate()
    }

    /// The bytes read and not dropped; valid until the next ``refill(keeping:)``.
    var input: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: storage[..<count])
    }

    /// Drops the bytes before `keep` (their indices shift down by `keep`, whatever the answer)
    /// and reads more after the rest. Returns false when the source had nothing more.
    func refill(keeping keep: Int) throws -> Bool {
        precondition(keep <= count, "refill(keeping:) past the bytes read")
        advanceLines(to: keep)
        let kept = count - keep
        if keep > 0 {
            if kept > 0 { memmove(storage.baseAddress!, storage.baseAddress! + keep, kept) }
            count = kept
            base += keep
            counted -= keep
            first = current
        }
        guard !isAtEnd else { return false }
        let room = max(blockSize, kept)
        if storage.count - count < room {
            let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: count + room)
            if count > 0 { larger.baseAddress!.update(from: storage.baseAddress!, count: count) }
            storage.deallocate()
            storage = larger
        }
        // One read is enough for fresh input (a pipe answers as data comes); a document that
        // did not fit waits for as many bytes again as it already has.
        let start = count
        repeat {
            let free = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(storage)[count...])
            let got = try source.read(free)
            guard got > 0 else {
                isAtEnd = true
                break
            }
            precondition(got <= free.count, "A DocumentSource returned more bytes than the buffer holds")
            count += got
        } while count - start < kept && count < storage.count
        return count > start
    }

    /// The line, column (1-based, in bytes) and input offset of `storage[index]`.
    ///
    /// Positions are asked for in increasing order (chunk starts, then an error), so counting
    /// resumes where it stopped.
    func location(of index: Int) -> (line: Int, column: Int, offset: Int) {
        let position: LinePosition
        if index < counted {
            position = Self.advance(first, over: UnsafeBufferPointer(rebasing: storage[..<index]), base: base)
        } else {
            advanceLines(to: index)
            position = current
        }
        return (position.line, base + index - position.start + 1, base + index)
    }

    private func advanceLines(to index: Int) {
        guard index > counted else { return }
        current = Self.advance(current, over: UnsafeBufferPointer(rebasing: storage[counted..<index]), base: base + counted)
        counted = index
    }

    /// The position after `bytes`, which start at input offset `base` at `position`.
    private static func advance(_ position: LinePosition, over bytes: UnsafeBufferPointer<UInt8>, base: Int) -> LinePosition {
        // Count first (a loop the compiler vectorises), then look back for the last newline.
        var newlines = 0
        for byte in bytes { newlines &+= byte == UInt8(ascii: "\n") ? 1 : 0 }
        guard newlines > 0 else { return position }
        var last = bytes.count - 1
        while bytes[last] != UInt8(ascii: "\n") { last -= 1 }
        return LinePosition(line: position.line + newlines, start: base + last + 1)
    }
}
