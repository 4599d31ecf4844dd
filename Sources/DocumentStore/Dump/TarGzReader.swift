import CArchive
import DocumentModel
import Foundation

/// Reads a tar file with libarchive, gzip-compressed or not (libarchive detects the filter and
/// the tar dialect, as Python's `tarfile.open(mode="r|*")` in `rethinkdb restore` does).
final class TarGzReader {
    private let archive: OpaquePointer
    private let path: String

    /// One member of the archive: its name as stored and whether it is a regular file.
    struct Entry {
        let name: String
        let isRegularFile: Bool
    }

    init(path: String) throws {
        guard let archive = archive_read_new() else {
            throw DocumentStoreError(.storage, "Cannot read the archive `\(path)`: out of memory.")
        }
        self.archive = archive
        self.path = path
        archive_read_support_filter_all(archive)
        archive_read_support_format_tar(archive)
        archive_read_support_format_gnutar(archive)
        guard archive_read_open_filename(archive, path, 1 << 16) == ARCHIVE_OK else {
            let reason = TarGzWriter.reason(archive)
            archive_read_free(archive)
            throw DocumentStoreError(.storage, "Cannot read the archive `\(path)`: \(reason).")
        }
    }

    deinit {
        archive_read_free(archive)
    }

    /// The next member, or nil at the end of the archive.
    func next() throws -> Entry? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(archive, &entry)
        if status == ARCHIVE_EOF { return nil }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
            throw DocumentStoreError(.storage, "Cannot read the archive `\(path)`: \(TarGzWriter.reason(archive)).")
        }
        let name = archive_entry_pathname_utf8(entry) ?? archive_entry_pathname(entry)
        // AE_IFMT and AE_IFREG, which Swift does not import.
        let isRegular = archive_entry_filetype(entry) & 0o170000 == 0o100000
        return Entry(name: name.map { String(cString: $0) } ?? "", isRegularFile: isRegular)
    }

    /// Copies the current member's contents into a new file at `destination`.
    func extract(to destination: String) throws {
        guard FileManager.default.createFile(atPath: destination, contents: nil),
              let handle = FileHandle(forWritingAtPath: destination) else {
            throw DocumentStoreError(.storage, "Cannot write `\(destination)` while reading the archive `\(path)`.")
        }
        defer { try? handle.close() }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
            if count == 0 { return }
            guard count > 0 else {
                throw DocumentStoreError(.storage, "Cannot read the archive `\(path)`: \(TarGzWriter.reason(archive)).")
            }
            try handle.write(contentsOf: buffer[0..<count])
        }
    }
}
