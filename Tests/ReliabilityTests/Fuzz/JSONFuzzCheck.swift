// The JSON fuzz target's checks. This file is compiled twice: into the libFuzzer binary
// (Fuzz/run.sh, with DOCSTORE_FUZZ defined, in one module with the library's sources) and into
// the test suite, which replays the seed corpus and every input a fuzzer ever crashed on.
#if DOCSTORE_FUZZ
import DocumentModel
#else
@testable import DocumentStore
#endif

/// What the write path's JSON reading must do for any bytes at all: return or throw one of its
/// documented errors, never trap or touch memory it does not own, and agree with itself. A
/// broken invariant stops the process (`fuzzFailure`), which libFuzzer reports as a crash.
enum JSONFuzzCheck {
    static func check(_ bytes: [UInt8]) {
        let parsed = checkParsing(bytes)
        checkBatch(bytes, parsed: parsed)
        checkNDJSON(bytes)
    }

    /// `Document(parsing:)`: the canonical text of what it returns parses back to itself.
    static func checkParsing(_ bytes: [UInt8]) -> Result<Document, any Error> {
        do {
            let document = try Document(parsing: bytes)
            let canonical = document.jsonBytes
            guard let again = try? Document(parsing: canonical) else { fuzzFailure("canonical text does not parse: \(canonical.prefix(200))") }
            if again.jsonBytes != canonical { fuzzFailure("canonical text is not stable") }
            if Document(canonical: canonical).jsonBytes != canonical { fuzzFailure("the canonical reader disagrees with the parser") }
            return .success(document)
        } catch let error as JSONSyntaxError {
            if error.line < 1 || error.column < 1 || error.offset > bytes.count || error.reason.isEmpty {
                fuzzFailure("a syntax error out of range: \(error)")
            }
            return .failure(error)
        } catch let error as DocumentStoreError {
            if error.code != .queryLogic || error.message.isEmpty { fuzzFailure("unexpected error \(error)") }
            return .failure(error)
        } catch {
            fuzzFailure("unexpected error type \(error)")
        }
    }

    /// `insert(json:)`'s preparation: every prepared document is canonical text of an object
    /// holding its key, and for a single object it matches what `Document(parsing:)` read.
    static func checkBatch(_ bytes: [UInt8], parsed: Result<Document, any Error>) {
        let sink = BatchSink()
        do {
            _ = try bytes.withUnsafeBufferPointer { try BatchBuilder.json($0, primaryKey: "id", keys: .uuidV4, into: sink) }
        } catch is JSONSyntaxError {
            if case .success(let document) = parsed, document.objectValue != nil {
                fuzzFailure("an object parses alone but not as a batch")
            }
            return
        } catch let error as DocumentStoreError {
            if ![.queryLogic, .resourceLimit].contains(error.code) { fuzzFailure("unexpected batch error \(error)") }
            return
        } catch {
            fuzzFailure("unexpected batch error type \(error)")
        }
        let batch = sink.batch
        for document in batch.documents {
            checkPrepared(document, in: batch)
        }
        // A lone object: the batch holds exactly it, with a generated key when it had none.
        if case .success(.object(let object)) = parsed {
            guard batch.documents.count == 1 else { fuzzFailure("one object gave \(batch.documents.count) documents") }
            let prepared = batch.documents[0]
            if prepared.key != nil {
                var stored = Document(canonical: Array(batch.bytes[prepared.range]))
                if !object.contains("id") { stored["id"] = nil }
                if stored.jsonBytes != Document.object(object).jsonBytes { fuzzFailure("the batch stores another document than the parser read") }
            }
        }
        if case .failure(let error as DocumentStoreError) = parsed, bytes.first(where: { !isSpace($0) }) == UInt8(ascii: "{") {
            // A problem inside the lone object fails that document, with the same words.
            if batch.documents.count != 1 || batch.documents[0].validationError != error.message {
                fuzzFailure("parser said \(error.message), batch said \(batch.documents.first?.validationError ?? "nothing")")
            }
        }
    }

    static func checkNDJSON(_ bytes: [UInt8]) {
        let sink = BatchSink()
        do {
            try bytes.withUnsafeBufferPointer { try BatchBuilder.ndjson($0, primaryKey: "id", keys: .uuidV7, into: sink) }
        } catch is JSONSyntaxError {
            return
        } catch {
            fuzzFailure("unexpected NDJSON error \(error)")
        }
        for document in sink.batch.documents {
            checkPrepared(document, in: sink.batch)
        }
    }

    static func checkPrepared(_ document: PreparedDocument, in batch: PreparedBatch) {
        guard let key = document.key else {
            if document.validationError?.isEmpty ?? true { fuzzFailure("a failed document without a message") }
            return
        }
        let text = Array(batch.bytes[document.range])
        guard let value = try? Document(parsing: text), case .object = value else {
            fuzzFailure("prepared text is not an object: \(text.prefix(200))")
        }
        if value.jsonBytes != text { fuzzFailure("prepared text is not canonical") }
        if value["id"].map({ $0 == key.value }) != true { fuzzFailure("the key is not the document's id") }
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }
}
