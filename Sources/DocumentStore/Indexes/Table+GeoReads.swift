import DocumentModel
import ReQL

extension Table {
    /// The documents whose value in a geo index intersects `geometry`, RethinkDB's
    /// `get_intersecting`: the index's cells near the geometry are read, then each candidate
    /// is tested exactly. A document comes once, or for a multi index once per element that
    /// intersects.
    ///
    /// ```swift
    /// try await places.indexCreate("location", geo: true)
    /// let area: Document = ["$reql_type$": "GEOMETRY", "type": "Polygon",
    ///                       "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]]
    /// let inside = try await places.getIntersecting(area, index: "location")
    /// ```
    ///
    /// - Throws: `DocumentStoreError`: a value that is not a valid geometry (RethinkDB's text,
    ///   `.queryLogic`), "Index \`x\` is not a geospatial index.  get_intersecting can only be
    ///   used with a geospatial index." (`.queryLogic`), a missing or unfinished index (`.opFailed`).
    public func getIntersecting(_ geometry: Document, index: String) async throws -> [Document] {
        let shape: GeoShape
        do {
            shape = try GeoJSON.validate(try GeoJSON.require(geometry))
        } catch {
            throw DocumentStoreError(reql: error)
        }
        return try await geoCandidates(index: index, read: "get_intersecting") { candidates in
            try candidates(shape).compactMap { candidate in
                try GeoShape(candidate.value).intersects(shape) ? candidate.document : nil
            }
        }
    }

    /// The documents of a geo index nearest to a point, RethinkDB's `get_nearest`: at most
    /// `maxResults` of them within `maxDistance`, nearest first, each as
    /// `{"dist": distance, "doc": document}` with the distance in `unit`.
    ///
    /// ```swift
    /// let paris: Document = ["$reql_type$": "GEOMETRY", "type": "Point", "coordinates": [2.35, 48.86]]
    /// let near = try await places.getNearest(paris, index: "location", maxResults: 5, maxDistance: 10, unit: "km")
    /// ```
    ///
    /// - Parameters:
    ///   - point: a Point geometry, or a `[longitude, latitude]` array.
    ///   - unit: `m`, `km`, `mi`, `nm` or `ft`, for `maxDistance` and the distances returned.
    ///   - geoSystem: `"WGS84"`, `"unit_sphere"`, or `{"a": radius, "f": flattening}`.
    /// - Throws: `DocumentStoreError` with RethinkDB's text for bad options, an index that is
    ///   not a geo index, or a distance too large for the search.
    public func getNearest(_ point: Document, index: String, maxResults: Int = 100, maxDistance: Double = 100_000,
                           unit: String = "m", geoSystem: Document = "WGS84") async throws -> [Document] {
        let query: NearestQuery
        do {
            let distanceUnit = try DistanceUnit(option: unit)
            query = try NearestQuery(center: try GeoPosition(argument: point), maxDistance: maxDistance, maxResults: maxResults,
                                     system: try GeoSystem(option: geoSystem), unit: distanceUnit)
        } catch {
            throw DocumentStoreError(reql: error)
        }
        return try await getNearest(query, index: index)
    }

    /// ``getNearest(_:index:maxResults:maxDistance:unit:geoSystem:)`` for options already
    /// checked (the server's evaluator checks them as the query gives them).
    package func getNearest(_ query: NearestQuery, index: String) async throws -> [Document] {
        try await geoCandidates(index: index, read: "get_nearest") { candidates in
            do {
                return try query.run(candidates)
            } catch let error as ReqlError {
                throw DocumentStoreError(reql: error)
            }
        }
    }

    /// Runs `body` in one read transaction on a ready geo index, with a function that gives
    /// the entries (one per document and tag) whose cells may meet a shape.
    private func geoCandidates<T: Sendable>(
        index: String, read: String,
        _ body: @escaping @Sendable (_ candidates: (GeoShape) throws -> [NearestQuery.Candidate]) throws -> T
    ) async throws -> T {
        let info = try await store.tableInfo(name)
        let database = store.configuration.databaseName
        let registry = store.indexes
        return try await store.read { connection in
            try IndexScan.reading(info, database) {
                try connection.readTransaction {
                    let definition = try SecondaryRange.readyDefinition(connection, table: info, database: database, index: index,
                                                                        registry: registry, geoRead: read)
                    let statement = try connection.cachedStatement("""
                        SELECT e.id_type, e.id, e.tag, e.value, d.doc FROM \(definition.quotedStorage) AS e
                        JOIN \(info.quotedName) AS d ON d.id = e.id WHERE e.key BETWEEN ? AND ? ORDER BY e.key
                        """)
                    return try body { shape in
                        var seen = Set<[UInt8]>()
                        var candidates: [NearestQuery.Candidate] = []
                        for range in GeoCells.queryRanges(shape) {
                            defer { statement.reset() }
                            range.low.withUnsafeBytes { statement.bindBlob($0, at: 1) }
                            range.high.withUnsafeBytes { statement.bindBlob($0, at: 2) }
                            while try statement.step() {
                                let identity = Array("\(statement.string(at: 0))\u{0}\(statement.int64(at: 2))\u{0}".utf8) + statement.bytes(at: 1)
                                guard seen.insert(identity).inserted else { continue }
                                candidates.append(NearestQuery.Candidate(
                                    identity: identity,
                                    value: statement.withBytes(at: 3) { Document(canonical: $0) },
                                    document: statement.withBytes(at: 4) { Document(canonical: $0) }))
                            }
                        }
                        return candidates
                    }
                }
            }
        }
    }
}
