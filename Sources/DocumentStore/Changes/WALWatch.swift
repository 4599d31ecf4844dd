#if canImport(Glibc)
import Glibc

/// Tells when a file is written to, without polling: Linux's inotify on the database's
/// `-wal` file, into which every commit of every process writes its pages.
///
/// A write to the WAL is not yet a commit (a transaction writes its pages first, its commit
/// frame last, and publishes it in the `-shm` index after that, which inotify does not see), so
/// the watcher confirms with `PRAGMA data_version` and keeps checking often for a while after
/// each write; this only spares it from checking often while nothing is written.
final class WALWatch {
    private let descriptor: Int32
    private let path: String
    private var watch: Int32 = -1

    /// A watch of `path`; nil where inotify is not available.
    init?(path: String) {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
        self.path = path
        addWatch()
    }

    deinit {
        close(descriptor)
    }

    /// Whether the file is watched now: it may not exist yet, or may have been removed.
    var isWatching: Bool { watch >= 0 }

    private func addWatch() {
        watch = inotify_add_watch(descriptor, path, UInt32(IN_MODIFY | IN_DELETE_SELF | IN_MOVE_SELF))
    }

    /// Waits up to `milliseconds` for a write to the file; true when there was one.
    func wait(milliseconds: Int32) -> Bool {
        if watch < 0 { addWatch() }
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, milliseconds) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var gone = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let event = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: inotify_event.self) }
                if event.mask & UInt32(IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) != 0 { gone = true }
                offset += MemoryLayout<inotify_event>.size + Int(event.len)
            }
        }
        if gone {
            // A new file takes the name: watch it instead (or again at the next wait).
            inotify_rm_watch(descriptor, watch)
            watch = -1
            addWatch()
        }
        return true
    }
}
#endif
