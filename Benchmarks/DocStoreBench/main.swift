import DocumentStore
import Foundation

// Quick library timing: insert one NDJSON file's documents through the library in one call.
// usage: docstore-bench library-insert FILE.ndjson DB.sqlite
let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    FileHandle.standardError.write(Data("usage: docstore-bench library-insert FILE DB\n".utf8))
    exit(64)
}
var json: [UInt8] = [UInt8(ascii: "[")]
json.append(contentsOf: try Data(contentsOf: URL(fileURLWithPath: arguments[2])))
while json.last == UInt8(ascii: "\n") { json.removeLast() }
for index in json.indices where json[index] == UInt8(ascii: "\n") { json[index] = UInt8(ascii: ",") }
json.append(UInt8(ascii: "]"))
try? FileManager.default.removeItem(atPath: arguments[3])
let store = try DocumentStore(path: arguments[3])
try await store.tableCreate("bench")
let clock = ContinuousClock()
let start = clock.now
let result = try await store.table("bench").insert(json: json, durability: .hard)
let elapsed = clock.now - start
print("inserted=\(result.inserted) errors=\(result.errors) seconds=\(elapsed)")
