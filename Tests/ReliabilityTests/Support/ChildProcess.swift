import Foundation
import Spawn
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A built executable of this package: `$DOCSTORE_BIN_DIR/<name>`, else next to the test bundle
/// (`.build/debug/<name>` beside `.build/debug/DocStorePackageTests.xctest`).
enum Executable {
    static func url(_ name: String) throws -> URL {
        var directories: [URL] = []
        if let directory = ProcessInfo.processInfo.environment["DOCSTORE_BIN_DIR"], !directory.isEmpty {
            directories.append(URL(fileURLWithPath: directory))
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let argument0 = URL(fileURLWithPath: CommandLine.arguments[0], relativeTo: cwd).standardizedFileURL
        let bundle = Bundle.main.bundleURL.standardizedFileURL
        directories += [argument0.deletingLastPathComponent(), argument0.resolvingSymlinksInPath().deletingLastPathComponent(),
                        bundle.deletingLastPathComponent(), bundle]
        for directory in directories {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw NotFound(name: name, searched: directories.map(\.path))
    }

    struct NotFound: Error, CustomStringConvertible {
        let name: String
        let searched: [String]
        var description: String { "No \(name) executable in \(searched); run `swift build` or set DOCSTORE_BIN_DIR." }
    }

    /// The package's root, for scripts that live beside the tests.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// A fresh directory, removed with the value.
final class Scratch: Sendable {
    let url: URL

    init(_ label: String = "reliability") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("docstore-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A child process whose stdout and stderr go to files, so that everything it printed before a
/// SIGKILL can still be read afterwards.
///
/// Started with `posix_spawn` through ``Spawn``, not Foundation's `Process` (see ``Spawn``
/// for why).
final class ChildProcess: Sendable {
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String
    /// The raw wait status, once the child has been reaped (exactly once, here).
    private let reaped = Mutex<Int32?>(nil)

    init(_ executable: URL, _ arguments: [String], in scratch: Scratch, label: String,
         environment: [String: String]? = nil) throws {
        stdoutPath = scratch.path("\(label).out")
        stderrPath = scratch.path("\(label).err")
        pid = try Self.spawn(executable.path, arguments, directory: scratch.url.path,
                             stdout: stdoutPath, stderr: stderrPath, environment: environment)
    }

    /// Starts `path` with `arguments`; stdin is /dev/null.
    static func spawn(_ path: String, _ arguments: [String], directory: String?, stdout: String, stderr: String,
                      environment: [String: String]?) throws -> pid_t {
        do {
            return try Spawn.start(path, arguments, directory: directory, stdinPath: nil, stdoutPath: stdout,
                                   stderrPath: stderr, environment: environment ?? [:])
        } catch let error as SpawnError {
            throw ShellFailure(command: path, output: error.message)
        }
    }

    /// A child still running when its test lets go of it (a failed expectation, a thrown
    /// error) is killed and reaped, so no server outlives its test.
    deinit {
        if isRunning {
            _ = kill(pid, SIGKILL)
            var raw: Int32 = 0
            _ = waitpid(pid, &raw, 0)
        }
    }

    var isRunning: Bool { status == nil }
    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// The raw wait status if the child has ended (reaping it), else nil.
    private var status: Int32? {
        reaped.withLock { reaped in
            if reaped == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid { reaped = raw }
            }
            return reaped
        }
    }

    /// Sends a signal now (SIGKILL: no handler, no cleanup, no flush in the child); never to a
    /// child already reaped, whose pid may belong to another process by now.
    func signal(_ number: Int32) {
        if isRunning { _ = kill(pid, number) }
    }

    /// Waits for the child to end, without blocking a cooperative thread; SIGKILLs it when the
    /// timeout passes first. Returns its exit status, or 128+signal when a signal ended it.
    @discardableResult
    func wait(timeout: Duration = .seconds(60)) async -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let raw = status {
                let signal = raw & 0x7f
                return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
            }
            if ContinuousClock.now > deadline { signal(SIGKILL) }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits until stdout (or stderr) holds a complete line containing `text`; false when the
    /// child exits or the timeout passes first.
    func waitFor(_ text: String, inStderr: Bool = false, timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let output = inStderr ? stderr : stdout
            if output.split(separator: "\n").contains(where: { $0.contains(text) }) && output.contains("\n") { return true }
            if !isRunning { return false }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return false
    }

    /// Runs a command to its end, blocking: for the probes that decide which tests can run.
    static func runBlocking(_ arguments: [String]) -> Int32 {
        guard let pid = try? spawn("/usr/bin/env", arguments, directory: nil, stdout: "/dev/null", stderr: "/dev/null",
                                   environment: nil) else { return -1 }
        return Spawn.wait(pid)
    }
}

/// Runs a command to its end and returns (status, stdout, stderr).
@discardableResult
func runToEnd(_ executable: URL, _ arguments: [String], in scratch: Scratch, label: String = UUID().uuidString,
              environment: [String: String]? = nil, timeout: Duration = .seconds(120)) async throws -> (status: Int32, stdout: String, stderr: String) {
    let child = try ChildProcess(executable, arguments, in: scratch, label: label, environment: environment)
    let status = await child.wait(timeout: timeout)
    return (status, child.stdout, child.stderr)
}

/// The `sqlite3` shell, as a person looking inside the file would run it. It waits up to 10 s
/// for a lock, as DocStore does: a store the test just released may still be checkpointing.
func sqlite3(_ path: String, _ sql: String, in scratch: Scratch) async throws -> String {
    let result = try await runToEnd(URL(fileURLWithPath: "/usr/bin/env"), ["sqlite3", "-cmd", ".timeout 10000", path, sql], in: scratch)
    if result.status != 0 {
        throw ShellFailure(command: "sqlite3 \(path) \(sql)", output: result.stdout + result.stderr)
    }
    return result.stdout
}

struct ShellFailure: Error, CustomStringConvertible {
    let command: String
    let output: String
    var description: String { "`\(command)` failed: \(output)" }
}

/// The test's own seeded random numbers: RELIABILITY_SEED replays a failing run.
struct TestRandom: RandomNumberGenerator {
    private var state: UInt64
    let seed: UInt64

    init() {
        let given = ProcessInfo.processInfo.environment["RELIABILITY_SEED"].flatMap { UInt64($0) }
        self.init(seed: given ?? UInt64.random(in: 1...UInt64(UInt32.max)))
    }

    init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// An integer from the environment, for the long mode (`RELIABILITY_KILLS=200`).
func environmentInt(_ name: String, default value: Int) -> Int {
    ProcessInfo.processInfo.environment[name].flatMap { Int($0) } ?? value
}
