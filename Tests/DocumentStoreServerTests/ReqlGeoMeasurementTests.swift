import DocumentModel
import ReQL
import Testing

@testable import DocumentStoreServer

/// `distance` and `circle`: geodesics on the WGS 84 ellipsoid and the unit sphere.
///
/// RethinkDB's tests compare these numbers digit for digit with what its own copy of Karney's
/// algorithm (GeographicLib 1.x in C) and old S2 computed; GeographicLib 2 and S2 0.10
/// differ in the last binary digits, so these tests hold the same expected values to a
/// relative 1e-9 (a micrometre in a thousand kilometres).
@Suite("ReQL geodesic distances and circles")
struct ReqlGeoMeasurementTests {
    struct Measurement: Sendable, CustomTestStringConvertible {
        let python: String
        let wire: String
        let expected: String
        var testDescription: String { python }
    }

    /// RethinkDB's `geo/operations.yaml` and `geo/primitives.yaml` queries and answers.
    static let measurements: [Measurement] = [
        Measurement(python: #"r.distance(r.point(-122, 37), r.point(-123, 37))"#, wire: #"[162,[[159,[-122,37]],[159,[-123,37]]]]"#, expected: "89011.26253835332"),
        Measurement(python: #"r.distance(r.point(-122, 37), r.point(-122, 36))"#, wire: #"[162,[[159,[-122,37]],[159,[-122,36]]]]"#, expected: "110968.30443995494"),
        Measurement(python: #"r.distance(r.point(-122, 37), r.point(-123, 37), geo_system='unit_sphere')"#,
                    wire: #"[162,[[159,[-122,37]],[159,[-123,37]]],{"geo_system":"unit_sphere"}]"#, expected: "0.01393875509649327"),
        Measurement(python: #"r.distance(r.point(0, 0), r.point(180, 0)).mul(2)"#, wire: #"[26,[[162,[[159,[0,0]],[159,[180,0]]]],2]]"#, expected: "40007862.917250897"),
        Measurement(python: #"r.distance(r.point(0, -90), r.point(0, 90)).mul(2)"#, wire: #"[26,[[162,[[159,[0,-90]],[159,[0,90]]]],2]]"#, expected: "40007862.917250897"),
        Measurement(python: #"r.distance(r.point(0, 0), r.line([5,-1], [4,2]))"#, wire: #"[162,[[159,[0,0]],[160,[[2,[5,-1]],[2,[4,2]]]]]]"#, expected: "492471.4990055255"),
        Measurement(python: #"r.distance(r.point(0, 0), r.polygon([5,-1], [4,2], [10,10]))"#,
                    wire: #"[162,[[159,[0,0]],[161,[[2,[5,-1]],[2,[4,2]],[2,[10,10]]]]]]"#, expected: "492471.4990055255"),
        Measurement(python: #"r.distance(r.point(-122, 37), r.point(-123, 37), unit='km')"#,
                    wire: #"[162,[[159,[-122,37]],[159,[-123,37]]],{"unit":"km"}]"#, expected: "89.01126253835332"),
        Measurement(python: #"r.circle([0,0], 1, num_vertices=3)"#, wire: #"[165,[[2,[0,0]],1],{"num_vertices":3}]"#,
                    expected: #"{"$reql_type$":"GEOMETRY","coordinates":[[[0,-9.04369477050382e-06],[-7.779638566553426e-06,4.5218473852518965e-06],[7.779638566553426e-06,4.5218473852518965e-06],[0,-9.04369477050382e-06]]],"type":"Polygon"}"#),
        Measurement(python: #"r.circle([0,0], 1, num_vertices=3, fill=false)"#, wire: #"[165,[[2,[0,0]],1],{"num_vertices":3,"fill":false}]"#,
                    expected: #"{"$reql_type$":"GEOMETRY","coordinates":[[0,-9.04369477050382e-06],[-7.779638566553426e-06,4.5218473852518965e-06],[7.779638566553426e-06,4.5218473852518965e-06],[0,-9.04369477050382e-06]],"type":"LineString"}"#),
        Measurement(python: #"r.circle([0,0], 0.1, num_vertices=3, geo_system='unit_sphere')"#,
                    wire: #"[165,[[2,[0,0]],0.1],{"num_vertices":3,"geo_system":"unit_sphere"}]"#,
                    expected: #"{"$reql_type$":"GEOMETRY","coordinates":[[[0,-5.729577951308232],[-4.966092947444857,2.861205754495701],[4.966092947444857,2.861205754495701],[0,-5.729577951308232]]],"type":"Polygon"}"#),
        Measurement(python: #"r.circle([0,0], 1.0/1000.0, num_vertices=3, unit='km')"#, wire: #"[165,[[2,[0,0]],0.001],{"num_vertices":3,"unit":"km"}]"#,
                    expected: #"{"$reql_type$":"GEOMETRY","coordinates":[[[0,-9.04369477050382e-06],[-7.779638566553426e-06,4.5218473852518965e-06],[7.779638566553426e-06,4.5218473852518965e-06],[0,-9.04369477050382e-06]]],"type":"Polygon"}"#),
    ]

    @Test("Distances and circle vertices agree with RethinkDB's to a relative 1e-9", arguments: measurements)
    func measurement(_ case: Measurement) async throws {
        try await ReqlEngineTests.withEngine { engine in
            let result = try await ReqlCase.result(engine, `case`.wire)
            let value = try result.get()
            let expected = try Document(parsing: `case`.expected)
            #expect(Self.close(value, expected), "\(`case`.python): \(value.jsonString)")
        }
    }

    /// RethinkDB's limits on a circle's radius, with its `%.20g` numbers.
    static let radiusErrors: [ReqlCase] = [
        ReqlCase(#"r.circle([0,0], 14000000, num_vertices=3)"#, #"[165,[[2,[0,0]],14000000],{"num_vertices":3}]"#, error: .queryLogic,
                 #"Radius must be smaller than a quarter of the circumference along the minor axis of the reference ellipsoid.  Got 14000000m, but must be smaller than 9985163.1855612862855m."#),
        ReqlCase(#"r.circle([0,0], 2, num_vertices=3, geo_system='unit_sphere')"#, #"[165,[[2,[0,0]],2],{"num_vertices":3,"geo_system":"unit_sphere"}]"#, error: .queryLogic,
                 #"Radius must be smaller than a quarter of the circumference along the minor axis of the reference ellipsoid.  Got 2m, but must be smaller than 1.570796326794896558m."#),
    ]

    @Test("A radius of a quarter circumference or more is refused", arguments: radiusErrors)
    func radiusError(_ testCase: ReqlCase) async throws {
        try await testCase.check()
    }

    /// Same shape, numbers within a relative 1e-9 (or 1e-15 of zero).
    static func close(_ a: Document, _ b: Document) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return abs(x - y) <= max(abs(x), abs(y)) * 1e-9 || abs(x - y) < 1e-15
        case (.string(let x), .number(let y)):
            return Double(x).map { close(.number($0), .number(y)) } ?? false
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { close($0, $1) }
        case (.object(let x), .object(let y)):
            return x.keys == y.keys && x.keys.allSatisfy { key in close(x[key]!, y[key]!) }
        default:
            return a == b
        }
    }
}
