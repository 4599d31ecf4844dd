import DocumentModel

extension Evaluator {
    /// The geospatial terms (`terms/geo.cc`); nil when the term is none of them.
    func geoOperation(_ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        switch term.type {
        case .geojson: return .datum(try geojson(term, env))
        case .toGeojson:
            var object = try geometryObject(term.args[0], env)
            object["$reql_type$"] = nil
            return .datum(.object(object))
        case .point:
            let longitude = try number(term.args[0], env)
            let latitude = try number(term.args[1], env)
            return .datum(try validated(GeoJSON.point(GeoPosition(longitude: longitude, latitude: latitude))))
        case .line:
            return .datum(try validated(GeoJSON.line(try points(term.args, env))))
        case .polygon:
            return .datum(try validated(GeoJSON.polygon(try points(term.args, env))))
        case .fill:
            let line = try datum(of: .datum(.object(try geometryObject(term.args[0], env))), term: term.args[0])
            return .datum(try validated(GeoJSON.polygon(try GeoJSON.linePositions(line))))
        case .intersects, .includes:
            return try geoPredicate(term, env)
        case .distance: return .datum(.number(try distance(term, env)))
        case .circle: return .datum(try circle(term, env))
        case .polygonSub: return .datum(try polygonSub(term, env))
        case .getIntersecting: return try getIntersecting(term, env)
        case .getNearest: return try getNearest(term, env)
        default: return nil
        }
    }

    /// `r.geojson(object)`: checks the GeoJSON, then marks it as a geometry; a `bbox` is dropped.
    private func geojson(_ term: Term, _ env: Environment) throws(ReqlError) -> Document {
        let value = try datum(term.args[0], env)
        try GeoJSON.validate(value)
        guard case .object(var object) = value else { throw typeError("OBJECT", found: value.typeName, term.args[0]) }
        if object["$reql_type$"] != nil { throw .runtime(.queryLogic, "GeoJSON object already had a $reql_type$ field.") }
        object["$reql_type$"] = "GEOMETRY"
        object["bbox"] = nil
        try GeoJSON.sanitize(object)
        return .object(object)
    }

    /// A geometry argument (`as_ptype("GEOMETRY")`).
    func geometry(_ term: Term, _ env: Environment) throws(ReqlError) -> Document {
        try GeoJSON.require(try datum(term, env))
    }

    private func geometryObject(_ term: Term, _ env: Environment) throws(ReqlError) -> DocumentObject {
        guard case .object(let object) = try geometry(term, env) else { throw .runtime(.queryLogic, "Not a GEOMETRY pseudotype.") }
        return object
    }

    /// Checks a geometry the term built, as RethinkDB checks each one before returning it.
    private func validated(_ geometry: Document) throws(ReqlError) -> Document {
        try GeoJSON.validate(geometry)
        return geometry
    }

    private func points(_ arguments: [Term], _ env: Environment) throws(ReqlError) -> [GeoPosition] {
        var positions: [GeoPosition] = []
        for argument in arguments { positions.append(try GeoPosition(argument: try datum(argument, env))) }
        return positions
    }

    /// `intersects` and `includes`: on a geometry, a boolean; on a sequence, its elements for
    /// which it holds (`geo_obj_or_seq_op_term_t` with FILTER).
    private func geoPredicate(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        let source = try eval(term.args[0], env)
        let other = try GeoJSON.validate(try geometry(term.args[1], env))
        let includes = term.type == .includes
        let test = { (value: Document) throws(ReqlError) -> Bool in
            let geometry = try GeoJSON.require(value)
            if includes {
                let type = try GeoShape.typeName(geometry)
                guard type == "Polygon" else {
                    throw .runtime(.queryLogic, "Expected geometry of type `Polygon` but found `\(type)`.")
                }
                return try GeoShape(geometry).includes(other)
            }
            return try GeoShape(geometry).intersects(other)
        }
        if let single = source.datumValue, case .object = single {
            return .datum(.bool(try test(single)))
        }
        guard source.isSequence else {
            let value = try datum(of: source, term: term.args[0])
            throw .runtime(value.isNull ? .nonExistence : .queryLogic,
                           "Cannot perform \(term.type.name) on a non-object non-sequence `\(value.truncatedPrettyPrinted)`.", backtrace: term.args[0].path)
        }
        return try sameKind(as: source, try stream(of: source, term: term.args[0]).filter(test))
    }

    /// `geo_system` and `unit`, with their defaults WGS 84 and metres.
    func geoSystemAndUnit(_ term: Term, _ env: Environment) throws(ReqlError) -> (GeoSystem, DistanceUnit) {
        var system = GeoSystem.wgs84
        if let value = try optarg("geo_system", term, env) {
            let option = try datum(of: value, term: term.optarg("geo_system") ?? term)
            do throws(ReqlError) { system = try GeoSystem(option: option) } catch { throw at(error, term.optarg("geo_system")) }
        }
        var unit = DistanceUnit.metre
        if let value = try optarg("unit", term, env) {
            let option = try datum(of: value, term: term.optarg("unit") ?? term)
            guard let name = option.stringValue else { throw typeError("STRING", found: option.typeName, term.optarg("unit") ?? term) }
            unit = try DistanceUnit(option: name)
        }
        return (system, unit)
    }

    /// Points an error at an optarg's term, as `rcheck_target` does.
    private func at(_ error: ReqlError, _ target: Term?) -> ReqlError {
        var error = error
        if error.backtrace.isEmpty, let target { error.backtrace = target.path }
        return error
    }

    /// `r.distance(a, b)`: one of the two must be a point.
    private func distance(_ term: Term, _ env: Environment) throws(ReqlError) -> Double {
        let first = try geometry(term.args[0], env)
        let second = try geometry(term.args[1], env)
        let (system, unit) = try geoSystemAndUnit(term, env)
        let (point, other) = try GeoShape.typeName(first) == "Point" ? (first, second) : (second, first)
        let pointType = try GeoShape.typeName(point)
        guard pointType == "Point" else {
            throw .runtime(.queryLogic, "Expected geometry of type `Point` but found `\(pointType)`.")
        }
        let meters = system.distance(from: try GeoShape(point), to: try GeoShape(other))
        return unit.fromMetres(meters)
    }

    /// `r.circle(center, radius, num_vertices:, fill:, geo_system:, unit:)`.
    private func circle(_ term: Term, _ env: Environment) throws(ReqlError) -> Document {
        let center = try datum(term.args[0], env)
        let radius = try number(term.args[1], env)
        var fill = true
        if let value = try optarg("fill", term, env) {
            fill = truthy(try datum(of: value, term: term))
        }
        var vertices = 32
        if let value = try optarg("num_vertices", term, env), let target = term.optarg("num_vertices") {
            let count = try integer(of: try number(of: value, target), term: target)
            guard count > 0 else { throw .runtime(.queryLogic, "num_vertices must be positive.", backtrace: target.path) }
            guard count <= UInt32.max else { throw .runtime(.queryLogic, "Integer too large: \(count)", backtrace: target.path) }
            vertices = Int(count)
        }
        let (system, unit) = try geoSystemAndUnit(term, env)
        let position = try GeoPosition(argument: center)
        let points = try system.circle(center: position, radius: unit.toMetres(radius), vertices: vertices)
        return try validated(fill ? GeoJSON.polygon(points) : GeoJSON.line(points))
    }

    private func number(of value: Value, _ term: Term) throws(ReqlError) -> Double {
        let document = try datum(of: value, term: term)
        guard let number = document.doubleValue else { throw typeError("NUMBER", found: document.typeName, term) }
        return number
    }

    /// `polygon_sub(outer, inner)`: the outer shell with the inner one as a hole.
    private func polygonSub(_ term: Term, _ env: Environment) throws(ReqlError) -> Document {
        let outer = try shellOnly(term.args[0], env)
        let inner = try shellOnly(term.args[1], env)
        guard try GeoShape(outer).includes(try GeoShape(inner)) else {
            throw .runtime(.queryLogic, "The second argument to `polygon_sub` is not contained in the first one.")
        }
        guard case .array(var rings) = try GeoShape.field("coordinates", of: outer),
              case .array(let innerRings) = try GeoShape.field("coordinates", of: inner), let hole = innerRings.first else {
            throw .runtime(.queryLogic, "The polygon is empty. It must have at least an outer shell.")
        }
        rings.append(hole)
        return try validated(GeoJSON.geometry("Polygon", .array(rings)))
    }

    /// A polygon argument of `polygon_sub`, which must have no holes.
    private func shellOnly(_ term: Term, _ env: Environment) throws(ReqlError) -> Document {
        let polygon = try geometry(term, env)
        let type = try GeoShape.typeName(polygon)
        guard type == "Polygon" else {
            throw .runtime(.queryLogic, "Expected a Polygon but found a \(type).", backtrace: term.path)
        }
        guard let rings = try GeoShape.field("coordinates", of: polygon).arrayValue, rings.count <= 1 else {
            throw .runtime(.queryLogic, "Expected a Polygon with only an outer shell.  This one has holes.", backtrace: term.path)
        }
        return polygon
    }

    // MARK: Geo index reads

    /// `table.get_intersecting(geometry, index:)`: the rows whose geo index value intersects
    /// the geometry, as a selection (they can be written).
    func getIntersecting(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        let table = try tableArgument(term.args[0], env)
        let query = try geometry(term.args[1], env)
        let index = try geoIndexName(term, env, for: "get_intersecting", table: table)
        let rows = try context.tables.getIntersecting(query, index: index, in: table)
        return .selection(RowSelection(table: table, target: .rows(.array(rows, cancellation: context.cancellation))))
    }

    /// `table.get_nearest(point, index:, max_results:, max_dist:, unit:, geo_system:)`: an
    /// array of `{"dist", "doc"}`, nearest first.
    func getNearest(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        let table = try tableArgument(term.args[0], env)
        let centerValue = try datum(term.args[1], env)
        let index = try geoIndexName(term, env, for: "get_nearest", table: table)
        let center = try GeoPosition(argument: centerValue)
        let (system, unit) = try geoSystemAndUnit(term, env)
        var maxDistance = 100_000.0
        if let value = try optarg("max_dist", term, env) {
            let target = term.optarg("max_dist") ?? term
            let document = try datum(of: value, term: target)
            guard let number = document.doubleValue else { throw typeError("NUMBER", found: document.typeName, target) }
            guard unit.toMetres(number) > 0 else { throw .runtime(.queryLogic, "max_dist must be positive.", backtrace: target.path) }
            maxDistance = number
        } else {
            maxDistance = unit.fromMetres(maxDistance)
        }
        var maxResults = 100
        if let value = try optarg("max_results", term, env) {
            let target = term.optarg("max_results") ?? term
            let document = try datum(of: value, term: target)
            guard let number = document.doubleValue else { throw typeError("NUMBER", found: document.typeName, target) }
            let count = try integer(of: number, term: target)
            guard count > 0 else { throw .runtime(.queryLogic, "max_results must be positive.", backtrace: target.path) }
            maxResults = Int(clamping: count)
        }
        let query = try NearestQuery(center: center, maxDistance: maxDistance, maxResults: maxResults, system: system, unit: unit)
        return .datum(.array(try context.tables.getNearest(query, index: index, in: table)))
    }

    /// The `index` optarg of the two geo reads, which must name a secondary index.
    private func geoIndexName(_ term: Term, _ env: Environment, for name: String, table: TableRef) throws(ReqlError) -> String {
        guard let value = try optarg("index", term, env) else {
            throw .runtime(.queryLogic, "\(name) requires an index argument.", backtrace: term.path)
        }
        let target = term.optarg("index") ?? term
        let document = try datum(of: value, term: target)
        guard let index = document.stringValue else { throw typeError("STRING", found: document.typeName, target) }
        if index == (try context.tables.primaryKey(of: table)) {
            throw .runtime(.queryLogic, "\(name) cannot use the primary index.", backtrace: term.path)
        }
        return index
    }
}
