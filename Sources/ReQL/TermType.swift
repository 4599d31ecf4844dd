/// The ReQL term types (`ql2.proto`, v2.4), with what DocStore needs to know about each.
package struct TermType: RawRepresentable, Hashable, Sendable {
    package let rawValue: Int

    package init?(rawValue: Int) {
        // Every value of ql2.proto v2.4 is a valid term; 46, 47, 63 and 178 are unused there.
        guard (1...3).contains(rawValue) || (10...196).contains(rawValue),
              ![46, 47, 63, 178].contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    private init(_ value: Int) { rawValue = value }

    package static let datum = TermType(1), makeArray = TermType(2), makeObject = TermType(3)
    package static let variable = TermType(10), javascript = TermType(11), error = TermType(12), implicitVar = TermType(13)
    package static let db = TermType(14), table = TermType(15), get = TermType(16)
    package static let eq = TermType(17), ne = TermType(18), lt = TermType(19), le = TermType(20), gt = TermType(21), ge = TermType(22)
    package static let not = TermType(23), add = TermType(24), sub = TermType(25), mul = TermType(26), div = TermType(27), mod = TermType(28)
    package static let append = TermType(29), slice = TermType(30), getField = TermType(31), hasFields = TermType(32)
    package static let pluck = TermType(33), without = TermType(34), merge = TermType(35)
    package static let reduce = TermType(37), map = TermType(38), filter = TermType(39), concatMap = TermType(40)
    package static let orderBy = TermType(41), distinct = TermType(42), count = TermType(43), union = TermType(44), nth = TermType(45)
    package static let coerceTo = TermType(51), typeOf = TermType(52)
    package static let update = TermType(53), delete = TermType(54), replace = TermType(55), insert = TermType(56)
    package static let dbCreate = TermType(57), dbDrop = TermType(58), dbList = TermType(59)
    package static let tableCreate = TermType(60), tableDrop = TermType(61), tableList = TermType(62)
    package static let funcall = TermType(64), branch = TermType(65), or = TermType(66), and = TermType(67), forEach = TermType(68)
    package static let function = TermType(69), skip = TermType(70), limit = TermType(71), asc = TermType(73), desc = TermType(74)
    package static let getAll = TermType(78), info = TermType(79), prepend = TermType(80), sample = TermType(81)
    package static let isEmpty = TermType(86), `default` = TermType(92), contains = TermType(93), keys = TermType(94)
    package static let json = TermType(98), iso8601 = TermType(99), epochTime = TermType(101), toEpochTime = TermType(102), now = TermType(103)
    package static let literal = TermType(137), sync = TermType(138), object = TermType(143)
    package static let sum = TermType(145), avg = TermType(146), min = TermType(147), max = TermType(148)
    package static let random = TermType(151), http = TermType(153), args = TermType(154), binary = TermType(155)
    package static let uuid = TermType(169), bracket = TermType(170), toJSONString = TermType(172), range = TermType(173)
    package static let config = TermType(174), status = TermType(175), wait = TermType(177)
    package static let minval = TermType(180), maxval = TermType(181), between = TermType(182)
    package static let floor = TermType(183), ceil = TermType(184), round = TermType(185), values = TermType(186), fold = TermType(187)
    package static let grant = TermType(188)
    package static let innerJoin = TermType(48), outerJoin = TermType(49), eqJoin = TermType(50), zip = TermType(72)
    package static let indexCreate = TermType(75), indexDrop = TermType(76), indexList = TermType(77)
    package static let indexStatus = TermType(139), indexWait = TermType(140), indexRename = TermType(156)

    /// Terms whose value depends on more than their arguments (`term_walker`/`deterministic_t`).
    package var isNonDeterministic: Bool {
        [Self.javascript, .db, .table, .get, .getAll, .random, .http, .uuid, .sample,
         .dbList, .tableList, .config, .status, .between].contains(self)
    }

    /// The optional arguments RethinkDB accepts on each term; nil where DocStore does not check.
    /// `insert` also takes the 1.x `upsert` and `return_vals`, which the reference page uses.
    package var allowedOptargs: Set<String>? {
        switch self {
        case .insert: return ["conflict", "durability", "return_changes", "return_vals", "upsert", "ignore_write_hook"]
        case .update, .replace: return ["durability", "return_changes", "non_atomic", "ignore_write_hook"]
        case .delete: return ["durability", "return_changes", "non_atomic", "ignore_write_hook"]
        case .tableCreate: return ["primary_key", "shards", "replicas", "primary_replica_tag", "nonvoting_replica_tags", "durability"]
        case .table: return ["read_mode", "identifier_format", "use_outdated"]
        case .slice: return ["left_bound", "right_bound"]
        case .union: return ["interleave"]
        case .random: return ["float"]
        case .fold: return ["emit", "final_emit"]
        case .http: return ["data", "timeout", "method", "params", "header", "attempts", "redirects", "verify",
                            "page", "page_limit", "auth", "result_format"]
        case .match, .split, .upcase, .downcase, .json, .toJSONString, .insertAt, .deleteAt, .changeAt, .spliceAt,
             .setInsert, .setUnion, .setIntersection, .setDifference, .difference, .offsetsOf, .withFields, .sample,
             .bitAnd, .bitOr, .bitXor, .bitNot, .bitSal, .bitSar, .binary, .object, .args, .info, .default:
            return []
        case .getAll: return ["index"]
        case .wait, .reconfigure, .rebalance, .status: return Self.clusterOptargs[self]
        case .filter: return ["default"]
        case .orderBy: return ["index"]
        case .javascript: return ["timeout"]
        case .between: return ["index", "left_bound", "right_bound"]
        case .eqJoin: return ["index", "ordered"]
        case .changes: return Self.changesOptargs
        case .indexCreate: return ["multi", "geo"]
        case .indexRename: return ["overwrite"]
        case .indexDrop, .indexList, .indexStatus, .indexWait, .zip, .innerJoin, .outerJoin: return []
        case .get, .count, .dbCreate, .dbDrop, .dbList, .tableDrop, .tableList, .forEach, .merge, .pluck, .without,
             .sync, .config, .coerceTo, .typeOf, .append, .prepend, .nth, .isEmpty, .keys, .values, .limit, .skip,
             .eq, .ne, .lt, .le, .gt, .ge, .not, .add, .sub, .mul, .div, .mod, .branch, .or, .and, .error, .now,
             .uuid, .minval, .maxval, .makeArray, .funcall, .bracket, .getField, .hasFields, .contains, .literal,
             .concatMap, .map, .floor, .ceil, .round, .variable, .implicitVar:
            return []
        default:
            return geoOptargs ?? timeOptargs
        }
    }
}
