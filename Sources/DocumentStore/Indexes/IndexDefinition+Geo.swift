import DocumentModel
import ReQL

extension IndexDefinition {
    /// A geo index's entries: one per S2 cell of the covering of the geometry (of each
    /// geometry, for a multi index over an array), with the geometry as the entry's value so
    /// reads test it exactly without running the function again. A value that is not a valid
    /// geometry gives no entry, as a value no index can hold gives none elsewhere.
    func geoEntries(of value: Document) -> [IndexEntry] {
        let geometries: [Document]
        if multi, case .array(let elements) = value { geometries = elements } else { geometries = [value] }
        var entries: [IndexEntry] = []
        for (position, geometry) in geometries.enumerated() {
            guard let keys = try? GeoCells.keys(of: geometry) else { continue }
            let tag = multi ? Int64(position) : 0
            for key in keys { entries.append(IndexEntry(key: key, tag: tag, value: geometry)) }
        }
        return entries
    }
}
