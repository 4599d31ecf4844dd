/// The geospatial terms of ql2.proto v2.4, and what RethinkDB says about them.
extension TermType {
    private static func named(_ value: Int) -> TermType {
        // Every value used here is a term of ql2.proto v2.4.
        TermType(rawValue: value)!
    }

    package static let geojson = named(157), toGeojson = named(158), point = named(159), line = named(160)
    package static let polygon = named(161), distance = named(162), intersects = named(163), includes = named(164)
    package static let circle = named(165), getIntersecting = named(166), fill = named(167), getNearest = named(168)
    package static let polygonSub = named(171)

    /// Geo terms whose results rest on floating-point geometry, which RethinkDB calls
    /// deterministic on one server only (`geo_term_t`): an index function may not use them.
    /// `r.point` only checks ranges and `to_geojson` only drops a field, so both are exempt.
    package var isSingleServerGeometry: Bool {
        [157, 160, 161, 162, 163, 164, 165, 166, 167, 168, 171].contains(rawValue)
    }

    /// The optional arguments of the geo terms (`optargspec_t` in `terms/geo.cc`); nil for
    /// other terms.
    var geoOptargs: Set<String>? {
        switch rawValue {
        case 157, 158, 159, 160, 161, 163, 164, 167, 171: return []
        case 162: return ["geo_system", "unit"]
        case 165: return ["geo_system", "unit", "fill", "num_vertices"]
        case 166: return ["index"]
        case 168: return ["index", "max_results", "max_dist", "geo_system", "unit"]
        default: return nil
        }
    }
}

extension Term {
    /// Whether the term or any term inside it is one of ``TermType/isSingleServerGeometry``.
    package var usesSingleServerGeometry: Bool {
        type.isSingleServerGeometry || args.contains(where: \.usesSingleServerGeometry)
            || optargs.contains { $0.term.usesSingleServerGeometry }
    }
}
