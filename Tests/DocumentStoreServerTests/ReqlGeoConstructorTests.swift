import ReQL
import Testing

@testable import DocumentStoreServer

/// `r.point`, `r.line`, `r.polygon` and `r.geojson`: the GEOMETRY values and RethinkDB's checks of them.
@Suite("ReQL geometry constructors and GeoJSON")
struct ReqlGeoConstructorTests {
    /// RethinkDB's own test queries, with the answers its YAML files give (the wire JSON is
    /// what the official Python driver sends for each).
    static let rethinkDBCases: [ReqlCase] = [
        // geo/constructors (from test/rql_test/src/geo/constructors.yaml)
        ReqlCase(#"r.point(0, 0)"#, #"[159,[0,0]]"#, #"{"$reql_type$":"GEOMETRY","coordinates":[0,0],"type":"Point"}"#),
        ReqlCase(#"r.point(0, -90)"#, #"[159,[0,-90]]"#, #"{"$reql_type$":"GEOMETRY","coordinates":[0,-90],"type":"Point"}"#),
        ReqlCase(#"r.point(0, 90)"#, #"[159,[0,90]]"#, #"{"$reql_type$":"GEOMETRY","coordinates":[0,90],"type":"Point"}"#),
        ReqlCase(#"r.point(-180, 0)"#, #"[159,[-180,0]]"#, #"{"$reql_type$":"GEOMETRY","coordinates":[-180,0],"type":"Point"}"#),
        ReqlCase(#"r.point(180, 0)"#, #"[159,[180,0]]"#, #"{"$reql_type$":"GEOMETRY","coordinates":[180,0],"type":"Point"}"#),
        ReqlCase(#"r.point(0, -91)"#, #"[159,[0,-91]]"#, error: .queryLogic, #"Latitude must be between -90 and 90.  Got -91."#),
        ReqlCase(#"r.point(0, 91)"#, #"[159,[0,91]]"#, error: .queryLogic, #"Latitude must be between -90 and 90.  Got 91."#),
        ReqlCase(#"r.point(-181, 0)"#, #"[159,[-181,0]]"#, error: .queryLogic, #"Longitude must be between -180 and 180.  Got -181."#),
        ReqlCase(#"r.point(181, 0)"#, #"[159,[181,0]]"#, error: .queryLogic, #"Longitude must be between -180 and 180.  Got 181."#),
        ReqlCase(#"r.line()"#, #"[160,[]]"#, error: .compile, #"Expected 2 or more arguments but found 0."#),
        ReqlCase(#"r.line([0,0])"#, #"[160,[[2,[0,0]]]]"#, error: .compile, #"Expected 2 or more arguments but found 1."#),
        ReqlCase(#"r.line([0,0], [0,0])"#, #"[160,[[2,[0,0]],[2,[0,0]]]]"#, error: .queryLogic, #"Invalid LineString.  Are there antipodal or duplicate vertices?"#),
        ReqlCase(#"r.line([0,0], [0,1])"#, #"[160,[[2,[0,0]],[2,[0,1]]]]"#, #"{"$reql_type$":"GEOMETRY","coordinates":[[0,0],[0,1]],"type":"LineString"}"#),
        ReqlCase(#"r.line([0,0], [1])"#, #"[160,[[2,[0,0]],[2,[1]]]]"#, error: .queryLogic, #"Expected point coordinate pair.  Got 1 element array instead of a 2 element one."#),
        ReqlCase(#"r.line([0,0], [1,0,0])"#, #"[160,[[2,[0,0]],[2,[1,0,0]]]]"#, error: .queryLogic, #"Expected point coordinate pair.  Got 3 element array instead of a 2 element one."#),
        ReqlCase(#"r.line([0,0], [0,1], [0,0])"#, #"[160,[[2,[0,0]],[2,[0,1]],[2,[0,0]]]]"#, #"{"$reql_type$":"GEOMETRY","coordinates":[[0,0],[0,1],[0,0]],"type":"LineString"}"#),
        ReqlCase(#"r.line(r.point(0,0), r.point(0,1), r.point(0,0))"#, #"[160,[[159,[0,0]],[159,[0,1]],[159,[0,0]]]]"#, #"{"$reql_type$":"GEOMETRY","coordinates":[[0,0],[0,1],[0,0]],"type":"LineString"}"#),
        ReqlCase(#"r.line(r.point(0,0), r.point(1,0), r.line([0,0], [1,0]))"#, #"[160,[[159,[0,0]],[159,[1,0]],[160,[[2,[0,0]],[2,[1,0]]]]]]"#, error: .queryLogic, #"Expected geometry of type `Point` but found `LineString`."#),
        ReqlCase(#"r.polygon()"#, #"[161,[]]"#, error: .compile, #"Expected 3 or more arguments but found 0."#),
        ReqlCase(#"r.polygon([0,0])"#, #"[161,[[2,[0,0]]]]"#, error: .compile, #"Expected 3 or more arguments but found 1."#),
        ReqlCase(#"r.polygon([0,0], [0,0])"#, #"[161,[[2,[0,0]],[2,[0,0]]]]"#, error: .compile, #"Expected 3 or more arguments but found 2."#),
        ReqlCase(#"r.polygon([0,0], [0,0], [0,0], [0,0])"#, #"[161,[[2,[0,0]],[2,[0,0]],[2,[0,0]],[2,[0,0]]]]"#, error: .queryLogic, #"Invalid LinearRing.  Are there antipodal or duplicate vertices? Is it self-intersecting?"#),
        ReqlCase(#"r.polygon([0,0], [0,1], [1,0])"#, #"[161,[[2,[0,0]],[2,[0,1]],[2,[1,0]]]]"#, #"{"$reql_type$":"GEOMETRY","coordinates":[[[0,0],[0,1],[1,0],[0,0]]],"type":"Polygon"}"#),
        ReqlCase(#"r.polygon([0,0], [0,1], [1,0], [0,0])"#, #"[161,[[2,[0,0]],[2,[0,1]],[2,[1,0]],[2,[0,0]]]]"#, #"{"$reql_type$":"GEOMETRY","coordinates":[[[0,0],[0,1],[1,0],[0,0]]],"type":"Polygon"}"#),
        ReqlCase(#"r.polygon([0,0], [0,1], [1,0], [-1,0.5])"#, #"[161,[[2,[0,0]],[2,[0,1]],[2,[1,0]],[2,[-1,0.5]]]]"#, error: .queryLogic, #"Invalid LinearRing.  Are there antipodal or duplicate vertices? Is it self-intersecting?"#),
        ReqlCase(#"r.polygon([0,0], [0,1], [0])"#, #"[161,[[2,[0,0]],[2,[0,1]],[2,[0]]]]"#, error: .queryLogic, #"Expected point coordinate pair.  Got 1 element array instead of a 2 element one."#),
        ReqlCase(#"r.polygon([0,0], [0,1], [0,1,0])"#, #"[161,[[2,[0,0]],[2,[0,1]],[2,[0,1,0]]]]"#, error: .queryLogic, #"Expected point coordinate pair.  Got 3 element array instead of a 2 element one."#),
        ReqlCase(#"r.polygon(r.point(0,0), r.point(0,1), r.line([0,0], [0,1]))"#, #"[161,[[159,[0,0]],[159,[0,1]],[160,[[2,[0,0]],[2,[0,1]]]]]]"#, error: .queryLogic, #"Expected geometry of type `Point` but found `LineString`."#),
        // geo/geojson (from test/rql_test/src/geo/geojson.yaml)
        ReqlCase(#"r.geojson({'coordinates':[0, 0], 'type':'Point'})"#, #"[157,[{"coordinates":[2,[0,0]],"type":"Point"}]]"#, #"{"$reql_type$":"GEOMETRY","coordinates":[0,0],"type":"Point"}"#),
        ReqlCase(#"r.geojson({'coordinates':[[0,0], [0,1]], 'type':'LineString'})"#, #"[157,[{"coordinates":[2,[[2,[0,0]],[2,[0,1]]]],"type":"LineString"}]]"#, #"{"$reql_type$":"GEOMETRY","coordinates":[[0,0],[0,1]],"type":"LineString"}"#),
        ReqlCase(#"r.geojson({'coordinates':[[[0,0], [0,1], [1,0], [0,0]]], 'type':'Polygon'})"#, #"[157,[{"coordinates":[2,[[2,[[2,[0,0]],[2,[0,1]],[2,[1,0]],[2,[0,0]]]]]],"type":"Polygon"}]]"#, #"{"$reql_type$":"GEOMETRY","coordinates":[[[0,0],[0,1],[1,0],[0,0]]],"type":"Polygon"}"#),
        ReqlCase(#"r.geojson({'coordinates':[[], 0], 'type':'Point'})"#, #"[157,[{"coordinates":[2,[[2,[]],0]],"type":"Point"}]]"#, error: .queryLogic, #"Expected type NUMBER but found ARRAY."#),
        ReqlCase(#"r.geojson({'coordinates':true, 'type':'Point'})"#, #"[157,[{"coordinates":true,"type":"Point"}]]"#, error: .queryLogic, #"Expected type ARRAY but found BOOL."#),
        ReqlCase(#"r.geojson({'type':'Point'})"#, #"[157,[{"type":"Point"}]]"#, error: .nonExistence, #"No attribute `coordinates` in object:"#),
        ReqlCase(#"r.geojson({'coordinates':[0, 0]})"#, #"[157,[{"coordinates":[2,[0,0]]}]]"#, error: .nonExistence, #"No attribute `type` in object:"#),
        ReqlCase(#"r.geojson({'coordinates':[0, 0], 'type':'foo'})"#, #"[157,[{"coordinates":[2,[0,0]],"type":"foo"}]]"#, error: .queryLogic, #"Unrecognized GeoJSON type `foo`."#),
        ReqlCase(#"r.geojson({'coordinates':[0, 0], 'type':'Point', 'foo':'wrong'})"#, #"[157,[{"coordinates":[2,[0,0]],"type":"Point","foo":"wrong"}]]"#, error: .queryLogic, #"Unrecognized field `foo` found in geometry object."#),
        ReqlCase(#"r.geojson({'coordinates':[0, 0], 'type':'Point', 'crs':None})"#, #"[157,[{"coordinates":[2,[0,0]],"type":"Point","crs":null}]]"#, #"{"$reql_type$":"GEOMETRY","coordinates":[0,0],"type":"Point","crs":null}"#),
        ReqlCase(#"r.geojson({'coordinates':[0, 0], 'type':'MultiPoint'})"#, #"[157,[{"coordinates":[2,[0,0]],"type":"MultiPoint"}]]"#, error: .queryLogic, #"GeoJSON type `MultiPoint` is not supported."#)
    ]

    @Test("RethinkDB's geometry constructor tests give RethinkDB's answers", arguments: rethinkDBCases)
    func rethinkDBCase(_ testCase: ReqlCase) async throws {
        try await testCase.check()
    }

    /// The checks RethinkDB's tests leave out, with the texts of `geo/geojson.cc`,
    /// `terms/geo.cc`, `geo/distances.cc` and `geo/primitives.cc`.
    static let sourceCases: [ReqlCase] = [
        ReqlCase(#"r.geojson({'type':'LineString','coordinates':[[0,0]]})"#, #"[157,[{"type":"LineString","coordinates":[2,[[2,[0,0]]]]}]]"#, error: .queryLogic, #"GeoJSON LineString must have at least two positions."#),
        ReqlCase(#"r.geojson({'type':'Point','coordinates':[0]})"#, #"[157,[{"type":"Point","coordinates":[2,[0]]}]]"#, error: .queryLogic, #"Too few coordinates.  Need at least longitude and latitude."#),
        ReqlCase(#"r.geojson({'type':'Point','coordinates':[0,0,0]})"#, #"[157,[{"type":"Point","coordinates":[2,[0,0,0]]}]]"#, error: .queryLogic, #"A third altitude coordinate in GeoJSON positions was found, but is not supported."#),
        ReqlCase(#"r.geojson({'type':'Point','coordinates':[0,0,0,0]})"#, #"[157,[{"type":"Point","coordinates":[2,[0,0,0,0]]}]]"#, error: .queryLogic, #"Too many coordinates.  GeoJSON position should have no more than three coordinates, but got 4."#),
        ReqlCase(#"r.geojson({'type':'Point','coordinates':[0,0],'crs':{'type':'name'}})"#, #"[157,[{"type":"Point","coordinates":[2,[0,0]],"crs":{"type":"name"}}]]"#, error: .queryLogic, #"Non-default coordinate reference systems are not supported in GeoJSON objects.  Make sure the `crs` field of the geometry is null or non-existent."#),
        ReqlCase(#"r.geojson({'type':'Polygon','coordinates':[[[0,0],[0,1],[1,0]]]})"#, #"[157,[{"type":"Polygon","coordinates":[2,[[2,[[2,[0,0]],[2,[0,1]],[2,[1,0]]]]]]}]]"#, error: .queryLogic, #"GeoJSON LinearRing must have at least four positions."#),
        ReqlCase(#"r.geojson({'type':'Polygon','coordinates':[[[0,0],[0,1],[1,0],[1,1]]]})"#, #"[157,[{"type":"Polygon","coordinates":[2,[[2,[[2,[0,0]],[2,[0,1]],[2,[1,0]],[2,[1,1]]]]]]}]]"#, error: .queryLogic, #"First and last vertex of GeoJSON LinearRing must be identical."#),
        ReqlCase(#"r.geojson({'type':'Point','coordinates':[0,0],'bbox':[0,0,0,0]})"#, #"[157,[{"type":"Point","coordinates":[2,[0,0]],"bbox":[2,[0,0,0,0]]}]]"#, #"{"$reql_type$":"GEOMETRY","type":"Point","coordinates":[0,0]}"#),
        ReqlCase(#"r.point(1,2).to_geojson()"#, #"[158,[[159,[1,2]]]]"#, #"{"type":"Point","coordinates":[1,2]}"#),
        ReqlCase(#"r.expr(1).to_geojson()"#, #"[158,[1]]"#, error: .queryLogic, #"Not a GEOMETRY pseudotype: `1`."#),
        ReqlCase(#"r.point(180, 0).type_of()"#, #"[52,[[159,[180,0]]]]"#, #""PTYPE<GEOMETRY>""#),
        ReqlCase(#"r.point(0, 0).distance(r.point(1, 1), unit='furlong')"#, #"[162,[[159,[0,0]],[159,[1,1]]],{"unit":"furlong"}]"#, error: .queryLogic, #"Unrecognized distance unit `furlong`."#),
        ReqlCase(#"r.point(0, 0).distance(r.point(1, 1), geo_system='mars')"#, #"[162,[[159,[0,0]],[159,[1,1]]],{"geo_system":"mars"}]"#, error: .queryLogic, #"Unrecognized geo system "mars" (valid options: "WGS84", "unit_sphere")."#),
        ReqlCase(#"r.point(0, 0).distance(r.point(1, 1), geo_system={'a':-1, 'f':0})"#, #"[162,[[159,[0,0]],[159,[1,1]]],{"geo_system":{"a":-1,"f":0}}]"#, error: .queryLogic, #"The equator radius `a` must be positive."#),
        ReqlCase(#"r.point(0, 0).distance(r.point(1, 1), geo_system={'a':1, 'f':1})"#, #"[162,[[159,[0,0]],[159,[1,1]]],{"geo_system":{"a":1,"f":1}}]"#, error: .queryLogic, #"The flattening `f` must be in the range [0, 1)."#),
        ReqlCase(#"r.line([0,0],[1,1]).distance(r.line([0,0],[1,1]))"#, #"[162,[[160,[[2,[0,0]],[2,[1,1]]]],[160,[[2,[0,0]],[2,[1,1]]]]]]"#, error: .queryLogic, #"Expected geometry of type `Point` but found `LineString`."#),
        ReqlCase(#"r.circle([0,0], 1, num_vertices=0)"#, #"[165,[[2,[0,0]],1],{"num_vertices":0}]"#, error: .queryLogic, #"num_vertices must be positive."#),
        ReqlCase(#"r.circle([0,0], 0)"#, #"[165,[[2,[0,0]],0]]"#, error: .queryLogic, #"Radius must be positive"#),
        ReqlCase(#"r.line([0,0],[0,1],[1,1]).fill()"#, #"[167,[[160,[[2,[0,0]],[2,[0,1]],[2,[1,1]]]]]]"#, #"{"$reql_type$":"GEOMETRY","type":"Polygon","coordinates":[[[0,0],[0,1],[1,1],[0,0]]]}"#),
        ReqlCase(#"r.point(0,0).fill()"#, #"[167,[[159,[0,0]]]]"#, error: .queryLogic, #"Expected geometry of type `LineString` but found `Point`."#),
        ReqlCase(#"r.point(0,0).intersects(r.line([0,0],[1,0]))"#, #"[163,[[159,[0,0]],[160,[[2,[0,0]],[2,[1,0]]]]]]"#, #"true"#)
    ]

    @Test("Malformed GeoJSON, bad options and the conversions fail or answer as RethinkDB's source says", arguments: sourceCases)
    func sourceCase(_ testCase: ReqlCase) async throws {
        try await testCase.check()
    }
}
