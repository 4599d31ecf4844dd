import ArgumentParser
import DocumentStore
import Foundation

/// A command that failed: the message goes to stderr and the exit code is 1.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

extension AsyncParsableCommand {
    /// Runs a command body, turning library and file errors into one `docstore: ...` line on
    /// stderr and exit code 1.
    ///
    /// ArgumentParser would print these as `Error: ...`, the prefix of its usage errors (exit
    /// 64); a failure of the store is not a usage error, and scripts match the `docstore:` line.
    func reportingFailures(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as CommandFailure {
            Output.error(error.message)
            throw ExitCode.failure
        } catch let error as DocumentStoreError {
            Output.error(error.message)
            throw ExitCode.failure
        } catch let error as JSONSyntaxError {
            Output.error(error.description)
            throw ExitCode.failure
        }
    }
}

/// Where the tool writes: results on stdout, everything else on stderr.
enum Output {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(("docstore: " + text + "\n").utf8))
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Raw text on stderr, for the progress line's carriage returns.
    static func terminal(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    /// The terminal's width in columns, 80 when it does not say.
    static var stderrColumns: Int {
        var size = winsize()
        guard ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}

extension Output {
    /// Prints documents as NDJSON, one line each, written as it comes, so `| head` or a
    /// watching eye sees each one when it is read rather than when the read ends; stops after
    /// `limit` documents when there is one.
    static func documents<Documents: AsyncSequence>(_ documents: Documents, limit: Int? = nil) async throws
        where Documents.Element == Document {
        var printed = 0
        for try await document in documents {
            // Checked after the first read too, so that `--limit 0` still reports a missing
            // table or index, as RethinkDB does.
            if let limit, printed >= limit { return }
            line(document.jsonString)
            printed += 1
            if let limit, printed >= limit { return }
        }
    }
}
