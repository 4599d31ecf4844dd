import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A client that sends queries and never reads the answers must not grow the server: past the
/// outbound high-water mark the connection stops reading queries, and TCP holds the client back.
@Suite("Server backpressure", .enabled(if: PythonDriver.isAvailable, "needs the rethinkdb Python driver"))
struct ServerBackpressureTests {
    @Test("3,000 unread answers of 100 KB grow the server by less than 64 MiB")
    func unreadAnswersStayBounded() async throws {
        let scratch = try Scratch("unread")
        let server = try await ServeProcess.start(dataDirectory: scratch.path("data"), in: scratch, label: "serve")
        defer { server.child.signal(SIGKILL) }
        let result = try await runToEnd(PythonDriver.python,
                                        PythonDriver.arguments("serve_unread_answers.py", ["127.0.0.1:\(server.port)", "\(server.child.pid)", "3000"]),
                                        in: scratch)
        try #require(result.status == 0, "\(result.stderr)")
        let fields = result.stdout.split(separator: " ")
        let before = try #require(Int(fields[1])), peak = try #require(Int(fields[2]))
        // Unbounded, the 3,000 answers are 300 MB; bounded, the server holds about 1 MiB of
        // them plus the queries it had read before it stopped.
        #expect(peak - before < 64 * 1024, "the server grew from \(before / 1024) to \(peak / 1024) MiB")
        await server.stop()
    }
}
