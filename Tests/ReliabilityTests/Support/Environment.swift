import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The official Python driver, which CI installs (`pip install rethinkdb==2.4.10.post1`).
enum PythonDriver {
    static let isAvailable = ChildProcess.runBlocking(["python3", "-c", "import rethinkdb"]) == 0

    static let python = URL(fileURLWithPath: "/usr/bin/env")

    /// A script beside the tests, run as `python3 <script> <arguments>`.
    static func arguments(_ script: String, _ arguments: [String]) -> [String] {
        ["python3", Executable.packageRoot.appendingPathComponent("Tests/Support/\(script)").path] + arguments
    }
}

/// `docstore serve` as a child process on a free loopback port.
struct ServeProcess {
    let child: ChildProcess
    let port: Int

    /// Starts the server and waits for its "listening on HOST:PORT" line.
    static func start(dataDirectory: String, in scratch: Scratch, label: String, extra: [String] = []) async throws -> ServeProcess {
        let child = try ChildProcess(try Executable.url("docstore"),
                                     ["serve", "--port", "0", "--data-dir", dataDirectory] + extra,
                                     in: scratch, label: label)
        let listening = await child.waitFor("listening on", inStderr: true)
        try #require(listening, "docstore serve did not start: \(child.stderr)")
        let line = try #require(child.stderr.split(separator: "\n").first { $0.contains("listening on") })
        // "docstore serve: listening on 127.0.0.1:PORT, data in DIR"
        let address = try #require(line.split(separator: " ").first { $0.contains(":") && $0.hasSuffix(",") })
        let port = try #require(Int(address.dropLast().split(separator: ":").last ?? ""))
        return ServeProcess(child: child, port: port)
    }

    /// SIGTERM, then the grace period, then SIGKILL.
    func stop() async {
        child.signal(SIGTERM)
        await child.wait(timeout: .seconds(15))
    }
}

/// What this machine lets the disk tests do. Root ignores file permissions, so a read-only
/// file is made with a read-only bind mount, the immutable attribute or by dropping to user
/// `nobody`; a full disk with a small tmpfs. Each is probed once, and a test that needs one the
/// machine refuses is skipped with the reason (CI runs as root and has them all).
enum Privileged {
    /// Runs a command to its end, synchronously; true when it exited 0.
    @discardableResult
    static func run(_ arguments: [String]) -> Bool {
        ChildProcess.runBlocking(arguments) == 0
    }

    static func probeDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("docstore-probe-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// `mount -t tmpfs` works (root with CAP_SYS_ADMIN, not in most containers).
    static let canMount: Bool = {
        let directory = probeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        guard run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", directory]) else { return false }
        return run(["umount", directory])
    }()

    /// `chattr +i` works on the temporary directory's filesystem.
    static let canMakeImmutable: Bool = {
        let directory = probeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/probe"
        guard FileManager.default.createFile(atPath: file, contents: Data("x".utf8)),
              run(["chattr", "+i", file]) else { return false }
        let refused = open(file, O_WRONLY) < 0
        run(["chattr", "-i", file])
        return refused
    }()

    /// Root can run a command as `nobody`, for whom a root-owned 0644 file is read-only.
    static let canDropPrivileges: Bool = getuid() == 0 && run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "true"])

    /// Mounts a tmpfs of `kibibytes` at `directory`; unmount it with `unmount`.
    static func mountTmpfs(at directory: String, kibibytes: Int) -> Bool {
        run(["mount", "-t", "tmpfs", "-o", "size=\(kibibytes)k", "tmpfs", directory])
    }

    /// A read-only view of `source` at `target`.
    static func mountReadOnlyBind(_ source: String, at target: String) -> Bool {
        guard run(["mount", "--bind", source, target]) else { return false }
        if run(["mount", "-o", "remount,ro,bind", target]) { return true }
        unmount(target)
        return false
    }

    /// Lazily: a store that still has the file open must not make the unmount fail.
    static func unmount(_ directory: String) {
        run(["umount", "-l", directory])
    }

    /// `executable` copied into `scratch`, and the environment a child run as `nobody` needs.
    ///
    /// The build folder and `Fuzz/` sit in the checkout, which may be below a directory only
    /// root can enter (a clone in a `mktemp -d` folder). `setpriv` still starts a binary there
    /// (it resolves the path before the capabilities go), but the child, as `nobody`, can open
    /// nothing in the checkout: under AddressSanitizer not the suppression files that
    /// `*SAN_OPTIONS` name, and the sanitizer ends a process whose suppressions it cannot read.
    /// So the binary and those files are copied where `nobody` can read them. The options are
    /// not dropped instead: the leak suppressions cover the Swift runtime's one-off
    /// allocations, which a `docstore` run makes too.
    static func reachableByNobody(_ executable: URL, in scratch: Scratch) throws -> (executable: URL, environment: [String: String]) {
        let manager = FileManager.default
        try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratch.url.path)
        let copy = scratch.url.appendingPathComponent("bin-" + executable.lastPathComponent)
        // A hard link, not a copy: a copy is a file opened for writing, and a child that another
        // test forks meanwhile inherits that descriptor, so exec'ing the copy fails with "Text
        // file busy". A copy only where a link cannot be made (another file system).
        do {
            try manager.linkItem(at: executable, to: copy)
        } catch {
            try manager.copyItem(at: executable, to: copy)
            try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy.path)
        }
        var environment: [String: String] = [:]
        for (name, options) in ProcessInfo.processInfo.environment where name.hasSuffix("SAN_OPTIONS") {
            // The sanitizers split options at ':', ',' and whitespace.
            let separators = CharacterSet(charactersIn: ":,").union(.whitespacesAndNewlines)
            let rewritten = try options.components(separatedBy: separators).filter { !$0.isEmpty }.map { option in
                guard option.hasPrefix("suppressions=") else { return option }
                let source = URL(fileURLWithPath: String(option.dropFirst("suppressions=".count)))
                let target = scratch.url.appendingPathComponent("\(name)-\(source.lastPathComponent)")
                try manager.copyItem(at: source, to: target)
                try manager.setAttributes([.posixPermissions: 0o644], ofItemAtPath: target.path)
                return "suppressions=" + target.path
            }
            environment[name] = rewritten.joined(separator: ":")
        }
        return (copy, environment)
    }
}
