import Testing
@testable import DocumentStore

/// `returnChanges` (`.on`, `.always`) and the 1.x `returnValues`: which entries a write reports,
/// in which order, and the exact JSON of the result.
@Suite("Insert: returned changes")
struct ReturnChangesTests {
    typealias Change = WriteResult.Change

    static let duplicateOfZero = "Duplicate primary key `id`:\n{\n\t\"id\":\t0\n}\n{\n\t\"id\":\t0\n}"
    static let nullKey = "Primary keys must be either a number, string, bool, pseudotype or array (got type NULL):\nnull"

    @Test("With .on, only changed rows get an entry, in input order")
    func onlyChangedRows() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert([["id": 2, "v": 0], ["id": 4, "v": 0]])
            let result = try await marvel.insert([["id": 5], ["id": 2, "v": 0], ["id": 1], ["id": 4, "v": 9], ["id": 3]],
                                                 conflict: .replace, returnChanges: .on)
            #expect(result.inserted == 3 && result.replaced == 1 && result.unchanged == 1)
            #expect(result.changes == [
                Change(oldValue: nil, newValue: ["id": 5]),
                Change(oldValue: nil, newValue: ["id": 1]),
                Change(oldValue: ["id": 4, "v": 0], newValue: ["id": 4, "v": 9]),
                Change(oldValue: nil, newValue: ["id": 3]),
            ])
        }
    }

    @Test("Entries follow the input order, not the key order, through JSON text too", arguments: [ReturnChanges.on, .always])
    func inputOrder(returnChanges: ReturnChanges) async throws {
        try await withMarvel { marvel, _ in
            let ids = Array((1...99).reversed()).map { $0 % 2 == 0 ? $0 : 200 - $0 }
            let json = "[" + ids.map { "{\"id\": [\($0), \"k\"]}" }.joined(separator: ",") + "]"
            let result = try await marvel.insert(json: json, options: InsertOptions(returnChanges: returnChanges))
            let reported = (result.changes ?? []).compactMap { $0.newValue?["id"]?[0]?.intValue }
            #expect(reported == ids)
        }
    }

    @Test("A duplicate with .on gives an empty changes array")
    func duplicateOn() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 0])
            let result = try await marvel.insert(["id": 0], returnChanges: .on)
            #expect(result.changes == [])
            #expect(result.jsonString == #"{"changes":[],"deleted":0,"errors":1,"first_error":"Duplicate primary key `id`:\n{\n\t\"id\":\t0\n}\n{\n\t\"id\":\t0\n}","inserted":0,"replaced":0,"skipped":0,"unchanged":0}"#)
        }
    }

    @Test("An unchanged row with .on gives an empty changes array")
    func unchangedOn() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 0, "a": 1])
            let result = try await marvel.insert(["id": 0, "a": 1], conflict: .update, returnChanges: .on)
            #expect(result.jsonString == #"{"changes":[],"deleted":0,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":1}"#)
        }
    }

    @Test("With .always, unchanged rows, errors and trivial errors all get entries")
    func always() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert([["id": 0], ["id": 1, "v": 1]])
            let errors = try await marvel.insert([["id": 0], ["id": .null], ["id": 9]], returnChanges: .always)
            #expect(errors.changes == [
                Change(oldValue: ["id": 0], newValue: ["id": 0], error: Self.duplicateOfZero),
                Change(oldValue: nil, newValue: nil, error: Self.nullKey),
                Change(oldValue: nil, newValue: ["id": 9]),
            ])
            #expect(errors.errors == 2 && errors.inserted == 1)
            let replace = try await marvel.insert([["id": 1, "v": 1], ["id": 2]], conflict: .replace, returnChanges: .always)
            #expect(replace.changes == [
                Change(oldValue: ["id": 1, "v": 1], newValue: ["id": 1, "v": 1]),
                Change(oldValue: nil, newValue: ["id": 2]),
            ])
        }
    }

    @Test("A conflict function's deletion reports the old row and a null new one", arguments: [ReturnChanges.on, .always])
    func deletionEntry(returnChanges: ReturnChanges) async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1, "v": 1])
            let result = try await marvel.insert(["id": 1], conflict: .resolve { _, _, _ in nil }, returnChanges: returnChanges)
            #expect(result.changes == [Change(oldValue: ["id": 1, "v": 1], newValue: nil)])
            #expect(result.jsonString == #"{"changes":[{"new_val":null,"old_val":{"id":1,"v":1}}],"deleted":1,"errors":0,"inserted":0,"replaced":0,"skipped":0,"unchanged":0}"#)
        }
    }

    @Test("Trivial errors get an entry with .on too, in input order")
    func trivialErrorsOn() async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.insert([["id": .null], 1, ["id": 7]], returnChanges: .on)
            #expect(result.changes == [
                Change(oldValue: nil, newValue: nil, error: Self.nullKey),
                Change(oldValue: nil, newValue: nil, error: "Expected type OBJECT but found NUMBER."),
                Change(oldValue: nil, newValue: ["id": 7]),
            ])
        }
    }

    @Test("When every document fails validation, only one entry is reported", arguments: [ReturnChanges.on, .always])
    func allTrivialErrors(returnChanges: ReturnChanges) async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.insert([["id": .null], ["id": ["a": 1]], "x"], returnChanges: returnChanges)
            #expect(result.errors == 3)
            #expect(result.changes == [Change(oldValue: nil, newValue: nil, error: Self.nullKey)])
        }
    }

    @Test("A new row with .on, as JSON")
    func insertedJSON() async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.insert(["id": 1], returnChanges: .on)
            #expect(result.jsonString == #"{"changes":[{"new_val":{"id":1},"old_val":null}],"deleted":0,"errors":0,"inserted":1,"replaced":0,"skipped":0,"unchanged":0}"#)
        }
    }

    @Test("A duplicate with .always, as JSON")
    func duplicateAlwaysJSON() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 0])
            let result = try await marvel.insert(["id": 0], returnChanges: .always)
            #expect(result.jsonString == #"{"changes":[{"error":"Duplicate primary key `id`:\n{\n\t\"id\":\t0\n}\n{\n\t\"id\":\t0\n}","new_val":{"id":0},"old_val":{"id":0}}],"deleted":0,"errors":1,"first_error":"Duplicate primary key `id`:\n{\n\t\"id\":\t0\n}\n{\n\t\"id\":\t0\n}","inserted":0,"replaced":0,"skipped":0,"unchanged":0}"#)
        }
    }

    @Test("A generated key shows in new_val and generated_keys, as JSON")
    func generatedKeyJSON() async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.insert(["x": 1], returnChanges: .on)
            let key = try #require(result.generatedKeys?.first)
            #expect(result.jsonString == #"{"changes":[{"new_val":{"id":"\#(key)","x":1},"old_val":null}],"deleted":0,"errors":0,"generated_keys":["\#(key)"],"inserted":1,"replaced":0,"skipped":0,"unchanged":0}"#)
        }
    }

    @Test("A replaced row with .always, as JSON")
    func replacedJSON() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": "a", "n": 1])
            let result = try await marvel.insert(["id": "a", "n": 2], conflict: .update, returnChanges: .always)
            #expect(result.jsonString == #"{"changes":[{"new_val":{"id":"a","n":2},"old_val":{"id":"a","n":1}}],"deleted":0,"errors":0,"inserted":0,"replaced":1,"skipped":0,"unchanged":0}"#)
        }
    }

    // MARK: The 1.x return_vals

    @Test("returnValues puts old_val and new_val at the top level")
    func legacyInsert() async throws {
        try await withMarvel { marvel, _ in
            let inserted = try await marvel.insert(["id": 1, "a": "x"], upsert: false, returnValues: true)
            #expect(inserted.legacyValues == WriteResult.LegacyValues(oldValue: nil, newValue: ["id": 1, "a": "x"]))
            #expect(inserted.jsonString == #"{"deleted":0,"errors":0,"inserted":1,"new_val":{"a":"x","id":1},"old_val":null,"replaced":0,"skipped":0,"unchanged":0}"#)
            #expect(inserted.changes == nil)
        }
    }

    @Test("returnValues on a duplicate returns the stored row as both values")
    func legacyDuplicate() async throws {
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 0])
            let result = try await marvel.insert(["id": 0], upsert: false, returnValues: true)
            #expect(result.jsonString == #"{"deleted":0,"errors":1,"first_error":"Duplicate primary key `id`:\n{\n\t\"id\":\t0\n}\n{\n\t\"id\":\t0\n}","inserted":0,"new_val":{"id":0},"old_val":{"id":0},"replaced":0,"skipped":0,"unchanged":0}"#)
        }
    }

    @Test("returnValues on an invalid document returns two nulls")
    func legacyInvalid() async throws {
        try await withMarvel { marvel, _ in
            let result = try await marvel.insert(["id": .null], upsert: false, returnValues: true)
            #expect(result.legacyValues == WriteResult.LegacyValues(oldValue: nil, newValue: nil))
            #expect(result.document["old_val"] == .some(.null))
            #expect(result.document["new_val"] == .some(.null))
        }
    }

    // MARK: The option's values

    @Test("true and false literals are .on and .off")
    func literals() async throws {
        let yes: ReturnChanges = true
        let no: ReturnChanges = false
        #expect(yes == .on)
        #expect(no == .off)
        try await withMarvel { marvel, _ in
            try await marvel.insert(["id": 1])
            let literal = try await marvel.insert([["id": 1], ["id": 2]], returnChanges: true)
            let named = try await marvel.insert([["id": 1], ["id": 3]], returnChanges: .on)
            #expect(literal.changes == [Change(oldValue: nil, newValue: ["id": 2])])
            #expect(named.changes == [Change(oldValue: nil, newValue: ["id": 3])])
            #expect(try await marvel.insert(["id": 4], returnChanges: false).changes == nil)
        }
    }

    @Test("The option value parses like RethinkDB's, anything but false and null being true", arguments: [
        (Document.bool(true), ReturnChanges.on), (false, .off), (.null, .off), ("always", .always), (0, .on), ([:], .on),
    ] as [(Document, ReturnChanges)])
    func optionValues(value: Document, expected: ReturnChanges) throws {
        #expect(try ReturnChanges(option: value) == expected)
    }

    @Test("A string other than always is refused", arguments: [
        ("never", "Invalid return_changes value `never` (options are `true`, `false`, and `'always'`.)"),
        ("", "Invalid return_changes value `` (options are `true`, `false`, and `'always'`.)"),
        ("true", "Invalid return_changes value `true` (options are `true`, `false`, and `'always'`.)"),
    ])
    func optionStrings(text: String, message: String) throws {
        let error = #expect(throws: DocumentStoreError.self) { try ReturnChanges(option: .string(text)) }
        #expect(error?.message == message)
        #expect(error?.code == .queryLogic)
    }
}
