import DocumentStore
import ReQL

/// The geo index reads for the evaluator, each one library call: the library reads the
/// index's cells and tests the candidates exactly.
extension LibraryTables {
    func getIntersecting(_ geometry: Document, index: String, in reference: TableRef) throws(ReqlError) -> [Document] {
        let table = self.table(reference)
        return try call { try await table.getIntersecting(geometry, index: index) }
    }

    func getNearest(_ query: NearestQuery, index: String, in reference: TableRef) throws(ReqlError) -> [Document] {
        let table = self.table(reference)
        return try call { try await table.getNearest(query, index: index) }
    }
}
