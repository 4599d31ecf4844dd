import DocumentModel

/// The GEOMETRY pseudotype's objects: building them from positions, checking their syntax,
/// and reading positions back out of them.
package enum GeoJSON {
    /// `{"$reql_type$": "GEOMETRY", "type": "Point", "coordinates": [lon, lat]}`.
    static func point(_ position: GeoPosition) -> Document {
        geometry("Point", position.coordinates)
    }

    static func line(_ positions: [GeoPosition]) -> Document {
        geometry("LineString", .array(positions.map(\.coordinates)))
    }

    /// A polygon of one shell; the ring is closed (its first position repeated at the end)
    /// when it is not already.
    static func polygon(_ shell: [GeoPosition]) -> Document {
        geometry("Polygon", [closedRing(shell)])
    }

    static func closedRing(_ ring: [GeoPosition]) -> Document {
        var positions = ring.map(\.coordinates)
        if let first = ring.first, first != ring[ring.count - 1] { positions.append(first.coordinates) }
        return .array(positions)
    }

    static func geometry(_ type: String, _ coordinates: Document) -> Document {
        ["$reql_type$": "GEOMETRY", "type": .string(type), "coordinates": coordinates]
    }

    /// Parses and checks a geometry (S2's validity included) and refuses other coordinate
    /// reference systems (`validate_geojson`).
    @discardableResult
    package static func validate(_ geometry: Document) throws(ReqlError) -> GeoShape {
        if case .object(let object) = geometry, let crs = object["crs"], !crs.isNull {
            throw .runtime(.queryLogic, "Non-default coordinate reference systems are not supported in GeoJSON objects.  Make sure the `crs` field of the geometry is null or non-existent.")
        }
        return try GeoShape(geometry)
    }

    /// The syntactic check of every GEOMETRY object a query makes (`sanitize_geometry`):
    /// `coordinates` an array, `type` a string, `crs` allowed, nothing else.
    package static func sanitize(_ object: DocumentObject) throws(ReqlError) {
        var hasType = false, hasCoordinates = false
        for (key, value) in object {
            switch key {
            case "coordinates":
                guard case .array = value else { throw GeoShape.arrayError(value) }
                hasCoordinates = true
            case "type":
                guard case .string = value else { throw .runtime(.queryLogic, "Expected type STRING but found \(value.typeName).") }
                hasType = true
            case "crs", "$reql_type$":
                break
            default:
                throw .runtime(.queryLogic, "Unrecognized field `\(key)` found in geometry object.")
            }
        }
        guard hasType else { throw .runtime(.nonExistence, "Field `type` not found in geometry object.") }
        guard hasCoordinates else { throw .runtime(.nonExistence, "Field `coordinates` not found in geometry object.") }
    }

    /// The value as a GEOMETRY object (`as_ptype("GEOMETRY")`), with RethinkDB's error.
    package static func require(_ value: Document) throws(ReqlError) -> Document {
        guard case .object(let object) = value, object.reqlType == "GEOMETRY" else {
            throw .runtime(.queryLogic, "Not a GEOMETRY pseudotype: `\(value.truncatedPrettyPrinted)`.")
        }
        return value
    }

    /// The positions of a LineString geometry (`extract_lon_lat_line`), unchecked.
    static func linePositions(_ geometry: Document) throws(ReqlError) -> [GeoPosition] {
        let type = try GeoShape.typeName(geometry)
        guard type == "LineString" else {
            throw .runtime(.queryLogic, "Expected geometry of type `LineString` but found `\(type)`.")
        }
        let coordinates = try GeoShape.field("coordinates", of: geometry)
        guard case .array(let positions) = coordinates else { throw GeoShape.arrayError(coordinates) }
        var result: [GeoPosition] = []
        for position in positions { result.append(try GeoPosition(position)) }
        return result
    }
}
