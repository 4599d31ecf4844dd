import Foundation
import Testing
@testable import DocumentStore

/// Geospatial indexes through the library: S2 cells as entries, `getIntersecting` and
/// `getNearest` reading them, writes keeping them current. Expected answers follow RethinkDB's
/// semantics (`test/rql_test/src/geo/indexing.yaml`): a point intersects the polygon whose
/// corner it is, a document comes once per matching multi-index element.
@Suite("Geospatial indexes")
struct GeoIndexTests {
    static func point(_ longitude: Double, _ latitude: Double) -> Document {
        ["$reql_type$": "GEOMETRY", "type": "Point", "coordinates": [.number(longitude), .number(latitude)]]
    }

    static func polygon(_ ring: [(Double, Double)]) -> Document {
        let closed = ring + [ring[0]]
        return ["$reql_type$": "GEOMETRY", "type": "Polygon",
                "coordinates": [.array(closed.map { [.number($0.0), .number($0.1)] })]]
    }

    static let unitSquare = polygon([(0, 0), (0, 1), (1, 1), (1, 0)])

    /// RethinkDB's `geo_indexing` rows: a far point, the unit square, a short line through the
    /// origin; `m` holds three points on the equator.
    static func withPlaces(_ body: (Table) async throws -> Void) async throws {
        try await withMarvel { places, _ in
            try await places.insert([
                ["id": 0, "g": point(10, 10), "m": [point(0, 0), point(1, 0), point(2, 0)]],
                ["id": 1, "g": unitSquare],
                ["id": 2, "g": ["$reql_type$": "GEOMETRY", "type": "LineString", "coordinates": [[0.000002, -1], [-0.000001, 1]]]],
            ])
            try await places.indexCreate("g", geo: true)
            try await places.indexCreate("m", multi: true, geo: true)
            _ = try await places.indexWait()
            try await body(places)
        }
    }

    static func ids(_ documents: [Document]) -> [Double] {
        documents.compactMap { $0["id"]?.doubleValue }.sorted()
    }

    @Test("getIntersecting finds the geometries a query point, polygon or line meets",
          arguments: [(point(0, 0), [1.0]), (point(10, 10), [0]), (point(0.5, 0.5), [1]), (point(20, 20), []),
                      (unitSquare, [1, 2])])
    func intersecting(_ query: Document, _ expected: [Double]) async throws {
        try await Self.withPlaces { places in
            let found1 = try await places.getIntersecting(query, index: "g")
            #expect(Self.ids(found1) == expected)
        }
    }

    @Test("A multi geo index gives a document once per element that intersects")
    func multiIntersecting() async throws {
        try await Self.withPlaces { places in
            let found2 = try await places.getIntersecting(Self.point(1, 0), index: "m")
            #expect(Self.ids(found2) == [0])
            let found3 = try await places.getIntersecting(Self.point(3, 0), index: "m")
            #expect(Self.ids(found3) == [])
            // The square's corners (0,0) and (1,0) are two elements of document 0.
            let found4 = try await places.getIntersecting(Self.unitSquare, index: "m")
            #expect(Self.ids(found4) == [0, 0])
        }
    }

    @Test("Writes move a document's cells: an update and a delete change what getIntersecting finds")
    func writesKeepEntries() async throws {
        try await Self.withPlaces { places in
            try await places.document(0).update(["g": Self.point(0.25, 0.25)])
            let found5 = try await places.getIntersecting(Self.point(0.25, 0.25), index: "g")
            #expect(Self.ids(found5) == [0, 1])
            let found6 = try await places.getIntersecting(Self.point(10, 10), index: "g")
            #expect(Self.ids(found6) == [])
            try await places.document(1).delete()
            let found7 = try await places.getIntersecting(Self.point(0.25, 0.25), index: "g")
            #expect(Self.ids(found7) == [0])
        }
    }

    @Test("getNearest orders by geodesic distance and stops at maxDistance and maxResults")
    func nearest() async throws {
        try await Self.withPlaces { places in
            let near = try await places.getNearest(Self.point(0, 0), index: "g")
            #expect(near.compactMap { $0["doc"]?["id"]?.doubleValue } == [1, 2])
            #expect(near.first?["dist"] == 0)
            // RethinkDB: 0.055659745396754216 m to the line (it passes 2e-6 degrees east at -1).
            let line = try #require(near.last?["dist"]?.doubleValue)
            #expect(abs(line - 0.055659745396754216) < 1e-9)
            let far = try await places.getNearest(Self.point(0, 0), index: "g", maxDistance: 1566, unit: "km")
            let farthest = try #require(far.last?["dist"]?.doubleValue)
            #expect(far.count == 3 && abs(farthest - 1565.1090992178897) < 1e-6)
            let two = try await places.getNearest(Self.point(0, 0), index: "g", maxResults: 2, maxDistance: 1_565_110)
            #expect(two.count == 2)
        }
    }

    @Test("Geo reads refuse other indexes, and other reads refuse geo indexes, with RethinkDB's texts")
    func refusals() async throws {
        try await Self.withPlaces { places in
            try await places.indexCreate("other")
            _ = try await places.indexWait()
            await #expect(performing: {
                _ = try await places.getIntersecting(Self.point(0, 0), index: "other")
            }, throws: DocumentStoreError.matching("Index `other` is not a geospatial index.  get_intersecting can only be used with a geospatial index."))
            await #expect(performing: {
                _ = try await places.getAll([0], index: "g")
            }, throws: DocumentStoreError.matching("Index `g` is a geospatial index.  Only get_nearest and get_intersecting can use a geospatial index."))
            await #expect(performing: {
                _ = try await places.getNearest(Self.point(0, 0), index: "g", maxDistance: 10_000_000)
            }, throws: DocumentStoreError.matching("The distance has become too large for continuing the indexed nearest traversal.  Consider specifying a smaller `max_dist` parameter.  (Radius must be smaller than a quarter of the circumference along the minor axis of the reference ellipsoid.  Got 10968937.995244588703m, but must be smaller than 9985163.1855612862855m.)"))
            await #expect(performing: {
                _ = try await places.getNearest(Self.point(0, 0), index: "g", unit: "league")
            }, throws: DocumentStoreError.matching("Unrecognized distance unit `league`."))
        }
    }
}
