import Foundation
import DocumentModel

/// A `get_nearest` search: the documents of a geo index nearest to a point, within a maximum
/// distance, nearest first, as `[{"dist": d, "doc": row}]`.
///
/// RethinkDB's indexed traversal (`geo_traversal.cc`): it reads the index inside a polygon
/// around the centre whose inradius grows (from 10 m, at most doubling, guided by how many
/// results the last ring gave) until it reaches `max_dist` or enough results were found, and
/// keeps the rows within the current radius. The storage gives the candidates of a polygon;
/// this type does the rest, so the library and the server search one way.
package struct NearestQuery: Sendable {
    package let center: GeoPosition
    /// In metres.
    package let maxDistance: Double
    package let maxResults: Int
    package let system: GeoSystem
    package let unit: DistanceUnit

    /// One row a polygon query found: its identity (primary key and multi-index tag), the
    /// index value that matched, and the row.
    package struct Candidate {
        package let identity: [UInt8]
        package let value: Document
        package let document: Document

        package init(identity: [UInt8], value: Document, document: Document) {
            self.identity = identity
            self.value = value
            self.document = document
        }
    }

    private static let initialRadiusFraction = 10.0 / 6_378_137.0
    private static let maxGrowthFactor = 2.0
    private static let goalBatchSize = 100.0
    private static let polygonVertices = 8

    /// `center` is checked here; `maxDistance` (in `unit`) and `maxResults` must be positive.
    package init(center: GeoPosition, maxDistance: Double, maxResults: Int, system: GeoSystem, unit: DistanceUnit) throws(ReqlError) {
        self.center = try center.checked()
        let metres = unit.toMetres(maxDistance)
        guard metres > 0 else { throw .runtime(.queryLogic, "max_dist must be positive.") }
        guard maxResults > 0 else { throw .runtime(.queryLogic, "max_results must be positive.") }
        self.maxDistance = metres
        self.maxResults = maxResults
        self.system = system
        self.unit = unit
    }

    /// Runs the search; `candidates` reads the index rows whose cells may meet a polygon.
    package func run(_ candidates: (GeoShape) throws -> [Candidate]) throws -> [Document] {
        let point = GeoShape(point: center)
        var found: [(distance: Double, document: Document)] = []
        var emitted = Set<[UInt8]>()
        var processed = 0.0
        var current = min(maxDistance, Self.initialRadiusFraction * system.equatorRadius)
        var previousCount = 0
        while true {
            let area = try GeoShape(GeoJSON.polygon(try queryPolygon(inradius: current)))
            for candidate in try candidates(area) where !emitted.contains(candidate.identity) {
                let shape = try GeoShape(candidate.value)
                guard shape.intersects(area) else { continue }
                let distance = system.distance(from: point, to: shape)
                guard distance <= current else { continue }
                emitted.insert(candidate.identity)
                found.append((distance, candidate.document))
            }
            // The next radius, from the density of results in the ring just read.
            let ring = Double.pi * (current * current - processed * processed)
            let density = Double(emitted.count - previousCount) / ring
            processed = current
            previousCount = emitted.count
            current = density != 0 ? (Self.goalBatchSize / Double.pi / density + processed * processed).squareRoot()
                                   : processed * Self.maxGrowthFactor
            current = min(current, min(current * Self.maxGrowthFactor, maxDistance))
            if processed >= maxDistance || emitted.count >= maxResults { break }
        }
        found.sort { $0.distance < $1.distance }
        return found.prefix(maxResults).map { ["dist": .number(unit.fromMetres($0.distance)), "doc": $0.document] }
    }

    /// A regular polygon around the centre whose inradius is at least `inradius`, even on
    /// the ellipsoid (`build_polygon_with_inradius_at_least`).
    private func queryPolygon(inradius: Double) throws(ReqlError) -> [GeoPosition] {
        let distortion = max(system.equatorRadius, system.polesRadius) / min(system.equatorRadius, system.polesRadius)
        let exradius = inradius * 1.01 / cos(Double.pi / Double(Self.polygonVertices)) * distortion
        do {
            return try system.circle(center: center, radius: exradius, vertices: Self.polygonVertices)
        } catch {
            throw .runtime(.queryLogic, "The distance has become too large for continuing the indexed nearest traversal.  Consider specifying a smaller `max_dist` parameter.  (\(error.message))")
        }
    }
}
