import Foundation
import Testing
@testable import DocumentStore

/// Feeds through indexes: get_all, between, and order_by(index=).limit(n), with the events
/// RethinkDB's subscriptions give (changefeed.cc, sindex.yaml, include_states.yaml, idxcopy.yaml).
@Suite("Change feeds through indexes")
struct ChangeIndexFeedTests {
    @Test("get_all on primary keys: only those keys, a key asked twice comes twice")
    func getAllKeys() async throws {
        try await withLoggedTable { table, _, _ in
            let feed = try await table.changes(getAll: [1, 1, 3]).start()
            let selection = try await table.getAll(1, 2).changes(.with { $0.includeInitial = true }).start()
            try await table.insert([["id": 1], ["id": 2], ["id": 3], ["id": 4]])
            let events = try await take(3, from: feed).documents
            #expect(sameBag(events, [
                ["old_val": .null, "new_val": ["id": 1]], ["old_val": .null, "new_val": ["id": 1]],
                ["old_val": .null, "new_val": ["id": 3]],
            ]))
            #expect(try await isQuiet(feed))
            #expect(sameBag(try await take(2, from: selection).documents, [
                ["old_val": .null, "new_val": ["id": 1]], ["old_val": .null, "new_val": ["id": 2]],
            ]))
        }
    }

    @Test("get_all on a secondary index: documents entering, changing in and leaving the values")
    func getAllIndex() async throws {
        try await withLoggedTable { table, _, _ in
            try await table.indexCreate("role")
            _ = try await table.indexWait()
            try await table.insert([["id": 1, "role": "admin"], ["id": 2, "role": "user"]])
            let feed = try await table.changes(getAll: ["admin", "owner"], index: "role", .with { $0.includeInitial = true }).start()
            #expect(try await take(1, from: feed).documents == [["new_val": ["id": 1, "role": "admin"]]])
            try await table.document(2).update(["role": "owner"])     // enters
            try await table.document(1).update(["name": "a"])         // changes inside
            try await table.document(1).update(["role": "user"])      // leaves
            try await table.insert(["id": 3, "role": "user"])         // never in
            #expect(try await take(3, from: feed).documents == [
                ["old_val": .null, "new_val": ["id": 2, "role": "owner"]],
                ["old_val": ["id": 1, "role": "admin"], "new_val": ["id": 1, "role": "admin", "name": "a"]],
                ["old_val": ["id": 1, "role": "admin", "name": "a"], "new_val": .null],
            ])
            #expect(try await isQuiet(feed))
        }
    }

    @Test("a multi index gives one change per matching element")
    func multiIndex() async throws {
        try await withLoggedTable { table, _, _ in
            try await table.indexCreate("tags", multi: true)
            _ = try await table.indexWait()
            let feed = try await table.between(.value("a"), .value("c"), index: "tags").changes().start()
            try await table.insert(["id": 1, "tags": ["a", "b", "z"]])
            #expect(try await take(2, from: feed).documents == [
                ["old_val": .null, "new_val": ["id": 1, "tags": ["a", "b", "z"]]],
                ["old_val": .null, "new_val": ["id": 1, "tags": ["a", "b", "z"]]],
            ])
            // Two elements in range before, one after: one change and one removal.
            try await table.document(1).update(["tags": ["b"]])
            #expect(try await take(2, from: feed).documents == [
                ["old_val": ["id": 1, "tags": ["a", "b", "z"]], "new_val": ["id": 1, "tags": ["b"]]],
                ["old_val": ["id": 1, "tags": ["a", "b", "z"]], "new_val": .null],
            ])
        }
    }

    @Test("between on the primary key and on a secondary index, bounds closed below and open above")
    func between() async throws {
        try await withLoggedTable { table, _, _ in
            try await table.indexCreate("age")
            _ = try await table.indexWait()
            let keys = try await table.between(.value(2), .value(4)).changes().start()
            let ages = try await table.between(.value(18), .value(30), index: "age").changes(.with { $0.includeTypes = true }).start()
            try await table.insert([["id": 1, "age": 18], ["id": 2, "age": 40], ["id": 4, "age": 20]])
            #expect(try await take(1, from: keys).documents == [["old_val": .null, "new_val": ["id": 2, "age": 40]]])
            #expect(try await take(2, from: ages).documents == [
                ["old_val": .null, "new_val": ["id": 1, "age": 18], "type": "add"],
                ["old_val": .null, "new_val": ["id": 4, "age": 20], "type": "add"],
            ])
            try await table.document(2).update(["age": 29])   // into the age range
            try await table.document(1).update(["age": 30])   // out of it (30 is open)
            #expect(try await take(1, from: keys).documents == [["old_val": ["id": 2, "age": 40], "new_val": ["id": 2, "age": 29]]])
            #expect(try await take(2, from: ages).documents == [
                ["old_val": .null, "new_val": ["id": 2, "age": 29], "type": "add"],
                ["old_val": ["id": 1, "age": 18], "new_val": .null, "type": "remove"],
            ])
            #expect(try await isQuiet(keys))
        }
    }

    @Test("order_by(index=).limit(n) with states and initial values, ascending and descending (include_states.yaml)")
    func limitStates() async throws {
        try await withLoggedTable { table, _, _ in
            try await table.insert([["id": 1], ["id": 2, "a": 1]])
            let options = ChangeFeedOptions.with {
                $0.includeStates = true
                $0.includeInitial = true
            }
            let ascending = try await table.orderBy(index: "id").limit(10).changes(options).start()
            let descending = try await table.orderBy(index: "id", .descending).limit(10).changes(options).start()
            try await table.insert(["id": 3])
            #expect(try await take(5, from: ascending).documents == [
                ["state": "initializing"], ["new_val": ["id": 1]], ["new_val": ["a": 1, "id": 2]], ["state": "ready"],
                ["old_val": .null, "new_val": ["id": 3]],
            ])
            #expect(try await take(5, from: descending).documents == [
                ["state": "initializing"], ["new_val": ["a": 1, "id": 2]], ["new_val": ["id": 1]], ["state": "ready"],
                ["old_val": .null, "new_val": ["id": 3]],
            ])
        }
    }

    @Test("min and max through limit(1): a better document replaces the one in the set (sindex.yaml)",
          arguments: [("id", IndexOrder.ascending), ("id", .descending), ("a", .ascending), ("a", .descending)])
    func limitOne(index: String, order: IndexOrder) async throws {
        try await withLoggedTable { table, _, _ in
            try await table.indexCreate("a")
            _ = try await table.indexWait()
            try await table.insert([["id": 1, "a": 8], ["id": 2, "a": 7]])
            let feed = try await table.orderBy(index: index, order).limit(1).changes(.with { $0.includeInitial = true }).start()
            try await table.insert([["id": 0, "a": 9], ["id": 3, "a": 6]])
            let expected: [Document]
            switch (index, order) {
            case ("id", .ascending), ("a", .descending):
                expected = [["new_val": ["a": 8, "id": 1]], ["new_val": ["a": 9, "id": 0], "old_val": ["a": 8, "id": 1]]]
            default:
                expected = [["new_val": ["a": 7, "id": 2]], ["new_val": ["a": 6, "id": 3], "old_val": ["a": 7, "id": 2]]]
            }
            #expect(try await take(2, from: feed).documents == expected)
        }
    }

    @Test("include_offsets: the positions a document leaves and takes in the ordered set")
    func offsets() async throws {
        try await withLoggedTable { table, _, _ in
            try await table.insert([["id": 1], ["id": 2], ["id": 3], ["id": 4]])
            let feed = try await table.orderBy(index: "id").limit(3).changes(.with {
                $0.includeInitial = true
                $0.includeOffsets = true
            }).start()
            #expect(try await take(3, from: feed).documents == [
                ["new_val": ["id": 1], "new_offset": 0], ["new_val": ["id": 2], "new_offset": 1], ["new_val": ["id": 3], "new_offset": 2],
            ])
            try await table.insert(["id": 0])        // 3 leaves from offset 2, 0 enters at 0
            #expect(try await take(1, from: feed).documents == [["old_val": ["id": 3], "new_val": ["id": 0], "old_offset": 2, "new_offset": 0]])
            try await table.document(1).delete()     // 1 leaves from 1, 3 comes back at 2
            #expect(try await take(1, from: feed).documents == [["old_val": ["id": 1], "new_val": ["id": 3], "old_offset": 1, "new_offset": 2]])
            try await table.document(2).update(["x": 1])   // a change in place
            #expect(try await take(1, from: feed).documents == [["old_val": ["id": 2], "new_val": ["id": 2, "x": 1], "old_offset": 1, "new_offset": 1]])
            try await table.insert(["id": 9])        // outside the set: nothing
            #expect(try await isQuiet(feed))
        }
    }

    @Test("a squashed limit feed delivers the set's net change once (idxcopy.yaml)")
    func limitSquash() async throws {
        try await withLoggedTable { table, _, _ in
            try await table.indexCreate("a")
            _ = try await table.indexWait()
            let feed = try await table.orderBy(index: "a").limit(10).changes(.with { $0.squash = .seconds(2) }).start()
            try await table.insert((0..<12).map { ["id": .number(Double($0)), "a": 5] })
            try await table.getAll(1, 8, 9).delete()
            let events = try await take(9, from: feed, timeout: .seconds(10)).documents
            #expect(sameBag(events, [0, 2, 3, 4, 5, 6, 7, 10, 11].map { ["new_val": ["a": 5, "id": .number(Double($0))], "old_val": .null] }))
            #expect(try await isQuiet(feed, for: .milliseconds(2500)))
        }
    }

    @Test("refusals: an unordered limit, a limit over the array limit")
    func limitRefusals() async throws {
        try await withLoggedTable { table, _, _ in
            await #expect(throws: DocumentStoreError(.queryLogic, "Cannot get changes on the first elements of an unordered stream.")) {
                _ = try await table.between(.minval, .maxval).limit(2).changes().start()
            }
            await #expect(throws: DocumentStoreError(.resourceLimit, "Array size limit `100000` exceeded.  (`.limit(X).changes()` is illegal if X is larger than the array size limit.)")) {
                _ = try await table.orderBy(index: "id").limit(100_001).changes().start()
            }
            await #expect(throws: DocumentStoreError(.opFailed, "Index `nope` was not found on table `test.t`.")) {
                _ = try await table.between(.minval, .maxval, index: "nope").changes().start()
            }
        }
    }
}
