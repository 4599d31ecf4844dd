import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion with `posix_spawn`, its standard streams redirected to files.
///
/// The tests launch hundreds of child processes. Foundation's `Process.run` on Linux reads
/// /proc/self/fd with a copy past the end of its directory buffer (swift-corelibs-foundation,
/// `findMaximumOpenFromProcSelfFD`), which AddressSanitizer reports and which crashed a test
/// run with SIGSEGV; `posix_spawn` has no such buffer.
public enum Spawn {
    /// Starts `path` with `arguments` in `directory`, reading stdin from `stdinPath` (or
    /// /dev/null) and writing stdout and stderr to the given files (created or truncated), with
    /// `environment` added to this process's; returns the child's pid. The caller reaps it.
    public static func start(_ path: String, _ arguments: [String], directory: String?, stdinPath: String?,
                             stdoutPath: String, stderrPath: String, environment: [String: String] = [:]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let directory, let addChdir {
            _ = directory.withCString { addChdir(&actions, $0) }
        }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard code == 0 else { throw SpawnError(message: "posix_spawn \(path): \(String(cString: strerror(code)))") }
        return pid
    }

    /// Waits for a child to end; its exit status, or 128 + the signal that ended it.
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Runs `path` to completion (see ``start(_:_:directory:stdinPath:stdoutPath:stderrPath:environment:)``)
    /// and returns ``wait(_:)``'s status.
    public static func run(_ path: String, _ arguments: [String], directory: String?, stdinPath: String?,
                           stdoutPath: String, stderrPath: String, environment: [String: String] = [:]) throws -> Int32 {
        wait(try start(path, arguments, directory: directory, stdinPath: stdinPath, stdoutPath: stdoutPath,
                       stderrPath: stderrPath, environment: environment))
    }

    /// Runs a program found on PATH (e.g. `sqlite3`) and returns what it printed on stdout.
    public static func output(_ command: String, _ arguments: [String], directory: String? = nil) throws -> String {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(atPath: scratch.path + ".out")
            try? FileManager.default.removeItem(atPath: scratch.path + ".err")
        }
        _ = try run("/usr/bin/env", [command] + arguments, directory: directory, stdinPath: nil,
                    stdoutPath: scratch.path + ".out", stderrPath: scratch.path + ".err")
        return String(decoding: try Data(contentsOf: URL(fileURLWithPath: scratch.path + ".out")), as: UTF8.self)
    }

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), which Swift does not import.
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let addChdir: AddChdir? = dlsym(nil, "posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: AddChdir.self) }
}

public struct SpawnError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
