import DocumentStore
import Foundation

// The secondary-index figures.
//
//   docstore-bench bulk DOCS.ndjson DB --indexes     the bulk insert into a table that has the
//                                                    three indexes below (vs the same without)
//   docstore-bench prepare-reads SOURCE.ndjson DB --count N
//                                                    a table of N documents derived from SOURCE,
//                                                    then an index on `email`, built and waited for
//   docstore-bench reads SOURCE.ndjson DB [--lookups K]
//                                                    K getAll calls on `email`, and K between calls
//                                                    from an email to maxval, limit 10 (one call
//                                                    each, timed per call)
//
// The N documents: copy c (c = 0, 1, ...) of SOURCE's documents, in order, until N are taken;
// copy 0 as it is, and in copy c > 0 each email `name@host` becomes `name+c@host`, so the
// emails of copy 0 appear once in the 1,000,000 documents as they do in the 10,000. The
// lookups are emails of SOURCE's first 10,000 documents that appear once in SOURCE, so each
// getAll finds one document and each between ten, at either size.

extension DocStoreBench {
    /// The indexes of the indexed insert: a string field, a compound of a nested field and a
    /// number, and a multi index over the dataset's array of tags.
    static func createBenchIndexes(_ table: Table) async throws {
        try await table.indexCreate("email")
        try await table.indexCreate("cityAge", .compound(["address", "city"], ["age"]))
        try await table.indexCreate("tags", multi: true)
    }

    static func prepareReads(_ options: Options) async throws {
        let source = try sourceDocuments(options.positional[0])
        let count = Int(options.value("--count") ?? "10000") ?? 10000
        let store = try freshStore(options.positional[1])
        try await store.tableCreate("bench")
        let table = store.table("bench")
        let clock = ContinuousClock()
        let start = clock.now
        var taken = 0
        var copy = 0
        while taken < count {
            let chunk = source.prefix(count - taken).map { derived($0, copy: copy) }
            try await table.insert(chunk, options: InsertOptions(durability: .soft))
            taken += chunk.count
            copy += 1
        }
        try await table.sync()
        let inserted = clock.now
        try await table.indexCreate("email")
        _ = try await table.indexWait(["email"])
        let built = clock.now
        report(["mode": "prepare-reads", "documents": .number(Double(try await table.count())),
                "insert_seconds": .number((inserted - start).seconds), "index_seconds": .number((built - inserted).seconds)])
    }

    static func reads(_ options: Options) async throws {
        let source = try sourceDocuments(options.positional[0])
        let lookups = Int(options.value("--lookups") ?? "1000") ?? 1000
        let emails = lookupEmails(source, count: lookups)
        let store = try DocumentStore(path: options.positional[1])
        let table = store.table("bench")
        // Untimed: the statements are prepared and the index function compiled once per store.
        for email in emails.prefix(20) {
            _ = try await table.getAll([email], index: "email")
            _ = try await firstTen(table, from: email)
        }
        let clock = ContinuousClock()
        var found = 0
        var start = clock.now
        for email in emails { found += try await table.getAll([email], index: "email").count }
        let getAllSeconds = (clock.now - start).seconds
        var ranged = 0
        start = clock.now
        for email in emails { ranged += try await firstTen(table, from: email) }
        let betweenSeconds = (clock.now - start).seconds
        report(["mode": "reads", "documents": .number(Double(try await table.count())), "lookups": .number(Double(emails.count)),
                "get_all_found": .number(Double(found)), "between_found": .number(Double(ranged)),
                "get_all_ms": .number(getAllSeconds * 1000 / Double(emails.count)),
                "between_ms": .number(betweenSeconds * 1000 / Double(emails.count))])
    }

    /// `between(email, maxval, index: "email")` with `limit 10`, as a client reads it: a page
    /// of ten, then stop.
    private static func firstTen(_ table: Table, from email: Document) async throws -> Int {
        var count = 0
        for try await _ in table.between(.value(email), .maxval, index: "email").pageSize(10) {
            count += 1
            if count == 10 { break }
        }
        return count
    }

    private static func sourceDocuments(_ path: String) throws -> [Document] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try Document(parsing: String($0)) }
    }

    /// Copy `copy` of a source document (see the header).
    private static func derived(_ document: Document, copy: Int) -> Document {
        guard copy > 0, var object = document.objectValue, let email = object["email"]?.stringValue,
              let at = email.lastIndex(of: "@") else { return document }
        object["email"] = .string(email[..<at] + "+\(copy)" + email[at...])
        return .object(object)
    }

    /// `count` emails spread evenly over the first 10,000 documents, each unique in the source.
    private static func lookupEmails(_ source: [Document], count: Int) -> [Document] {
        var occurrences: [String: Int] = [:]
        for document in source {
            if let email = document["email"]?.stringValue { occurrences[email, default: 0] += 1 }
        }
        let candidates = source.prefix(10_000).compactMap { $0["email"]?.stringValue }.filter { occurrences[$0] == 1 }
        let step = max(1, candidates.count / max(1, count))
        return stride(from: 0, to: candidates.count, by: step).prefix(count).map { .string(candidates[$0]) }
    }
}
