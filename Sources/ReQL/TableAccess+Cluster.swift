import DocumentModel

/// What storage without a cluster (index functions' ``NoTableAccess``, test doubles) answers
/// to the cluster terms; the server's storage gives RethinkDB's one-server answers instead.
extension TableAccess {
    package func table(_ name: String, in database: String, identifierFormat: String?) throws(ReqlError) -> TableRef {
        try table(name, in: database)
    }

    package func tableIdentity(_ table: TableRef) throws(ReqlError) -> Document {
        try config(table)
    }

    package func databaseConfig(_ database: String) throws(ReqlError) -> Document {
        let reference = try self.database(database)
        return ["id": reference.id.map(Document.string) ?? .null, "name": .string(reference.name)]
    }

    package func status(_ table: TableRef) throws(ReqlError) -> Document {
        throw Self.noCluster("status")
    }

    package func wait(_ table: TableRef) throws(ReqlError) {
        _ = try primaryKey(of: table)
    }

    package func checkReplication(_ request: Reconfiguration) throws(ReqlError) {
        try request.validate()
    }

    package func reconfigure(_ table: TableRef, _ request: Reconfiguration) throws(ReqlError) -> Document {
        throw Self.noCluster("reconfigure")
    }

    package func emergencyRepair(_ table: TableRef, _ mode: EmergencyRepair, dryRun: Bool) throws(ReqlError) -> Document {
        throw Self.noCluster("reconfigure")
    }

    /// Storage that keeps no write hooks: a table has none, once it is found.

    package func rebalance(_ table: TableRef) throws(ReqlError) -> Document {
        throw Self.noCluster("rebalance")
    }

    private static func noCluster(_ term: String) -> ReqlError {
        .runtime(.opFailed, "`\(term)` needs a server: this storage has no cluster.")
    }
}
