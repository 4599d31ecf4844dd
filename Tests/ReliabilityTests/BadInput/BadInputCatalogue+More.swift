import DocumentStore
import Foundation

extension BadInputCatalogue {
    static let depthError = "Nesting depth limit exceeded (1000 levels)"

    /// 10,000 levels: refused before the recursive parser, printer or comparison could run out
    /// of stack.
    static let nesting: [BadInput] = [
        .json("arrays 10,000 deep", "[" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_001),
              .syntax(line: 1, column: 1002, reason: depthError)),
        .json("objects 10,000 deep", String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000),
              .syntax(line: 1, column: 5001, reason: depthError)),
        .json("10,000 unclosed brackets", String(repeating: "[", count: 10_000),
              .syntax(line: 1, column: 1002, reason: depthError)),
        BadInput("a Swift document 10,000 deep", .document(["id": 1, "deep": deepDocument(10_000)]),
                 .documentError(depthError + ".")),
    ]

    static func deepDocument(_ depth: Int) -> Document {
        var document: Document = 1
        for _ in 0..<depth { document = .array([document]) }
        return document
    }

    static let nullKey = "Primary keys must be either a number, string, bool, pseudotype or array (got type NULL):\nnull"
    static let objectKey = "Primary keys must be either a number, string, bool, pseudotype or array (got type OBJECT):\n{\n\t\"a\":\t1\n}"

    /// Keys of every wrong type and length, through text, through Swift values and through `get`.
    static let keys: [BadInput] = [
        .json("a null key", #"{"id": null}"#, .documentError(nullKey)),
        .json("an object key", #"{"id": {"a": 1}}"#, .documentError(objectKey)),
        .json("an array key holding null", #"{"id": [1, null]}"#,
              .documentError("Array keys can only contain numbers, strings, bools,  pseudotypes, or arrays (got null of type NULL).")),
        .json("a geometry key", #"{"id": {"$reql_type$": "GEOMETRY", "type": "Point", "coordinates": [0, 0]}}"#,
              .documentError("Cannot use a geometry value as a key value in a primary or non-geospatial secondary index.")),
        .json("a 128-byte key", #"{"id": ""# + String(repeating: "a", count: 128) + #""}"#,
              .documentError("Primary key too long (max 127 characters): \"" + String(repeating: "a", count: 128) + "\"")),
        .json("a 128-byte key of two-byte characters", #"{"id": ""# + String(repeating: "é", count: 64) + #""}"#,
              .documentError("Primary key too long (max 127 characters): \"" + String(repeating: "é", count: 64) + "\"")),
        .json("a 128-byte key written as escapes", #"{"id": ""# + String(repeating: #"\u0041"#, count: 128) + #""}"#,
              .documentError("Primary key too long (max 127 characters): \"" + String(repeating: "A", count: 128) + "\"")),
        .json("an over-long array key", #"{"id": [""# + String(repeating: "b", count: 126) + #""]}"#,
              .documentError("Primary key too long (max 127 characters): [\n\t\"" + String(repeating: "b", count: 126) + "\"\n]")),
        .json("a NUL key", #"{"id": "\u0000"}"#,
              .documentError(#"String "\x00" (truncated) contains NULL byte at offset 0 in index key."#)),
        .json("a NUL inside a key", #"{"id": "ab\u0000c"}"#,
              .documentError(#"String "ab\x00c" (truncated) contains NULL byte at offset 2 in index key."#)),
        .json("a NUL inside an array key", #"{"id": ["ok", "\u0000"]}"#,
              .documentError(#"String "\x00" (truncated) contains NULL byte at offset 0 in index key."#)),
        BadInput("a Swift null key", .document(["id": .null]), .documentError(nullKey)),
        BadInput("a Swift object key", .document(["id": ["a": 1]]), .documentError(objectKey)),
        BadInput("a Swift NUL key", .document(["id": "a\u{0}"]),
                 .documentError(#"String "a\x00" (truncated) contains NULL byte at offset 1 in index key."#)),
        BadInput("a Swift 200-byte key", .document(["id": .string(String(repeating: "z", count: 200))]),
                 .documentError("Primary key too long (max 127 characters): \"" + String(repeating: "z", count: 200) + "\"")),
        BadInput("get with a null key", .key(.null), .callError(.nonExistence, nullKey)),
        BadInput("get with an object key", .key(["a": 1]), .callError(.queryLogic, objectKey)),
        BadInput("get with a 128-byte key", .key(.string(String(repeating: "k", count: 128))),
                 .callError(.queryLogic, "Primary key too long (max 127 characters): \"" + String(repeating: "k", count: 128) + "\"")),
        BadInput("get with a NUL key", .key("x\u{0}"),
                 .callError(.queryLogic, #"String "x\x00" (truncated) contains NULL byte at offset 1 in index key."#)),
    ]

    /// Elements that are not documents, repeated fields, values that cannot be stored.
    static let documents: [BadInput] = [
        .json("a number in a batch", "[1]", .documentError("Expected type OBJECT but found NUMBER.")),
        .json("a string in a batch", #"["x"]"#, .documentError("Expected type OBJECT but found STRING.")),
        .json("null in a batch", "[null]", .documentError("Expected type OBJECT but found NULL.")),
        .json("a bool in a batch", "[true]", .documentError("Expected type OBJECT but found BOOL.")),
        .json("an array in a batch", "[[]]", .documentError("Expected type OBJECT but found ARRAY.")),
        .json("a repeated field", #"{"a": 1, "a": 2}"#, .documentError(#"Duplicate key "a" in JSON."#)),
        .json("a repeated field written as an escape", #"{"a": 1, "\u0061": 2}"#, .documentError(#"Duplicate key "a" in JSON."#)),
        .json("a repeated nested field", #"{"b": {"x": 1, "x": 2}}"#, .documentError(#"Duplicate key "x" in JSON."#)),
        .json("an array of 100,001 elements", #"{"big": ["# + Array(repeating: "0", count: 100_001).joined(separator: ",") + "]}",
              .documentError("Array too large for disk writes (limit 100,000 elements).")),
        .json("a time as a document", #"{"$reql_type$": "TIME", "epoch_time": 1, "timezone": "+00:00"}"#,
              .documentError("Expected type OBJECT but found PTYPE<TIME>.")),
        // Found by the JSON fuzzer: the pseudotype check ran first, on text that was not UTF-8.
        .bytes("a pseudotype whose type is not UTF-8", #"{"$reql_type$": "TI"#, [0xFF], #"ME"}"#,
               .documentError("String `TI` (truncated) is not a UTF-8 string; Invalid initial byte seen at position 2.")),
        BadInput("r.minval", .document(["id": 1, "low": ["$reql_type$": "MINVAL"]]),
                 .documentError("`r.minval` and `r.maxval` cannot be written to disk.")),
        BadInput("a Swift number where a document belongs", .document([1]), .documentError("Expected type OBJECT but found NUMBER.")),
    ]

    static func invalidName(_ name: String) -> BadInput.Outcome {
        .callError(.queryLogic, "Table name `\(name)` invalid (Use A-Z, a-z, 0-9, _ and - only).")
    }

    static func reservedName(_ name: String) -> BadInput.Outcome {
        .callError(.queryLogic, "Table name `\(name)` is reserved (SQLite keeps names starting with `sqlite_` and DocStore keeps `docstore_tables`); choose another name.")
    }

    /// Table names that must never reach SQL text or a path.
    static let tableNames: [BadInput] = [
        "a b", "a\"b", "a'b", "a`b", "x\"; DROP TABLE docstore_tables; --", "t; DROP TABLE t", "t' OR '1'='1",
        "../etc/passwd", "a/b", "a\\b", "", " ", "tablé", "😀", "a\u{0}b", "a\nb", "a.b", "[t]",
    ].map { BadInput("table name \($0.debugDescription)", .tableName($0), invalidName($0)) } + [
        BadInput("table name sqlite_master", .tableName("sqlite_master"), reservedName("sqlite_master")),
        BadInput("table name SQLITE_x", .tableName("SQLITE_x"), reservedName("SQLITE_x")),
        BadInput("table name docstore_tables", .tableName("docstore_tables"), reservedName("docstore_tables")),
        BadInput("a table that does not exist", .tableName("nope"), .callError(.opFailed, "Table `test.nope` does not exist.")),
    ]

    /// Whole calls that are refused before anything is written.
    static let calls: [BadInput] = [
        .json("a number instead of documents", "42", .callError(.queryLogic, "Cannot convert NUMBER to SEQUENCE")),
        .json("a string instead of documents", #""x""#, .callError(.queryLogic, "Cannot convert STRING to SEQUENCE")),
        .json("null instead of documents", "null", .callError(.queryLogic, "Cannot convert NULL to SEQUENCE")),
        .json("a bool instead of documents", "true", .callError(.queryLogic, "Cannot convert BOOL to SEQUENCE")),
        .json("100,001 documents in one call", "[" + Array(repeating: "{}", count: 100_001).joined(separator: ",") + "]",
              .callError(.resourceLimit, "Array over size limit `100000`.  To raise the number of allowed elements, modify the `array_limit` option to `.run` (not available in the Data Explorer), or use an index.")),
        BadInput("a Swift string instead of documents", .document("x"), .callError(.queryLogic, "Cannot convert STRING to SEQUENCE")),
        BadInput("return_vals with several documents", .call { try await $0.insert([["id": 1], ["id": 2]], upsert: false, returnValues: true) },
                 .callError(.queryLogic, "Optarg RETURN_VALS is invalid for multi-row inserts.")),
        BadInput("upsert and conflict together", .call { try await $0.insert(["id": 1], options: .combining(conflict: .replace, durability: nil, returnChanges: nil, upsert: true, returnValues: nil)) },
                 .callError(.compile, "Cannot use both `upsert` (RethinkDB 1.x) and `conflict`: `upsert: true` is `conflict: .replace`, `upsert: false` is `conflict: .error`.")),
        BadInput("return_vals and return_changes together", .call { try await $0.insert(["id": 1], options: .combining(conflict: nil, durability: nil, returnChanges: .on, upsert: nil, returnValues: true)) },
                 .callError(.compile, "Cannot use both `return_vals` (RethinkDB 1.x) and `return_changes`: use `return_changes`.")),
        BadInput("an unknown conflict option", .call { _ in _ = try ConflictStrategy(option: "merge") },
                 .callError(.queryLogic, #"Conflict option `merge` unrecognized (options are "error", "replace" and "update")."#)),
        BadInput("an unknown durability option", .call { _ in _ = try Durability(option: "medium") },
                 .callError(.queryLogic, #"Durability option `medium` unrecognized (options are "hard" and "soft")."#)),
        BadInput("an unknown return_changes option", .call { _ in _ = try ReturnChanges(option: "sometimes") },
                 .callError(.queryLogic, "Invalid return_changes value `sometimes` (options are `true`, `false`, and `'always'`.)")),
        BadInput("a table name differing only in case", .call { try await $0.store.tableCreate("T") },
                 .callError(.opFailed, "Table `test.T` cannot be created: `test.t` exists, and SQLite table names ignore case.")),
        BadInput("a table that already exists", .call { try await $0.store.tableCreate("t") },
                 .callError(.opFailed, "Table `test.t` already exists.")),
    ]
}
