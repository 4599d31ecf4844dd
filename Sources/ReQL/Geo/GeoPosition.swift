import DocumentModel

/// A longitude and latitude in degrees, GeoJSON's position (longitude first).
package struct GeoPosition: Equatable, Sendable {
    package var longitude: Double
    package var latitude: Double

    package init(longitude: Double, latitude: Double) {
        self.longitude = longitude
        self.latitude = latitude
    }

    /// A GeoJSON position array: exactly longitude and latitude, with RethinkDB's errors for
    /// too few, too many and a third (altitude) coordinate.
    init(_ position: Document) throws(ReqlError) {
        guard case .array(let numbers) = position else { throw GeoShape.arrayError(position) }
        if numbers.count < 2 {
            throw .runtime(.queryLogic, "Too few coordinates.  Need at least longitude and latitude.")
        }
        if numbers.count > 3 {
            throw .runtime(.queryLogic, "Too many coordinates.  GeoJSON position should have no more than three coordinates, but got \(numbers.count).")
        }
        if numbers.count == 3 {
            throw .runtime(.queryLogic, "A third altitude coordinate in GeoJSON positions was found, but is not supported.")
        }
        longitude = try Self.number(numbers[0])
        latitude = try Self.number(numbers[1])
    }

    /// A point argument of `r.line`, `r.polygon`, `r.circle`, `get_nearest`: a Point geometry,
    /// or a `[longitude, latitude]` pair (`parse_point_argument`). Not range-checked yet.
    package init(argument value: Document) throws(ReqlError) {
        if case .object(let object) = value, object.reqlType == "GEOMETRY" {
            let type = try GeoShape.typeName(value)
            guard type == "Point" else {
                throw .runtime(.queryLogic, "Expected geometry of type `Point` but found `\(type)`.")
            }
            self = try GeoPosition(GeoShape.field("coordinates", of: value))
            return
        }
        guard case .array(let pair) = value else {
            throw .runtime(.queryLogic, "Expected type ARRAY but found \(value.typeName).")
        }
        guard pair.count == 2 else {
            throw .runtime(.queryLogic, "Expected point coordinate pair.  Got \(pair.count) element array instead of a 2 element one.")
        }
        self.init(longitude: try Self.number(pair[0]), latitude: try Self.number(pair[1]))
    }

    /// The position within S2's range: longitude in [-180, 180] (180 becomes -180, the same
    /// meridian), latitude in [-90, 90].
    func checked() throws(ReqlError) -> GeoPosition {
        guard longitude >= -180, longitude <= 180 else {
            throw .runtime(.queryLogic, "Longitude must be between -180 and 180.  Got \(JSONNumber.reconstructable(longitude)).")
        }
        guard latitude >= -90, latitude <= 90 else {
            throw .runtime(.queryLogic, "Latitude must be between -90 and 90.  Got \(JSONNumber.reconstructable(latitude)).")
        }
        return GeoPosition(longitude: longitude == 180 ? -180 : longitude, latitude: latitude)
    }

    /// Latitude then longitude, as the C shim takes them.
    func append(to flat: inout [Double]) {
        flat.append(latitude)
        flat.append(longitude)
    }

    /// The position as GeoJSON writes it.
    var coordinates: Document {
        [.number(longitude), .number(latitude)]
    }

    private static func number(_ value: Document) throws(ReqlError) -> Double {
        guard case .number(let number) = value else {
            throw .runtime(value.isNull ? .nonExistence : .queryLogic, "Expected type NUMBER but found \(value.typeName).")
        }
        return number
    }
}
