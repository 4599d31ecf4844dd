import DocumentModel

/// S2 cell ids as a geo index stores and reads them (`geo/indexing.cc`).
///
/// Each indexed geometry is stored as the cells of its covering, at most ``goalCells`` of
/// them, each as the key `GC` + the id's 16 lowercase hex digits: the keys sort as the ids do,
/// so all cells inside a cell form one key range. A query geometry intersects a stored one
/// only if a cell of one covering contains a cell of the other: the stored cells inside a
/// query cell (one range) or above it (one key per level). The candidates are then tested
/// exactly.
package enum GeoCells {
    /// RethinkDB's `GEO_INDEX_GOAL_GRID_CELLS`.
    package static let goalCells = 8
    private static let maxLevel = 30

    /// The index keys of a geometry value; RethinkDB's error for a value that is not one.
    package static func keys(of value: Document) throws(ReqlError) -> [[UInt8]] {
        guard case .object(let object) = value, object.reqlType == "GEOMETRY" else {
            throw .runtime(.queryLogic, "Expected geometry but found \(value.typeName).")
        }
        return try GeoShape(value).covering(maxCells: goalCells).map(key)
    }

    /// The inclusive key ranges that hold every stored cell that may intersect `shape`.
    package static func queryRanges(_ shape: GeoShape) -> [(low: [UInt8], high: [UInt8])] {
        var ranges: [(low: UInt64, high: UInt64)] = []
        for cell in shape.covering(maxCells: goalCells) {
            let low = lowestBit(cell)
            ranges.append((cell - (low - 1), cell + (low - 1)))
            for level in stride(from: level(of: cell) - 1, through: 0, by: -1) {
                let ancestor = parent(of: cell, at: level)
                ranges.append((ancestor, ancestor))
            }
        }
        ranges.sort { $0.low < $1.low || ($0.low == $1.low && $0.high > $1.high) }
        // Drop ranges inside an earlier one (query cells share ancestors).
        var merged: [(low: UInt64, high: UInt64)] = []
        for range in ranges {
            if let last = merged.last, range.high <= last.high { continue }
            merged.append(range)
        }
        return merged.map { (key($0.low), key($0.high)) }
    }

    /// `GC` and the id in 16 hex digits.
    static func key(_ cell: UInt64) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = [UInt8(ascii: "G"), UInt8(ascii: "C")]
        for shift in stride(from: 60, through: 0, by: -4) {
            bytes.append(digits[Int((cell >> UInt64(shift)) & 0xF)])
        }
        return bytes
    }

    private static func lowestBit(_ cell: UInt64) -> UInt64 {
        cell & (~cell &+ 1)
    }

    private static func level(of cell: UInt64) -> Int {
        maxLevel - cell.trailingZeroBitCount / 2
    }

    private static func parent(of cell: UInt64, at level: Int) -> UInt64 {
        let low: UInt64 = 1 << UInt64(2 * (maxLevel - level))
        return (cell & (~low &+ 1)) | low
    }
}
