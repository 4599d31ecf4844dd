import ArgumentParser
import DocumentStore
import Foundation

/// `docstore insert`: RethinkDB's `table.insert` from a shell.
struct InsertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "insert",
        abstract: "Insert JSON documents into a table and print RethinkDB's result.",
        discussion: """
            DOCS is one JSON object or array given as the argument, or a file holding a JSON array or NDJSON (one document per line), or - for standard input. Large inputs are parsed and committed in chunks, so memory stays flat; the printed result adds up all chunks. On a terminal, a file's import shows its progress on stderr. A table that does not exist is created (with --primary-key), and stderr says so.

            Examples:
              docstore insert marvel \\
                '{"superhero": "Iron Man", "superpower": "Arc Reactor"}'
              docstore insert marvel --durability soft \\
                '[{"superhero": "Wolverine"}, {"superhero": "Spiderman"}]'
              docstore insert marvel '{"id": 1, "superhero": "Iron Man"}' \\
                --upsert --return-vals
              docstore insert users users.ndjson --primary-key email --conflict update
              cat export.json | docstore insert marvel - --strict
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The table to insert into.")
    var table: String

    @Argument(help: ArgumentHelp("A JSON object or array, a file path, or - for standard input.", valueName: "docs"))
    var docs: String

    @Option(help: ArgumentHelp("What to do when a document's key is already in the table.", valueName: "mode"))
    var conflict: ConflictArgument?

    @Flag(help: "Replace documents whose key exists (RethinkDB 1.x; the same as --conflict replace).")
    var upsert = false

    @Option(help: ArgumentHelp("How durable each commit is before the result is printed.", valueName: "level"))
    var durability: DurabilityArgument?

    // `.next`: only the word right after the option can be its value, so
    // `--return-changes --strict` is the flag, and `--return-changes sometimes` is refused as
    // a value rather than the word being read as an extra argument.
    @Option(defaultAsFlag: ReturnChangesArgument.bare, parsing: .next,
            help: ArgumentHelp("Add a changes array to the result; alone, the same as true.", valueName: "when"))
    var returnChanges: ReturnChangesArgument?

    @Flag(help: "Put old_val and new_val in the result (RethinkDB 1.x; one document only).")
    var returnVals = false

    @Option(help: ArgumentHelp("The key field, used when the table is created.", valueName: "field"))
    var primaryKey: String?

    @Flag(help: "Store the documents as they are, without the table's write hook (RethinkDB's ignore_write_hook).")
    var ignoreWriteHook = false

    @Flag(help: "Exit with status 1 when any document failed (errors > 0).")
    var strict = false

    @Option(help: ArgumentHelp("Documents per transaction when reading a file or standard input.", valueName: "n"))
    var chunkSize = 10_000

    func validate() throws {
        if upsert && conflict != nil {
            throw ValidationError("Use either --upsert or --conflict, not both (--upsert is --conflict replace).")
        }
        if returnVals && returnChanges != nil {
            throw ValidationError("Use either --return-vals or --return-changes, not both.")
        }
        if chunkSize < 1 { throw ValidationError("--chunk-size must be at least 1.") }
    }

    func run() async throws {
        try await reportingFailures {
            // Option values first, before any file is opened, as RethinkDB checks optargs first.
            let options = try InsertArguments(command: self)
            let literal = docs.drop(while: { $0 == " " || $0 == "\n" || $0 == "\t" })
            let isLiteral = literal.first == "{" || literal.first == "["
            if !isLiteral && docs != "-" && access(docs, R_OK) != 0 {
                // Checked before the table is created, so a typo in the path changes nothing.
                throw CommandFailure("Cannot read `\(docs)`: \(String(cString: strerror(errno))). Give a readable file, - for standard input, or the JSON itself (starting with { or [).")
            }
            let store = try global.openStore()
            try await ensureTable(store)
            let table = ignoreWriteHook ? store.table(table).ignoringWriteHook : store.table(table)
            let result: WriteResult
            if isLiteral {
                result = try await options.insert(json: Array(docs.utf8), into: table)
            } else {
                result = try await ChunkedImport(table: table, options: options, chunkSize: chunkSize)
                    .run(path: docs)
            }
            Output.line(result.jsonString)
            if strict && result.errors > 0 {
                throw ExitCode.failure
            }
        }
    }

    /// Creates a missing table (the library itself keeps RethinkDB's "does not exist" error).
    private func ensureTable(_ store: DocumentStore) async throws {
        let database = store.configuration.databaseName
        let existing: String
        do {
            existing = try await store.table(table).primaryKey()
        } catch let error as DocumentStoreError where error.reason == .tableDoesNotExist {
            do {
                try await store.tableCreate(table, primaryKey: primaryKey ?? "id")
                Output.note("Created table `\(database).\(table)` (primary key `\(primaryKey ?? "id")`).")
                return
            } catch let error as DocumentStoreError where error.reason == .tableExists {
                // Another process created it between the look-up and the create (parallel
                // imports into a new table): use it as if it had been there first.
                existing = try await store.table(table).primaryKey()
            }
        }
        if let primaryKey, primaryKey != existing {
            throw CommandFailure("Table `\(database).\(table)` exists with primary key `\(existing)`; --primary-key \(primaryKey) applies only when the table is created. Drop the table or leave --primary-key out.")
        }
    }
}

/// The insert options as the command received them, resolved once from its arguments
/// (with RethinkDB's error for a value it does not know).
struct InsertArguments {
    var conflict: ConflictStrategy?
    var upsert: Bool?
    var durability: Durability?
    var returnChanges: ReturnChanges?
    var returnValues: Bool?

    init(command: InsertCommand) throws {
        conflict = try command.conflict?.value()
        upsert = command.upsert ? true : nil
        durability = try command.durability?.value()
        returnChanges = try command.returnChanges?.value()
        returnValues = command.returnVals ? true : nil
    }

    func combined() throws -> InsertOptions {
        try InsertOptions.combining(conflict: conflict, durability: durability, returnChanges: returnChanges,
                                    upsert: upsert, returnValues: returnValues)
    }

    func insert(json: [UInt8], into table: Table) async throws -> WriteResult {
        try await table.insert(json: json, options: combined())
    }
}
