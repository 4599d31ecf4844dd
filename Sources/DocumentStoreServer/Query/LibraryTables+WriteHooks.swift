import DocumentStore
import Foundation
import ReQL

/// Write hooks for the evaluator, on the library's API: the library checks a hook, stores it
/// with its table and applies it in every write (the server's included), so nothing of a
/// hook is evaluated here.
extension LibraryTables {
    func setWriteHook(_ function: Document?, in reference: TableRef) throws(ReqlError) -> Document {
        let table = self.table(reference)
        let hook: WriteHook?
        do {
            switch function {
            case let binary? where binary["$reql_type$"]?.stringValue == "BINARY":
                hook = try WriteHook(binary: Array(Data(base64Encoded: binary["data"]?.stringValue ?? "") ?? Data()))
            case let term?:
                hook = try WriteHook(reql: term)
            case nil:
                hook = nil
            }
        } catch {
            throw ReqlError(error)
        }
        return try call { try await table.setWriteHook(hook) }.document
    }

    func writeHook(of reference: TableRef) throws(ReqlError) -> Document {
        let table = self.table(reference)
        return try call { try await table.writeHook() }?.document ?? .null
    }
}
