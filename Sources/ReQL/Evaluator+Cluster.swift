import DocumentModel

extension Evaluator {
    /// `status`, `wait`, `reconfigure` and `rebalance`: RethinkDB's table-or-database meta
    /// terms, one storage call per table.
    func cluster(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        let tables = context.tables
        switch term.type {
        case .status:
            try arity(term, 1...1)
            return try systemRow("table_status", tables.status(try tableArgument(term.args[0], env)))
        case .wait:
            try arity(term, 0...1)
            guard !term.args.isEmpty else {
                throw .runtime(.queryLogic, "`wait` can only be called on a table or database.", backtrace: term.path)
            }
            try checkWaitOptions(term, env)
            let targets = try clusterTargets(term, env)
            for table in targets { try tables.wait(table) }
            return .datum(["ready": .number(Double(targets.count))])
        case .reconfigure:
            try arity(term, 0...1)
            return .datum(try reconfigure(term, env))
        default:
            try arity(term, 0...1)
            let results = try clusterTargets(term, env).map { (table) throws(ReqlError) in try tables.rebalance(table) }
            return .datum(merged(results, empty: ["rebalanced": 0, "status_changes": []]))
        }
    }

    /// The tables a meta term acts on: its table, or every table of its database.
    private func clusterTargets(_ term: Term, _ env: Environment) throws(ReqlError) -> [TableRef] {
        if let first = term.args.first, case .table(let table) = try eval(first, env) { return [table] }
        let (database, _) = try databaseArgument(term, env, names: 0)
        var targets: [TableRef] = []
        for name in try context.tables.tableList(in: database) {
            targets.append(try context.tables.table(name, in: database))
        }
        return targets
    }

    private func checkWaitOptions(_ term: Term, _ env: Environment) throws(ReqlError) {
        let states = ["ready_for_outdated_reads", "ready_for_reads", "ready_for_writes", "all_replicas_ready"]
        if let waitFor = try optargString("wait_for", term, env, local: true), !states.contains(waitFor) {
            throw .runtime(.queryLogic, "Unknown table readiness state: '\(waitFor)', must be one of "
                + "'ready_for_outdated_reads', 'ready_for_reads', 'ready_for_writes', or 'all_replicas_ready'",
                backtrace: term.path)
        }
        if let timeout = term.optarg("timeout") { _ = try integer(timeout, env) }
    }

    private func reconfigure(_ term: Term, _ env: Environment) throws(ReqlError) -> Document {
        var dryRun = false
        if let value = term.optarg("dry_run") { dryRun = try bool(value, env) }
        if let repair = term.optarg("emergency_repair"), let mode = try datum(repair, env).stringValue.map(Optional.some) ?? nil {
            guard let repairMode = EmergencyRepair(rawValue: mode) else {
                throw .runtime(.queryLogic, "`emergency_repair` should be \"unsafe_rollback\" or \"unsafe_rollback_or_erase\"",
                               backtrace: repair.path)
            }
            if ["nonvoting_replica_tags", "primary_replica_tag", "replicas", "shards"].contains(where: { term.optarg($0) != nil }) {
                throw .runtime(.queryLogic, "In emergency repair mode, you can't specify shards, replicas, etc.", backtrace: term.path)
            }
            guard let first = term.args.first, case .table(let table) = try eval(first, env) else {
                throw .runtime(.queryLogic, "Can't emergency repair an entire database at once; instead you should run "
                    + "`reconfigure()` on each table individually.", backtrace: term.path)
            }
            return try context.tables.emergencyRepair(table, repairMode, dryRun: dryRun)
        }
        var request = try replication(term, env, required: true)
        request.dryRun = dryRun
        try context.tables.checkReplication(request)
        let tables = context.tables
        let results = try clusterTargets(term, env).map { (table) throws(ReqlError) in try tables.reconfigure(table, request) }
        return merged(results, empty: ["reconfigured": 0, "config_changes": [], "status_changes": []])
    }

    /// The `shards`, `replicas`, `primary_replica_tag` and `nonvoting_replica_tags` optargs
    /// (RethinkDB's `get_replicas_and_primary`); `reconfigure` requires the first two.
    func replication(_ term: Term, _ env: Environment, required: Bool) throws(ReqlError) -> Reconfiguration {
        var request = Reconfiguration()
        func requiredOptarg(_ name: String) throws(ReqlError) -> Term? {
            if let value = term.optarg(name) { return value }
            if required { throw .runtime(.queryLogic, "Missing required argument `\(name)`.", backtrace: term.path) }
            return nil
        }
        if let shards = try requiredOptarg("shards") {
            let count = try integer(shards, env)
            if count <= 0 { throw .runtime(.queryLogic, "Every table must have at least one shard.", backtrace: shards.path) }
            request.shards = Int(count)
        }
        let primaryTag = term.optarg("primary_replica_tag")
        let nonvoting = term.optarg("nonvoting_replica_tags")
        if let replicas = try requiredOptarg("replicas") {
            let value = try datum(replicas, env)
            switch value {
            case .object(let object):
                guard primaryTag != nil else {
                    throw .runtime(.queryLogic, "`primary_replica_tag` must be specified when `replicas` is an OBJECT.", backtrace: replicas.path)
                }
                request.replicas = [:]
                for (tag, count) in object {
                    try Self.checkTag(tag, replicas)
                    let number = try integer(of: count.doubleValue ?? .nan, term: replicas)
                    if number < 0 { throw .runtime(.queryLogic, "Can't have a negative number of replicas", backtrace: replicas.path) }
                    request.replicas[tag] = Int(number)
                }
            case .number(let count):
                if primaryTag != nil {
                    throw .runtime(.queryLogic, "`replicas` must be an OBJECT if `primary_replica_tag` is specified.", backtrace: replicas.path)
                }
                if nonvoting != nil {
                    throw .runtime(.queryLogic, "`replicas` must be an OBJECT if `nonvoting_replica_tags` is specified.", backtrace: replicas.path)
                }
                // RethinkDB reads it as an unsigned count: a negative one is a huge number of replicas.
                let number = try integer(of: count, term: replicas)
                request.replicas = [request.primaryReplicaTag: Int(number)]
            default:
                throw .runtime(.queryLogic, "Expected type OBJECT or NUMBER but found \(value.typeName):\n\(value.prettyPrinted)", backtrace: replicas.path)
            }
        }
        if let nonvoting {
            let value = try datum(nonvoting, env)
            guard case .array(let tags) = value else {
                throw .runtime(.queryLogic, "Expected type ARRAY but found \(value.typeName):\n\(value.prettyPrinted)", backtrace: nonvoting.path)
            }
            request.nonvotingReplicaTags = []
            for tag in tags {
                guard case .string(let name) = tag else {
                    throw .runtime(.queryLogic, "Expected type STRING but found \(tag.typeName):\n\(tag.prettyPrinted)", backtrace: nonvoting.path)
                }
                try Self.checkTag(name, nonvoting)
                request.nonvotingReplicaTags.append(name)
            }
        }
        if let primaryTag {
            let name = try string(primaryTag, env)
            try Self.checkTag(name, primaryTag)
            request.primaryReplicaTag = name
        }
        return request
    }

    private static func checkTag(_ name: String, _ term: Term) throws(ReqlError) {
        let valid = !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a) || byte == 0x5f || byte == 0x2d
        }
        if !valid {
            throw .runtime(.queryLogic, "Server tag name `\(name)` invalid (Use A-Z, a-z, 0-9, _ and - only).", backtrace: term.path)
        }
    }

    private func bool(_ term: Term, _ env: Environment) throws(ReqlError) -> Bool {
        let value = try datum(term, env)
        guard case .bool(let flag) = value else { throw typeError("BOOL", found: value.typeName, term) }
        return flag
    }

    /// Per-table results added up, as RethinkDB's database-wide meta terms report them.
    private func merged(_ results: [Document], empty: Document) -> Document {
        guard var total = results.first else { return empty }
        for result in results.dropFirst() {
            total = ResultObject(total, arrayLimit: .max).merged(with: ResultObject(result, arrayLimit: .max)).document
        }
        return total
    }

    /// A row of a system table as a single selection of it, so `config().update(...)` writes
    /// it; a plain datum where storage has no system table of that name.
    func systemRow(_ table: String, _ row: Document) throws(ReqlError) -> Value {
        guard let key = row["id"], let system = try? context.tables.table(table, in: "rethinkdb") else { return .datum(row) }
        return .singleSelection(system, key: key, row: row)
    }
}
