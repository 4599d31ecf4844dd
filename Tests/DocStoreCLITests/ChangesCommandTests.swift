import Foundation
import Spawn
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `docstore changes` and `docstore table change-log`, end to end: the follower is a child
/// process, the writes are other `docstore` runs.
@Suite("CLI: changes and change-log")
struct ChangesCommandTests {
    /// A running `docstore changes`, whose stdout is read as it grows.
    final class Follower {
        let pid: pid_t
        let stdoutPath: String
        let stderrPath: String

        init(_ sandbox: CLISandbox, _ arguments: [String]) throws {
            stdoutPath = sandbox.path("../changes-\(UUID().uuidString).out")
            stderrPath = sandbox.path("../changes-\(UUID().uuidString).err")
            pid = try Spawn.start(try DocStoreBinary.url().path, ["changes"] + arguments, directory: sandbox.directory.path,
                                  stdinPath: nil, stdoutPath: stdoutPath, stderrPath: stderrPath)
        }

        var lines: [String] {
            let text = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").map(String.init)
        }

        var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

        /// Waits until stdout has `count` complete lines.
        func waitForLines(_ count: Int, timeout: Duration = .seconds(60)) async throws -> [String] {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                let text = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
                if text.filter({ $0 == "\n" }).count >= count { return lines }
                try await Task.sleep(for: .milliseconds(10))
            }
            Issue.record("waited for \(count) lines, got \(lines), stderr: \(stderr)")
            return lines
        }

        func interrupt() -> Int32 {
            kill(pid, SIGINT)
            return Spawn.wait(pid)
        }
    }

    @Test("changes prints each commit as one JSON line at once, and Ctrl-C ends it with exit 0")
    func follow() async throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("table", "create", "orders", "--change-log")
        try sandbox.docstore("insert", "orders", #"{"id": 1, "total": 5}"#)
        let follower = try Follower(sandbox, ["orders", "--include-initial", "--include-states"])
        #expect(try await follower.waitForLines(3) == [#"{"state":"initializing"}"#, #"{"new_val":{"id":1,"total":5}}"#, #"{"state":"ready"}"#])
        try sandbox.docstore("insert", "orders", #"{"id": 2}"#)
        #expect(try await follower.waitForLines(4).last == #"{"new_val":{"id":2},"old_val":null}"#)
        try sandbox.docstore("update", "orders", "1", #"{"total": 6}"#)
        #expect(try await follower.waitForLines(5).last == #"{"new_val":{"id":1,"total":6},"old_val":{"id":1,"total":5}}"#)
        #expect(follower.interrupt() == 0)
        #expect(follower.stderr == "")
    }

    @Test("changes --key follows one document; --with-sequence and --since resume after a sequence")
    func keyAndSince() async throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("table", "create", "marvel", "--change-log", "--keep-count", "1000")
        let point = try Follower(sandbox, ["marvel", "--key", "Iron Man", "--include-states", "--with-sequence"])
        #expect(try await point.waitForLines(1) == [#"{"state":"ready"}"#])
        try sandbox.docstore("insert", "marvel", #"[{"id": "Thor"}, {"id": "Iron Man"}]"#)
        let line = try #require(try await point.waitForLines(2).last)
        #expect(point.interrupt() == 0)
        let change = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect((change["new_val"] as? [String: Any])?["id"] as? String == "Iron Man")
        let sequence = try #require(change["sequence"] as? Int)
        // Everything after that sequence, from a new process: the next write only.
        try sandbox.docstore("insert", "marvel", #"{"id": "Loki"}"#)
        let resumed = try Follower(sandbox, ["marvel", "--since", "\(sequence)"])
        #expect(try await resumed.waitForLines(1) == [#"{"new_val":{"id":"Loki"},"old_val":null}"#])
        try await Task.sleep(for: .milliseconds(300))
        #expect(resumed.lines.count == 1)
        #expect(resumed.interrupt() == 0)
    }

    @Test("table change-log shows and switches the log; changes on a table without one fails with exit 1")
    func changeLogSwitch() throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("table", "create", "plain")
        #expect(try sandbox.docstore("table", "change-log", "plain").stdout == #"{"change_log":false}"# + "\n")
        let refused = try sandbox.docstore("changes", "plain")
        #expect(refused.status == 1)
        #expect(refused.stderr == "docstore: Table `test.plain` has no change log; switch it on (`setChangeLog(.on())`, or `docstore table change-log plain on`) to follow its changes.\n")
        let on = try sandbox.docstore("table", "change-log", "plain", "on", "--keep-seconds", "3600")
        #expect(on.status == 0)
        #expect(matches(on.stdout, #"\{"change_log":true,"keep_count":null,"keep_seconds":3600,"latest_sequence":\d+\}\n"#), "\(on)")
        #expect(try sandbox.sqlite3("docstore.sqlite", "select change_log, change_keep_seconds from docstore_tables").stdout == "1|3600.0\n")
        #expect(try sandbox.docstore("table", "change-log", "plain", "off").stdout == #"{"change_log":false}"# + "\n")
        let bad = try sandbox.docstore("table", "change-log", "plain", "maybe")
        #expect(bad.status == 64)
    }

    @Test("the change records are rows of docstore$changes, readable in the sqlite3 shell")
    func recordsInTheShell() throws {
        let sandbox = try CLISandbox()
        try sandbox.docstore("table", "create", "t", "--change-log")
        try sandbox.docstore("insert", "t", #"{"id": "a", "n": 1}"#)
        try sandbox.docstore("update", "t", "a", #"{"n": 2}"#)
        // The last record leaves the document in its row (`new_doc` is empty); the README's
        // query reads it from there.
        let raw = try sandbox.sqlite3("docstore.sqlite", "select seq = (select change_seq from t), new_doc from \"docstore$changes\" order by seq")
        #expect(raw.stdout == "0|{\"id\":\"a\",\"n\":1}\n1|\n")
        let joined = try sandbox.sqlite3("docstore.sqlite", """
            SELECT c.seq, c.key, c.old_doc, CASE c.new_doc WHEN '' THEN t.doc ELSE c.new_doc END AS new_doc
            FROM "docstore$changes" c LEFT JOIN "t" t ON c.new_doc = '' AND t.id = c.key
            WHERE c.table_name = 't' ORDER BY c.seq
            """)
        #expect(joined.stdout.hasSuffix(#"|a|{"id":"a","n":1}|{"id":"a","n":2}"# + "\n"), "\(joined)")
        // Deleting the row first writes its document into the record that left it there.
        try sandbox.docstore("delete", "t", "a")
        let rows = try sandbox.sqlite3("docstore.sqlite", "select table_name, key, old_doc, new_doc from \"docstore$changes\" order by seq")
        #expect(rows.stdout == """
            t|a||{"id":"a","n":1}
            t|a|{"id":"a","n":1}|{"id":"a","n":2}
            t|a|{"id":"a","n":2}|

            """)
    }
}
