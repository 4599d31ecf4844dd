import CGeo
import DocumentModel

/// The reference ellipsoid distances are measured on (`geo_system`): WGS 84 unless a query
/// names the unit sphere or gives its own `{a, f}`.
package struct GeoSystem: Sendable, Equatable {
    /// Equatorial radius in metres.
    package let equatorRadius: Double
    package let flattening: Double

    package static let wgs84 = GeoSystem(equatorRadius: 6_378_137.0, flattening: 1.0 / 298.257223563)
    package static let unitSphere = GeoSystem(equatorRadius: 1, flattening: 0)

    package init(equatorRadius: Double, flattening: Double) {
        self.equatorRadius = equatorRadius
        self.flattening = flattening
    }

    /// `geo_system`'s value: "WGS84", "unit_sphere", or `{"a": radius, "f": flattening}`.
    package init(option value: Document) throws(ReqlError) {
        if case .object(let object) = value {
            guard let a = object["a"] else { throw .runtime(.nonExistence, "No attribute `a` in object:\n\(value.prettyPrinted)") }
            guard let f = object["f"] else { throw .runtime(.nonExistence, "No attribute `f` in object:\n\(value.prettyPrinted)") }
            guard let radius = a.doubleValue else { throw .runtime(.queryLogic, "Expected type NUMBER but found \(a.typeName).") }
            guard let flattening = f.doubleValue else { throw .runtime(.queryLogic, "Expected type NUMBER but found \(f.typeName).") }
            guard radius > 0 else { throw .runtime(.queryLogic, "The equator radius `a` must be positive.") }
            guard flattening >= 0, flattening < 1 else { throw .runtime(.queryLogic, "The flattening `f` must be in the range [0, 1).") }
            self.init(equatorRadius: radius, flattening: flattening)
            return
        }
        guard case .string(let name) = value else {
            throw .runtime(.queryLogic, "Expected type STRING but found \(value.typeName).")
        }
        switch name {
        case "WGS84": self = .wgs84
        case "unit_sphere": self = .unitSphere
        default: throw .runtime(.queryLogic, "Unrecognized geo system \"\(name)\" (valid options: \"WGS84\", \"unit_sphere\").")
        }
    }

    package var polesRadius: Double { (1 - flattening) * equatorRadius }

    /// The geodesic distance in metres (Karney's algorithm, GeographicLib).
    package func distance(_ a: GeoPosition, _ b: GeoPosition) -> Double {
        docstore_geodesic_inverse(equatorRadius, flattening, a.latitude, a.longitude, b.latitude, b.longitude)
    }

    /// The point `distance` metres away from `start` along the geodesic leaving it at
    /// `azimuth` degrees.
    func destination(from start: GeoPosition, distance: Double, azimuth: Double) -> GeoPosition {
        var latitude = 0.0, longitude = 0.0
        docstore_geodesic_direct(equatorRadius, flattening, start.latitude, start.longitude, azimuth, distance, &latitude, &longitude)
        return GeoPosition(longitude: longitude, latitude: latitude)
    }

    /// The distance from a point to the nearest point of a geometry (`geodesic_distance`):
    /// S2 finds the nearest point (on the sphere), the ellipsoid measures to it; zero when the
    /// point lies on or inside the geometry.
    package func distance(from point: GeoShape, to geometry: GeoShape) -> Double {
        guard let nearest = geometry.nearest(to: point) else { return 0 }
        return distance(point.position, nearest)
    }

    /// `r.circle`'s vertices: `count` points `radius` metres from the centre at evenly spaced
    /// azimuths from -180°, closed by the first again (`build_circle`).
    package func circle(center: GeoPosition, radius: Double, vertices count: Int) throws(ReqlError) -> [GeoPosition] {
        guard radius > 0 else { throw .runtime(.queryLogic, "Radius must be positive") }
        let maximum = 0.5 * Double.pi * min(equatorRadius, polesRadius)
        guard radius < maximum else {
            throw .runtime(.queryLogic, "Radius must be smaller than a quarter of the circumference along the minor axis of the reference ellipsoid.  Got \(JSONNumber.reconstructable(radius))m, but must be smaller than \(JSONNumber.reconstructable(maximum))m.")
        }
        var points: [GeoPosition] = []
        points.reserveCapacity(count + 1)
        for vertex in 0..<count {
            let azimuth = -180.0 + (360.0 / Double(count) * Double(vertex))
            points.append(destination(from: center, distance: radius, azimuth: azimuth))
        }
        if let first = points.first { points.append(first) }
        return points
    }
}

/// A distance unit of `distance`, `circle` and `get_nearest` (`unit`), in metres.
package enum DistanceUnit: String, Sendable {
    case metre = "m", kilometre = "km", mile = "mi", nauticalMile = "nm", foot = "ft"

    package init(option name: String) throws(ReqlError) {
        guard let unit = DistanceUnit(rawValue: name) else { throw .runtime(.queryLogic, "Unrecognized distance unit `\(name)`.") }
        self = unit
    }

    package var metres: Double {
        switch self {
        case .metre: return 1
        case .kilometre: return 1000
        case .mile: return 1609.344
        case .nauticalMile: return 1852
        case .foot: return 0.3048
        }
    }

    /// RethinkDB converts with one factor, from/to, so results match its digits.
    package func fromMetres(_ distance: Double) -> Double { distance * (1 / metres) }
    package func toMetres(_ distance: Double) -> Double { distance * (metres / 1) }
}
