import DocumentStore
import Foundation
import Synchronization
import Testing

/// The disk failing under a write: the size cap (`Configuration.maxPageCount`), a really full
/// filesystem (a small tmpfs), and a file that cannot be written (read-only mount, immutable
/// file, another user's file). Each write must fail with a clear `storage` error, leave the
/// file as it was and consistent, and the store must go on once the cause is gone.
@Suite("Disk failures: full and read-only")
struct DiskFailureTests {
    static func documents(_ first: Int, count: Int, size: Int = 1000) -> [Document] {
        (first..<(first + count)).map { ["id": .number(Double($0)), "pad": .string(String(repeating: "x", count: size))] }
    }

    static func json(_ documents: [Document]) -> String {
        "[" + documents.map(\.jsonString).joined(separator: ",") + "]"
    }

    /// Inserts 20 documents at a time until a call throws; returns the error and checks that
    /// the failed call left the table exactly as it was.
    static func fillUntilFailure(_ table: Table, path: String, scratch: Scratch, kind: String) async throws -> DocumentStoreError {
        for batch in 0..<10_000 {
            let before = try await DiskState.read(path, scratch: scratch)
            do {
                switch kind {
                case "json": try await table.insert(json: json(documents(batch * 20, count: 20)))
                // Over 1 MiB of text: the pipelined path, parsed on another thread.
                case "large": try await table.insert(json: json(documents(batch * 2000, count: 2000)))
                default: try await table.insert(documents(batch * 20, count: 20))
                }
            } catch let error as DocumentStoreError {
                #expect(try await DiskState.read(path, scratch: scratch) == before, "the failed call changed the file")
                return error
            }
        }
        throw ShellFailure(command: "fill \(path)", output: "never full")
    }

    @Test("Filling the size cap fails the call with 'database is full', and a larger cap lets writes go on",
          arguments: ["documents", "json", "large"])
    func sizeCap(kind: String) async throws {
        let scratch = try Scratch("cap")
        let path = scratch.path("cap.sqlite")
        var configuration = DocumentStore.Configuration()
        configuration.maxPageCount = 128  // 512 KiB
        let written: Int
        do {
            let store = try DocumentStore(path: path, configuration: configuration)
            try await store.tableCreate("t")
            let table = store.table("t")
            let error = try await Self.fillUntilFailure(table, path: path, scratch: scratch, kind: kind)
            #expect(error.code == .storage)
            #expect(error.message.contains("database or disk is full"), "\(error.message)")
            #expect(error.message.contains("nothing was written"), "\(error.message)")
            #expect(error.sqliteCode.map { $0 & 0xff } == 13)  // SQLITE_FULL
            written = try await table.count()
            // The store still reads.
            if written > 0 { #expect(try await table.get(0) != nil) }
        }
        #expect(try await sqlite3(path, "PRAGMA integrity_check", in: scratch) == "ok\n")
        configuration.maxPageCount = 8192
        let store = try DocumentStore(path: path, configuration: configuration)
        #expect(try await store.table("t").insert(Self.documents(1_000_000, count: 20)).inserted == 20)
        #expect(try await store.table("t").count() == written + 20)
    }

    @Test("A full filesystem fails the call with a storage error, and freeing space lets the same store go on",
          .enabled(if: Privileged.canMount, "needs `mount -t tmpfs` (root with CAP_SYS_ADMIN)"))
    func fullFilesystem() async throws {
        let scratch = try Scratch("tmpfs")
        let mountPoint = scratch.path("mnt")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        try #require(Privileged.mountTmpfs(at: mountPoint, kibibytes: 1024))
        defer { Privileged.unmount(mountPoint) }
        // Room to free later, as an operator would by deleting something else.
        let filler = mountPoint + "/filler"
        try Data(count: 384 * 1024).write(to: URL(fileURLWithPath: filler))
        let path = mountPoint + "/full.sqlite"
        do {
            let store = try DocumentStore(path: path)
            try await store.tableCreate("t")
            let table = store.table("t")
            let error = try await Self.fillUntilFailure(table, path: path, scratch: scratch, kind: "documents")
            #expect(error.code == .storage)
            #expect(error.message.contains("full"), "\(error.message)")
            let count = try await table.count()
            try FileManager.default.removeItem(atPath: filler)
            #expect(try await table.insert(Self.documents(2_000_000, count: 20)).inserted == 20)
            #expect(try await table.count() == count + 20)
        }
        #expect(try await sqlite3(path, "PRAGMA integrity_check", in: scratch) == "ok\n")
    }

    @Test("A store on a read-only mount refuses writes with a clear error and leaves the file as it was",
          .enabled(if: Privileged.canMount, "needs `mount --bind` (root with CAP_SYS_ADMIN)"))
    func readOnlyMount() async throws {
        let scratch = try Scratch("ro")
        let source = scratch.path("rw")
        let view = scratch.path("ro")
        for directory in [source, view] { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        do {
            let store = try DocumentStore(path: source + "/ro.sqlite")
            try await store.tableCreate("t")
            try await store.table("t").insert(Self.documents(0, count: 5))
        }
        let before = try await DiskState.read(source + "/ro.sqlite", scratch: scratch)
        try #require(Privileged.mountReadOnlyBind(source, at: view))
        defer { Privileged.unmount(view) }
        let error = try await #require(throws: DocumentStoreError.self) {
            let store = try DocumentStore(path: view + "/ro.sqlite")
            try await store.table("t").insert(Self.documents(100, count: 5))
        }
        #expect(error.code == .storage)
        #expect(error.message.contains("mounted read-only"), "\(error.message)")
        Privileged.unmount(view)
        #expect(try await DiskState.read(source + "/ro.sqlite", scratch: scratch) == before)
    }

    @Test("A file made immutable under an open store fails the write; made writable again, the store goes on",
          .enabled(if: Privileged.canMakeImmutable, "needs `chattr +i` on the temporary directory's filesystem"))
    func immutableDuringWrites() async throws {
        let scratch = try Scratch("immutable")
        let path = scratch.path("immutable.sqlite")
        let store = try DocumentStore(path: path)
        try await store.tableCreate("t")
        let table = store.table("t")
        try await table.insert(Self.documents(0, count: 5))
        let files = [path, path + "-wal"]
        Privileged.run(["chattr", "+i"] + files)
        let error = try await #require(throws: DocumentStoreError.self) {
            try await table.insert(Self.documents(100, count: 5))
        }
        Privileged.run(["chattr", "-i"] + files)
        #expect(error.code == .storage)
        #expect(error.message == "Could not write to table `test.t`: disk I/O error (the disk refused the write: check that the file is writable and the disk healthy; nothing was written)")
        #expect(try await table.count() == 5)
        #expect(try await table.insert(Self.documents(200, count: 5)).inserted == 5)
        #expect(try await table.count() == 10)
        #expect(try await sqlite3(path, "PRAGMA integrity_check", in: scratch) == "ok\n")
    }

    /// Eight calls queued behind a busy writer form one group; the file turns immutable before
    /// the group runs, so its statements succeed in SQLite's cache and its one commit fails.
    @Test("A group whose commit fails fails every call of the group with the error, and writes none of them",
          .enabled(if: Privileged.canMakeImmutable, "needs `chattr +i` on the temporary directory's filesystem"))
    func failedGroupCommit() async throws {
        let scratch = try Scratch("group-commit-fails")
        let path = scratch.path("group.sqlite")
        let statements = Mutex<[String]>([])
        var configuration = DocumentStore.Configuration()
        configuration.trace = { sql in statements.withLock { $0.append(sql) } }
        // This checks which calls share a commit, not how fast: on a loaded machine (or under
        // AddressSanitizer) eight calls can take longer than the default 10 ms window.
        configuration.groupCommitWindow = .seconds(30)
        let store = try DocumentStore(path: path, configuration: configuration)
        try await store.tableCreate("t")
        let table = store.table("t")
        try await table.insert(Self.documents(0, count: 5))
        let before = statements.withLock { $0.count }
        // A task on the writer's thread holds it, until released, while the calls queue up.
        let running = Atomic<Bool>(false), released = Atomic<Bool>(false)
        let blocker = Task {
            await withTaskExecutorPreference(store.writeExecutor) {
                running.store(true, ordering: .releasing)
                while !released.load(ordering: .acquiring) { usleep(1000) }
            }
        }
        while !running.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(5)) }
        let calls = (0..<8).map { call in Task { try await table.insert(Self.documents(100 + call * 10, count: 10)) } }
        // All eight must have queued before the writer is released, or a late one forms a group
        // of its own; under AddressSanitizer and the parallel suites a task can take seconds to
        // be scheduled, so this waits for the queue rather than for a time.
        let deadline = ContinuousClock.now + .seconds(120)
        while store.queuedWriteCount < calls.count && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(store.queuedWriteCount == calls.count, "the calls queued behind the writer")
        let files = [path, path + "-wal"]
        Privileged.run(["chattr", "+i"] + files)
        released.store(true, ordering: .releasing)
        await blocker.value
        var failures: [DocumentStoreError] = []
        for call in calls {
            if case .failure(let error as DocumentStoreError) = await call.result { failures.append(error) }
        }
        Privileged.run(["chattr", "-i"] + files)
        let group = statements.withLock { Array($0[before...]) }
        #expect(group.filter { $0 == "BEGIN IMMEDIATE" }.count == 1, "one group")
        #expect(group.filter { $0 == "SAVEPOINT docstore_call" }.count == 7, "eight calls in it, the first without a savepoint")
        #expect(failures.count == 8, "every call of the group failed")
        for error in failures {
            #expect(error.code == .storage)
            #expect(error.message == "Could not write to table `test.t`: disk I/O error (the disk refused the write: check that the file is writable and the disk healthy; nothing was written)")
        }
        #expect(try await table.count() == 5)
        #expect(try await table.insert(Self.documents(200, count: 5)).inserted == 5)
        #expect(try await table.count() == 10)
        #expect(try await sqlite3(path, "PRAGMA integrity_check", in: scratch) == "ok\n")
    }

    @Test("docstore insert as another user on a root-owned file fails with a clear error and changes nothing",
          .enabled(if: Privileged.canDropPrivileges, "needs root and setpriv"))
    func anotherUsersFile() async throws {
        let scratch = try Scratch("nobody")
        let docstore = try Executable.url("docstore")
        let path = scratch.path("root.sqlite")
        let created = try await runToEnd(docstore, ["--db", path, "insert", "t", #"{"id": 1}"#], in: scratch)
        try #require(created.status == 0, "\(created.stderr)")
        // `nobody` must reach the directory and the binary, but not write the file.
        let reachable = try Privileged.reachableByNobody(docstore, in: scratch)
        let before = try await DiskState.read(path, scratch: scratch)
        let result = try await runToEnd(URL(fileURLWithPath: "/usr/bin/env"),
                                        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                         reachable.executable.path, "--db", path, "insert", "t", #"{"id": 2}"#],
                                        in: scratch, environment: reachable.environment)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("attempt to write a readonly database (the database file or its directory is read-only)"),
                "\(result.stderr)")
        #expect(try await DiskState.read(path, scratch: scratch) == before)
    }
}

/// A file's logical contents (the sqlite3 shell's `.dump`) and its integrity check.
struct DiskState: Equatable {
    let dump: String
    let integrity: String

    static func read(_ path: String, scratch: Scratch) async throws -> DiskState {
        DiskState(dump: try await sqlite3(path, ".dump", in: scratch),
                  integrity: try await sqlite3(path, "PRAGMA integrity_check", in: scratch))
    }
}
