import Foundation
import Spawn
import Testing

/// What one run of the `docstore` binary did.
struct CLIResult: CustomStringConvertible {
    let stdout: String
    let stderr: String
    let status: Int32

    var description: String { "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }

    /// The printed result parsed as JSON (the one line on stdout).
    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
        return try #require(object as? [String: Any], "stdout is not a JSON object: \(stdout)")
    }
}

/// The built `docstore` executable: `$DOCSTORE_BIN`, else next to the test bundle
/// (`.build/debug/docstore` beside `.build/debug/DocStorePackageTests.xctest`).
enum DocStoreBinary {
    static func url() throws -> URL {
        let manager = FileManager.default
        if let path = ProcessInfo.processInfo.environment["DOCSTORE_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let cwd = URL(fileURLWithPath: manager.currentDirectoryPath)
        let argument0 = URL(fileURLWithPath: CommandLine.arguments[0], relativeTo: cwd).standardizedFileURL
        let bundle = Bundle.main.bundleURL.standardizedFileURL
        let directories = [
            argument0.deletingLastPathComponent(),
            argument0.resolvingSymlinksInPath().deletingLastPathComponent(),
            bundle.deletingLastPathComponent(),
            bundle,
            bundle.deletingLastPathComponent().deletingLastPathComponent(),   // macOS: .xctest/Contents/MacOS
        ]
        for directory in directories {
            let candidate = directory.appendingPathComponent("docstore")
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               manager.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        throw BinaryNotFound(searched: directories.map(\.path))
    }

    struct BinaryNotFound: Error, CustomStringConvertible {
        let searched: [String]
        var description: String {
            "No docstore executable in \(searched); build it (swift build) or set DOCSTORE_BIN."
        }
    }
}

/// A temporary working directory in which the binary runs; removed when the value goes away.
final class CLISandbox {
    let directory: URL
    /// Where stdout/stderr of each run are captured, outside `directory` so they never show up
    /// among the files a test looks at.
    private let captures: URL

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("docstore-cli-\(UUID().uuidString)")
        directory = base.appendingPathComponent("work")
        captures = base.appendingPathComponent("captures")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: captures, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory.deletingLastPathComponent())
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    /// Writes a file into the working directory.
    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }

    func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: directory.appendingPathComponent(name)), as: UTF8.self)
    }

    /// Runs `docstore arguments...` in the working directory, feeding `stdin` if given.
    @discardableResult
    func docstore(_ arguments: String..., stdin: String? = nil) throws -> CLIResult {
        try run(DocStoreBinary.url(), arguments, stdin: stdin)
    }

    /// Runs the `sqlite3` shell in the working directory.
    func sqlite3(_ file: String, _ sql: String) throws -> CLIResult {
        try run(URL(fileURLWithPath: "/usr/bin/env"), ["sqlite3", file, sql], stdin: nil)
    }

    func run(_ executable: URL, _ arguments: [String], stdin: String?) throws -> CLIResult {
        let id = UUID().uuidString
        let outURL = captures.appendingPathComponent("\(id).out")
        let errURL = captures.appendingPathComponent("\(id).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        var inPath: String?
        if let stdin {
            let inURL = captures.appendingPathComponent("\(id).in")
            try Data(stdin.utf8).write(to: inURL)
            inPath = inURL.path
        }
        // posix_spawn, not Foundation's Process, which crashed test runs (see Spawn).
        let status = try Spawn.run(executable.path, arguments, directory: directory.path, stdinPath: inPath,
                                   stdoutPath: outURL.path, stderrPath: errURL.path)
        return CLIResult(stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                         stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
                         status: status)
    }
}

/// Lowercase version-4 UUIDs, as RethinkDB generates keys.
let uuidPattern = #"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"#

/// Whether all of `text` matches the regular expression `pattern`.
func matches(_ text: String, _ pattern: String) -> Bool {
    guard let regex = try? Regex(pattern) else { return false }
    return (try? regex.wholeMatch(in: text)) != nil
}
