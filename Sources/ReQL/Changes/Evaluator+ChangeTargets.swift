import DocumentModel
import Synchronization

/// The terms between `changes` and the read they sit on, as RethinkDB sees them in
/// `get_changespecs`: transformations it can apply to each changed row, at most one `limit`,
/// and the read (a table, `get_all`, `between`, `order_by(index:)`).
struct FeedShape {
    /// From the outermost in: the terms applied to each row.
    var transforms: [Term] = []
    /// The `limit`, and how many of the transforms sit above it.
    var limit: (term: Term, above: Int)?
    var read: Term

    /// Per-row transformations a feed can apply (RethinkDB's map and filter wire functions).
    private static let rowTransforms: Set<Int> = [
        TermType.filter.rawValue, TermType.map.rawValue, TermType.pluck.rawValue, TermType.without.rawValue,
        TermType.merge.rawValue, TermType.hasFields.rawValue, TermType.bracket.rawValue, TermType.getField.rawValue,
        96, // with_fields
    ]

    /// Transformations RethinkDB names when it refuses a feed after them
    /// (`rcheck_transform_visitor_t`).
    private static let refused: [Int: String] = [
        TermType.concatMap.rawValue: "concat_map", 144: "group", TermType.distinct.rawValue: "distinct",
        TermType.zip.rawValue: "zip",
    ]

    init(_ argument: Term) throws(ReqlError) {
        var node = argument
        while !node.args.isEmpty {
            let type = node.type.rawValue
            if let name = Self.refused[type] {
                throw .runtime(.queryLogic, "Cannot call `changes` after `\(name)`.")
            }
            if Self.rowTransforms.contains(type) {
                transforms.append(node)
            } else if node.type == .limit && limit == nil {
                limit = (node, transforms.count)
            } else {
                break
            }
            node = node.args[0]
        }
        read = node
    }
}

extension Evaluator {
    /// What a feed on `value` (the evaluated argument of `changes`) watches, with RethinkDB's
    /// errors for what it cannot watch, in the order it checks them.
    func changeRequest(
        for value: Value, _ argument: Term, _ env: Environment, options: ChangeRequest
    ) throws(ReqlError) -> (TableRef, ChangeRequest) {
        var request = options
        switch value {
        case .singleSelection(let table, let key, _):
            request.target = .document(key)
            return (table, request)
        case .table(let table):
            request.target = .table
            return (table, request)
        case .selection:
            break
        case .stream(let rows) where rows.feed == nil:
            break
        default:
            // Not a sequence: RethinkDB's type error; an array, a range or a feed: eager.
            _ = try stream(of: value, term: argument)
            throw .eagerFeed
        }
        let shape = try FeedShape(argument)
        if let limit = shape.limit,
           shape.transforms.prefix(limit.above).contains(where: { $0.type != .filter }) {
            throw .runtime(.queryLogic, "Changefeeds are not supported on queries that have a transformation following a `limit` term.  Transformations include terms such as `filter`, `map`, `pluck`, etc.  Consider moving the transformation before the `limit` term.")
        }
        for transform in shape.transforms {
            for part in transform.args.dropFirst() + transform.optargs.map(\.term) where !part.isDeterministic {
                throw .runtime(.queryLogic, "Cannot call `changes` after a non-deterministic function.", backtrace: part.path)
            }
        }
        let (table, target) = try changeTarget(shape, env)
        request.target = target
        if !shape.transforms.isEmpty {
            let chain = FeedChain(evaluator: self, term: argument, read: shape.read, env: env)
            request.project = { row in chain.apply(row) }
        }
        return (table, request)
    }

    /// The read under the transformations, and the `limit` on it.
    private func changeTarget(_ shape: FeedShape, _ env: Environment) throws(ReqlError) -> (TableRef, ChangeRequest.Target) {
        let read = shape.read
        let table: TableRef
        var target: ChangeRequest.Target
        switch read.type {
        case .table:
            table = try tableOnly(read, env)
            target = .table
        case .getAll:
            table = try tableOnly(read.args[0], env)
            var keys: [Document] = []
            for argument in read.args.dropFirst() { keys.append(try getAllKey(argument, env)) }
            var index = try optargString("index", read, env, local: true)
            if index == (try context.tables.primaryKey(of: table)) { index = nil }
            target = .keys(keys, index: index)
        case .between, .orderBy:
            guard case .selection(let selection) = try eval(read, env), case .slice(let scan) = selection.target else {
                throw .eagerFeed
            }
            table = selection.table
            target = .range(scan)
        default:
            throw .eagerFeed
        }
        guard let limit = shape.limit else { return (table, target) }
        let count = try integer(limit.term.args[1], env)
        guard count <= context.arrayLimit else {
            throw .runtime(.resourceLimit, "Array size limit `\(context.arrayLimit)` exceeded.  (`.limit(X).changes()` is illegal if X is larger than the array size limit.)")
        }
        guard case .range(let scan) = target, scan.descending != nil else {
            throw .runtime(.queryLogic, "Cannot get changes on the first elements of an unordered stream.")
        }
        target = .top(scan, count: Int(max(0, count)))
        return (table, target)
    }
}

/// The transformations written before `changes`, run on one changed row at a time: the
/// argument of `changes` evaluated again with its read replaced by that row.
///
/// RethinkDB drops a row a transformation fails on from the selection, as an index drops a row
/// its function fails on (changefeed.cc `apply_ops`), so a failure is a nil, not an error.
/// This runs wherever the library delivers changes, so it may not wait on storage: the
/// transformations are deterministic (checked before), and the evaluator used here has no
/// tables at all (nor the query's profile, which belongs to the query's thread).
final class FeedChain: Sendable {
    private let evaluator: Evaluator
    private let term: Term
    private let read: Term
    private let env: Environment
    /// The last row and its result: a feed asks whether a row is selected, then for what it
    /// becomes, and each answer needs the whole chain.
    private let last = Mutex<(row: Document, result: Document?)?>(nil)

    init(evaluator: Evaluator, term: Term, read: Term, env: Environment) {
        let query = evaluator.context
        var context = QueryContext(tables: NoTableAccess(), now: query.now, cancellation: query.cancellation)
        context.defaultDatabase = query.defaultDatabase
        context.globalOptargs = query.globalOptargs
        context.deferredOptargErrors = query.deferredOptargErrors
        context.arrayLimit = query.arrayLimit
        self.evaluator = Evaluator(context: context)
        self.term = term
        self.read = read
        self.env = env
    }

    func apply(_ row: Document) -> Document? {
        if let cached = last.withLock({ $0 }), cached.row == row { return cached.result }
        var env = self.env
        env.substitute = (read, .stream(.array([row], cancellation: evaluator.context.cancellation)))
        let result: Document?
        do {
            let rows = try evaluator.stream(of: try evaluator.eval(term, env), term: term)
            result = try rows.next()
        } catch {
            result = nil
        }
        last.withLock { $0 = (row, result) }
        return result
    }
}
