#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an import's bytes come from: a file, standard input, a socket, or any function that
/// fills a buffer the way POSIX `read` does.
///
/// ``Table/importDocuments(from:chunkSize:options:progress:)`` pulls from the source as it
/// parses, so an input of any size goes through a buffer of about a megabyte. The source is
/// called from one thread at a time, but not always the same one, and never after the import
/// has returned, so a file descriptor can be closed as soon as the import ends.
///
/// ```swift
/// let descriptor = open("heroes.ndjson", O_RDONLY)
/// defer { close(descriptor) }
/// try await marvel.importDocuments(from: DocumentSource(fileDescriptor: descriptor))
///
/// // Or count the bytes for a progress bar:
/// let bytesRead = Atomic<Int>(0)
/// let source = DocumentSource { buffer in
///     let count = read(descriptor, buffer.baseAddress, buffer.count)
///     if count < 0 { throw MyError.unreadable(errno) }
///     bytesRead.add(count, ordering: .relaxed)
///     return count
/// }
/// ```
public struct DocumentSource: Sendable {
    let read: @Sendable (UnsafeMutableRawBufferPointer) throws -> Int

    /// A source that calls `read` for more bytes.
    ///
    /// - Parameter read: writes up to `buffer.count` bytes at the start of `buffer` and returns
    ///   how many it wrote, blocking until at least one is available; 0 means the end of the
    ///   input. An error it throws ends the import with that error as the cause.
    public init(read: @escaping @Sendable (_ buffer: UnsafeMutableRawBufferPointer) throws -> Int) {
        self.read = read
    }

    /// A source reading an open file descriptor (a file, a pipe, standard input) to its end.
    /// The caller keeps the descriptor and closes it.
    ///
    /// A failed read ends the import with a ``DocumentStoreError`` (`.storage`) naming the
    /// system's reason.
    public init(fileDescriptor: Int32) {
        self.read = { buffer in
            while true {
                #if canImport(Glibc)
                let count = Glibc.read(fileDescriptor, buffer.baseAddress, buffer.count)
                #else
                let count = Darwin.read(fileDescriptor, buffer.baseAddress, buffer.count)
                #endif
                if count >= 0 { return count }
                // A signal that interrupts a read on a pipe or terminal is not the input's fault.
                if errno == EINTR { continue }
                throw DocumentStoreError(.storage, "Cannot read the input: \(String(cString: strerror(errno))).")
            }
        }
    }
}
