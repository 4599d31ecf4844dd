import DocumentStore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Crash safety through the server: the Python driver writes to `docstore serve` with hard
/// durability, and the *server* is SIGKILLed at a random moment; every write the driver got a
/// result for must be in the database file afterwards, whole.
///
/// 5 kills by default (each costs a server and a Python start); RELIABILITY_SERVE_KILLS for more.
@Suite("Crash safety: SIGKILL of docstore serve", .enabled(if: PythonDriver.isAvailable, "needs the rethinkdb Python driver"))
struct ServeCrashTests {
    @Test("Every write the driver saw acknowledged survives SIGKILL of the server")
    func killServer() async throws {
        let kills = environmentInt("RELIABILITY_SERVE_KILLS", default: 5)
        var random = TestRandom()
        let scratch = try Scratch("serve-crash")
        let data = scratch.path("data")
        let path = data + "/test.sqlite"
        var model = CrashModel(table: "crash")
        var stats = CrashStats()
        for run in 0..<kills {
            let server = try await ServeProcess.start(dataDirectory: data, in: scratch, label: "serve\(run)")
            let client = try ChildProcess(PythonDriver.python,
                                          PythonDriver.arguments("serve_crash_writer.py", ["127.0.0.1:\(server.port)", "\(run)", "\(random.seed)"]),
                                          in: scratch, label: "client\(run)")
            let ready = await client.waitFor("READY")
            try #require(ready, "the Python writer did not start: \(client.stderr)")
            try await Task.sleep(for: .milliseconds(100 + Int(random.next() % 900)))
            server.child.signal(SIGKILL)
            #expect(await server.child.wait() == 128 + SIGKILL)
            // The client notices the closed socket and exits 0; 1 would mean a wrong result.
            let clientStatus = await client.wait(timeout: .seconds(30))
            try #require(clientStatus == 0, "the Python writer failed in run \(run): \(client.stderr)")
            let log = try AckLog(client.stdout)
            try await model.check(run: run, log: log, path: path, prefix: "p\(run)-", scratch: scratch, stats: &stats)
            stats.kills += 1
        }
        try await model.checkEverything(path: path, scratch: scratch)
        stats.report("docstore serve + Python driver, hard durability, seed \(random.seed)")
        #expect(stats.lost == 0)
        #expect(stats.writes > 0, "no write was acknowledged before the kills: nothing was tested")
    }
}

/// A query whose client is gone must not keep running: the server notices the closed socket,
/// cancels the query, goes idle, and then stops at once on SIGTERM.
@Suite("Abandoned queries", .enabled(if: PythonDriver.isAvailable, "needs the rethinkdb Python driver"))
struct AbandonedQueryTests {
    @Test("A client that disconnects during r.range().count() leaves the server idle within a second, and SIGTERM then stops it")
    func disconnectCancels() async throws {
        let scratch = try Scratch("abandon")
        let server = try await ServeProcess.start(dataDirectory: scratch.path("data"), in: scratch, label: "serve")
        defer { server.child.signal(SIGKILL) }
        let leave = scratch.path("leave")
        let client = try ChildProcess(PythonDriver.python,
                                      PythonDriver.arguments("serve_abandon_query.py", ["127.0.0.1:\(server.port)", leave]),
                                      in: scratch, label: "client")
        try #require(await client.waitFor("STARTED"), "the client did not start: \(client.stderr)")
        // The query runs while its client is there: wait (however loaded the machine is) until
        // the server has spent 0.2 s of CPU on it, then let the client vanish.
        let busyFrom = try Self.cpuTicks(server.child.pid)
        let deadline = ContinuousClock.now + .seconds(30)
        while try Self.cpuTicks(server.child.pid) - busyFrom < 20 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try Self.cpuTicks(server.child.pid) - busyFrom >= 20, "the query did not keep the server busy")
        #expect(FileManager.default.createFile(atPath: leave, contents: nil))
        #expect(await client.wait(timeout: .seconds(30)) == 0, "\(client.stderr)")
        // ...and stops within a second of it leaving: then CPU time no longer advances.
        try await Task.sleep(for: .seconds(1))
        let idleFrom = try Self.cpuTicks(server.child.pid)
        try await Task.sleep(for: .milliseconds(500))
        let spent = try Self.cpuTicks(server.child.pid) - idleFrom
        #expect(spent <= 2, "the server spent \(spent) ticks in 0.5 s after its client left")

        let start = ContinuousClock.now
        server.child.signal(SIGTERM)
        let status = await server.child.wait(timeout: .seconds(15))
        #expect(status == 0, "\(server.child.stderr)")
        #expect(ContinuousClock.now - start < .seconds(10), "SIGTERM took past the grace period")
    }

    /// The process's user plus system CPU time, in clock ticks (`/proc/PID/stat` fields 14 and 15).
    static func cpuTicks(_ pid: pid_t) throws -> Int {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // The command name, field 2, is in parentheses and may hold spaces: count after it.
        let fields = stat[stat.index(after: try #require(stat.lastIndex(of: ")")))...].split(separator: " ")
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }
}

/// The server's exposure: where it listens by default, and (with the Python driver and raw
/// sockets, Tests/Support/server_security.py) passwords, the connection limit, and bad input
/// on one connection leaving the others alone. The password and every SCRAM proof sent must
/// never appear in the server's log.
@Suite("Server security")
struct ServerSecurityTests {
    @Test("Without --bind the server listens on 127.0.0.1 only")
    func loopbackByDefault() async throws {
        let scratch = try Scratch("bind")
        let server = try await ServeProcess.start(dataDirectory: scratch.path("data"), in: scratch, label: "serve")
        defer { server.child.signal(SIGKILL) }
        #expect(server.child.stderr.contains("listening on 127.0.0.1:\(server.port)"))
        let listening = try Self.listeningAddresses(port: server.port)
        #expect(listening == ["127.0.0.1"], "listening on \(listening)")
    }

    @Test("Passwords, the connection limit and one client's bad input are handled, and no secret is logged",
          .enabled(if: PythonDriver.isAvailable, "needs the rethinkdb Python driver"))
    func pythonChecks() async throws {
        let scratch = try Scratch("security")
        let password = "pw-\(UUID().uuidString)"
        let passwordFile = scratch.path("password")
        try (password + "\n").write(toFile: passwordFile, atomically: true, encoding: .utf8)
        let limit = 4
        let server = try await ServeProcess.start(dataDirectory: scratch.path("data"), in: scratch, label: "serve",
                                                  extra: ["--password-file", passwordFile, "--max-connections", "\(limit)"])
        let result = try await runToEnd(PythonDriver.python,
                                        PythonDriver.arguments("server_security.py", ["127.0.0.1:\(server.port)", password, "\(limit)"]),
                                        in: scratch, label: "client", timeout: .seconds(120))
        await server.stop()
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains(" passed, 0 failed"), "\(result.stdout)")
        let log = server.child.stderr
        #expect(!log.isEmpty)
        #expect(!log.contains(password), "the password is in the server's log")
        let proofs = result.stdout.split(separator: "\n").filter { $0.hasPrefix("PROOF ") }.map { String($0.dropFirst(6)) }
        #expect(!proofs.isEmpty)
        for proof in proofs {
            #expect(!log.contains(proof), "a SCRAM proof is in the server's log")
        }
        print("reliability: server security: \(result.stdout.split(separator: "\n").last ?? "")")
    }

    /// The IPv4 and IPv6 addresses with a listening TCP socket on `port`, from /proc/net.
    static func listeningAddresses(port: Int) throws -> [String] {
        var addresses: [String] = []
        let portHex = String(format: "%04X", port)
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 3, fields[3] == "0A" else { continue }  // 0A: LISTEN
                let local = fields[1].split(separator: ":")
                guard local.count == 2, local[1] == portHex else { continue }
                addresses.append(Self.address(String(local[0])))
            }
        }
        return addresses
    }

    /// /proc/net's hexadecimal address (little-endian words) as text.
    static func address(_ hex: String) -> String {
        if hex.count == 8, let value = UInt32(hex, radix: 16) {
            return (0..<4).map { String((value >> (8 * $0)) & 0xFF) }.joined(separator: ".")
        }
        return hex == String(repeating: "0", count: 32) ? "::" : hex
    }
}
