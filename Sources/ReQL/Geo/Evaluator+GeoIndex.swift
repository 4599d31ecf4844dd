import DocumentModel

extension Evaluator {
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
