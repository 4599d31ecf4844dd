import CArchive
import DocumentModel
import Foundation

/// Writes a gzip-compressed tar file with libarchive, the container of `rethinkdb dump`.
///
/// The entries are regular files in the POSIX pax format (plain ustar headers unless a name
/// needs more), which Python's `tarfile` (what `rethinkdb restore` reads with) accepts, as does
/// GNU tar. The file appears complete only after ``finish()``: it is written under a temporary
/// name beside the destination and renamed at the end, so a failed dump leaves nothing that
/// looks like an archive.
final class TarGzWriter {
    private let archive: OpaquePointer
    private let destination: String
    private let partial: String
    private var finished = false

    init(path: String) throws {
        guard let archive = archive_write_new() else {
            throw DocumentStoreError(.storage, "Cannot create the archive `\(path)`: out of memory.")
        }
        self.archive = archive
        destination = path
        partial = path + ".partial-\(getpid())"
        guard archive_write_add_filter_gzip(archive) == ARCHIVE_OK,
              archive_write_set_format_pax_restricted(archive) == ARCHIVE_OK,
              archive_write_open_filename(archive, partial) == ARCHIVE_OK else {
            let reason = Self.reason(archive)
            archive_write_free(archive)
            unlink(partial)
            throw DocumentStoreError(.storage, "Cannot create the archive `\(path)`: \(reason).")
        }
    }

    deinit {
        if !finished {
            archive_write_free(archive)
            unlink(partial)
        }
    }

    /// Adds a regular file holding `bytes`.
    func add(_ name: String, bytes: [UInt8]) throws {
        try header(name, size: bytes.count)
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Adds a regular file with the contents of the file at `source`, read a megabyte at a
    /// time (a table's documents can be larger than memory).
    func add(_ name: String, contentsOf source: String) throws {
        guard let handle = FileHandle(forReadingAtPath: source) else {
            throw DocumentStoreError(.storage, "Cannot read `\(source)` for the archive.")
        }
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: 0)
        try header(name, size: Int(size))
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            try chunk.withUnsafeBytes { try write($0) }
        }
    }

    /// Ends the archive (the tar trailer and the gzip footer) and moves it into place.
    func finish() throws {
        finished = true
        let closed = archive_write_close(archive)
        let reason = Self.reason(archive)
        archive_write_free(archive)
        guard closed == ARCHIVE_OK else {
            unlink(partial)
            throw DocumentStoreError(.storage, "Cannot write the archive `\(destination)`: \(reason).")
        }
        guard rename(partial, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partial)
            throw DocumentStoreError(.storage, "Cannot write the archive `\(destination)`: \(reason).")
        }
    }

    private func header(_ name: String, size: Int) throws {
        guard let entry = archive_entry_new() else {
            throw DocumentStoreError(.storage, "Cannot write the archive `\(destination)`: out of memory.")
        }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname_utf8(entry, name)
        archive_entry_set_size(entry, la_int64_t(size))
        // AE_IFREG: a regular file (the macro's cast keeps Swift from importing it).
        archive_entry_set_filetype(entry, 0o100000)
        archive_entry_set_perm(entry, 0o644)
        archive_entry_set_mtime(entry, time(nil), 0)
        guard archive_write_header(archive, entry) == ARCHIVE_OK else {
            throw DocumentStoreError(.storage, "Cannot write `\(name)` to the archive `\(destination)`: \(Self.reason(archive)).")
        }
    }

    private func write(_ buffer: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < buffer.count {
            let written = archive_write_data(archive, buffer.baseAddress! + offset, buffer.count - offset)
            guard written > 0 else {
                throw DocumentStoreError(.storage, "Cannot write the archive `\(destination)`: \(Self.reason(archive)).")
            }
            offset += written
        }
    }

    static func reason(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? String(cString: strerror(archive_errno(archive)))
    }
}
