import DocumentStore
import ReQL

extension LibraryTables {
    func changes(_ request: ChangeRequest, in reference: TableRef) throws(ReqlError) -> any ChangeSource {
        throw .runtime(.opFailed, "TEMPORARY")
    }
    func ensureChangeLog(_ table: Table, database: String) throws(ReqlError) {}
    static func feedStub() {}
}
final class LibraryFeedReader: Sendable {
    func read(limit: Int, waitForFirst: Bool) async throws -> [Document] { [] }
    func release() {}
}
