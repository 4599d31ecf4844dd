import DocumentModel

/// What `reconfigure` (and `table_create`) ask of a table's sharding and replication, parsed
/// the way RethinkDB's `get_replicas_and_primary` parses them; storage decides whether its
/// servers can give it (RethinkDB's `table_generate_config`).
///
/// ```swift
/// // r.table('heroes').reconfigure(shards: 1, replicas: 1)
/// Reconfiguration(shards: 1, replicas: ["default": 1])
/// ```
package struct Reconfiguration: Sendable, Equatable {
    package var shards: Int
    /// Replicas per server tag; a plain number of replicas is that many in `default`.
    package var replicas: [String: Int]
    package var primaryReplicaTag: String
    package var nonvotingReplicaTags: [String]
    /// `dry_run`: compute the new configuration without applying it.
    package var dryRun: Bool

    package init(shards: Int = 1, replicas: [String: Int] = ["default": 1], primaryReplicaTag: String = "default",
                 nonvotingReplicaTags: [String] = [], dryRun: Bool = false) {
        self.shards = shards
        self.replicas = replicas
        self.primaryReplicaTag = primaryReplicaTag
        self.nonvotingReplicaTags = nonvotingReplicaTags
        self.dryRun = dryRun
    }

    /// The largest number of shards RethinkDB allows.
    package static let maxShards = 64

    /// RethinkDB's `validate_params`: the checks that need no knowledge of the servers.
    package func validate() throws(ReqlError) {
        if shards <= 0 { throw .runtime(.opFailed, "Every table must have at least one shard.") }
        if replicas.values.reduce(0, +) == 0 {
            throw .runtime(.opFailed, "You must set `replicas` to at least one. `replicas` includes the primary replica; "
                + "if there are zero replicas, there is nowhere to put the data.")
        }
        if shards > Self.maxShards { throw .runtime(.opFailed, "Maximum number of shards is \(Self.maxShards).") }
        if (replicas[primaryReplicaTag] ?? 0) == 0 {
            throw .runtime(.opFailed, "Can't use server tag `\(primaryReplicaTag)` for primary replicas because you "
                + "specified no replicas in server tag `\(primaryReplicaTag)`.")
        }
        for tag in nonvotingReplicaTags where replicas[tag] == nil {
            throw .runtime(.opFailed, "You specified that the replicas in server tag `\(tag)` should be non-voting, "
                + "but you didn't specify a number of replicas in server tag `\(tag)`.")
        }
    }
}

/// `reconfigure(emergency_repair:)`'s two modes.
package enum EmergencyRepair: String, Sendable {
    case unsafeRollback = "unsafe_rollback"
    case unsafeRollbackOrErase = "unsafe_rollback_or_erase"
}
