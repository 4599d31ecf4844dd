extension TermType {
    /// The cluster terms beside `config` and `status` and `wait` (ql2.proto's numbers).
    package static let reconfigure = TermType(rawValue: 176)!, rebalance = TermType(rawValue: 179)!

    /// Their optional arguments, as RethinkDB's `optargspec_t`s list them.
    static var clusterOptargs: [TermType: Set<String>] {
        [
            .wait: ["timeout", "wait_for"],
            .reconfigure: ["dry_run", "emergency_repair", "nonvoting_replica_tags", "primary_replica_tag", "replicas", "shards"],
            .rebalance: [],
            .status: [],
        ]
    }
}
