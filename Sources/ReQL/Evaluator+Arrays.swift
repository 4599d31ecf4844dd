import DocumentModel

extension Evaluator {
    /// Array and sequence terms: `slice`, `nth`, `bracket`, `get_field`, the `*_at` edits, the
    /// set operations, `difference`, `contains`, `offsets_of`, `sample`, `with_fields` and
    /// `has_fields`; nil for other terms.
    func arrayOperation(_ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        switch term.type {
        case .slice:
            return try slice(term, env)
        case .nth:
            return try nth(try eval(term.args[0], env), index: try integer(term.args[1], env), term: term)
        case .bracket, .getField:
            return try field(term, env)
        case .insertAt, .spliceAt, .deleteAt, .changeAt:
            return .datum(.array(try edit(term, env)))
        case .setInsert, .setUnion, .setIntersection, .setDifference:
            return .datum(.array(try setOperation(term, env)))
        case .difference:
            let source = try eval(term.args[0], env)
            let removed = try stream(of: try eval(term.args[1], env), term: term.args[1]).collect(limit: context.arrayLimit)
            let kept = try stream(of: source, term: term.args[0]).filter { (row: Document) throws(ReqlError) -> Bool in
                !removed.contains(row)
            }
            return try sameKind(as: source, kept)
        case .contains:
            return .datum(.bool(try contains(term, env)))
        case .offsetsOf:
            let source = try eval(term.args[0], env)
            let wanted = try eval(term.args[1], env)
            let value: Document? = if case .function = wanted { nil } else { try datum(of: wanted, term: term.args[1]) }
            let rows = try stream(of: source, term: term.args[0])
            var position = -1
            let offsets = RowStream(cancellation: context.cancellation, isInfinite: rows.isInfinite) { () throws(ReqlError) -> Document? in
                while let row = try rows.next() {
                    position += 1
                    let found = if let value { row == value } else { self.truthy(try self.callDatum(wanted, [row], term: term)) }
                    if found { return .number(Double(position)) }
                }
                return nil
            }
            return try sameKind(as: source, offsets, keepingSelection: false)
        case .sample:
            return try sample(term, env)
        case .hasFields:
            return try hasFields(term, env)
        case .withFields:
            let source = try eval(term.args[0], env)
            var paths: [Document] = []
            for argument in term.args.dropFirst() { paths.append(try datum(argument, env)) }
            guard source.isSequence else {
                throw .runtime(.queryLogic, "Cannot perform has_fields on a non-object non-sequence `\(try datum(of: source, term: term.args[0]).jsonString)`.", backtrace: term.args[0].path)
            }
            let rows = try stream(of: source, term: term.args[0]).filter { (row: Document) throws(ReqlError) -> Bool in
                try Self.hasPaths(row, paths, term: term)
            }.map { (row: Document) throws(ReqlError) -> Document in
                guard case .object(let object) = row else { return row }
                return .object(Self.pluck(object, paths))
            }
            return try sameKind(as: source, rows, keepingSelection: false)
        default:
            return nil
        }
    }

    /// What a stream operation gives back: an array for an array, a selection for a table or
    /// selection (so it can still be written), a stream otherwise.
    func sameKind(as source: Value, _ rows: RowStream, keepingSelection: Bool = true) throws(ReqlError) -> Value {
        switch source {
        case .datum: return .datum(.array(try rows.collect(limit: context.arrayLimit)))
        case .table(let table) where keepingSelection: return .selection(RowSelection(table: table, target: .rows(rows)))
        case .selection(let selection) where keepingSelection: return .selection(RowSelection(table: selection.table, target: .rows(rows)))
        default: return .stream(rows)
        }
    }

    /// A possibly negative index into `size` elements (`canonicalize` in `arr.cc`).
    func canonicalIndex(_ index: Int64, size: Int, term: Term) throws(ReqlError) -> Int {
        if index >= 0 { return Int(clamping: index) }
        guard -index <= Int64(size) else {
            throw .runtime(.nonExistence, "Index out of bounds: \(index)", backtrace: term.path)
        }
        return size + Int(index)
    }

    /// `nth`: an element of an array, or the row at a position of a stream (of a table, the
    /// row as a single selection, so it can be written).
    func nth(_ source: Value, index: Int64, term: Term) throws(ReqlError) -> Value {
        if case .datum(let value) = source {
            // RethinkDB reads any datum here as a sequence, so a non-array fails that conversion.
            guard case .array(let elements) = value else {
                throw .runtime(.queryLogic, "Cannot convert \(value.typeName) to SEQUENCE", backtrace: term.args[0].path)
            }
            let position = try canonicalIndex(index, size: elements.count, term: term)
            guard position < elements.count else {
                throw .runtime(.nonExistence, "Index out of bounds: \(index)", backtrace: term.path)
            }
            return .datum(elements[position])
        }
        guard index >= -1 else {
            throw .runtime(.queryLogic, "Cannot use an index < -1 (\(index)) on a stream.", backtrace: term.path)
        }
        let rows = try stream(of: source, term: term.args[0])
        var last: Document?
        var position: Int64 = 0
        while let row = try rows.next() {
            if position == index { return try rowValue(row, of: source) }
            last = row
            position += 1
        }
        guard index == -1, let last else {
            throw .runtime(.nonExistence, "Index out of bounds: \(index)", backtrace: term.path)
        }
        return try rowValue(last, of: source)
    }

    /// A row taken from a table or selection stays addressable by its key.
    private func rowValue(_ row: Document, of source: Value) throws(ReqlError) -> Value {
        let table: TableRef
        switch source {
        case .table(let reference): table = reference
        case .selection(let selection): table = selection.table
        default: return .datum(row)
        }
        let key = row[try context.tables.primaryKey(of: table)] ?? .null
        return .singleSelection(table, key: key, row: row)
    }

    /// `slice` and `[a:b]`: by element on arrays and streams, by code point on strings, by
    /// byte on binary values; `left_bound` (default closed) and `right_bound` (default open).
    private func slice(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        let source = try eval(term.args[0], env)
        let leftOpen = try boundIsOpen("left_bound", term, env, default: false)
        let left = try integer(term.args[1], env)
        let rightOpen = term.args.count == 3 ? try boundIsOpen("right_bound", term, env, default: true) : false
        let right = term.args.count == 3 ? try integer(term.args[2], env) : -1
        let value = source.datumValue
        if let value {
            func bounds(_ size: Int) -> Range<Int> {
                let lower = canonicalBound(left, size: size, open: leftOpen, isLeft: true)
                let upper = min(canonicalBound(right, size: size, open: rightOpen, isLeft: false), size)
                return lower < upper ? lower..<upper : 0..<0
            }
            switch value {
            case .array(let elements): return .datum(.array(Array(elements[bounds(elements.count)])))
            case .string(let text):
                let scalars = Array(text.unicodeScalars)
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[bounds(scalars.count)])
                return .datum(.string(String(view)))
            default:
                if let bytes = Binary.bytes(of: value) { return .datum(Binary.make(bytes[bounds(bytes.count)])) }
                let error = "Expected ARRAY, BINARY, or STRING, but found \(value.typeName)."
                throw .runtime(value.isNull ? .nonExistence : .queryLogic, error, backtrace: term.args[0].path)
            }
        }
        guard source.isSequence else {
            throw .runtime(.queryLogic, "Cannot slice non-sequences.", backtrace: term.args[0].path)
        }
        guard left >= 0 else { throw .runtime(.queryLogic, "Cannot use a negative left index on a stream.", backtrace: term.path) }
        guard right >= -1 else { throw .runtime(.queryLogic, "Cannot use a right index < -1 on a stream.", backtrace: term.path) }
        if right == -1 && rightOpen {
            throw .runtime(.queryLogic, "Cannot slice to an open right index of -1 on a stream.", backtrace: term.path)
        }
        let start = Int(clamping: left) + (leftOpen ? 1 : 0)
        let rows = try stream(of: source, term: term.args[0]).skip(start)
        let sliced = right == -1 ? rows : rows.limit(max(0, Int(clamping: right) + (rightOpen ? 0 : 1) - start))
        return try sameKind(as: source, sliced)
    }

    /// A slice bound as an index of the first element in (left) or the first one out (right).
    private func canonicalBound(_ index: Int64, size: Int, open: Bool, isLeft: Bool) -> Int {
        var position: Int
        var outOfBounds = false
        if index >= 0 {
            position = Int(clamping: index)
        } else if -index > Int64(size) {
            position = 0
            outOfBounds = true
        } else {
            position = size + Int(index)
        }
        if open == isLeft && !outOfBounds { position += 1 }
        return position
    }

    /// `left_bound`/`right_bound`: `"open"` or `"closed"` (`bounded_op_term_t`).
    func boundIsOpen(_ name: String, _ term: Term, _ env: Environment, default defaultValue: Bool) throws(ReqlError) -> Bool {
        guard let value = try optarg(name, term, env) else { return defaultValue }
        let document = try datum(of: value, term: term)
        guard case .string(let text) = document else { throw typeError("STRING", found: document.typeName, term) }
        switch text {
        case "open": return true
        case "closed": return false
        default:
            throw .runtime(.queryLogic, "Expected `open` or `closed` for optarg `\(name)` (got `\(document.truncatedPrettyPrinted)`).", backtrace: term.path)
        }
    }

    /// `insert_at` and `splice_at` count the gaps between elements, `delete_at` and
    /// `change_at` the elements, so -1 means "after the last" for the first two.
    private func edit(_ term: Term, _ env: Environment) throws(ReqlError) -> [Document] {
        var array = try arrayArgument(term.args[0], env)
        let gaps = term.type == .insertAt || term.type == .spliceAt
        let index = try canonicalIndex(try integer(term.args[1], env), size: array.count + (gaps ? 1 : 0), term: term)
        func outOfBounds(_ position: Int) -> ReqlError {
            .runtime(.nonExistence, "Index `\(position)` out of bounds for array of size: `\(array.count)`.", backtrace: term.path)
        }
        switch term.type {
        case .insertAt:
            let element = try datum(term.args[2], env)
            guard index <= array.count else { throw outOfBounds(index) }
            array.insert(element, at: index)
            if array.count > context.arrayLimit { throw .arrayLimit(context.arrayLimit) }
        case .spliceAt:
            let elements = try arrayArgument(term.args[2], env)
            guard index <= array.count else { throw outOfBounds(index) }
            array.insert(contentsOf: elements, at: index)
            if array.count > context.arrayLimit { throw .arrayLimit(context.arrayLimit) }
        case .changeAt:
            let element = try datum(term.args[2], env)
            guard index < array.count else { throw outOfBounds(index) }
            array[index] = element
        default:
            if term.args.count == 2 {
                guard index < array.count else { throw outOfBounds(index) }
                array.remove(at: index)
            } else {
                let end = try canonicalIndex(try integer(term.args[2], env), size: array.count, term: term)
                guard index <= array.count else { throw outOfBounds(index) }
                guard end <= array.count else { throw outOfBounds(end) }
                guard index <= end else {
                    throw .runtime(.queryLogic, "Start index `\(index)` is greater than end index `\(end)`.", backtrace: term.path)
                }
                array.removeSubrange(index..<end)
            }
        }
        return array
    }

    /// The set operations keep the first of equal elements, in order of appearance.
    private func setOperation(_ term: Term, _ env: Environment) throws(ReqlError) -> [Document] {
        let first = try arrayArgument(term.args[0], env)
        var seen = Set<Document>()
        var result: [Document] = []
        switch term.type {
        case .setInsert, .setUnion:
            let second = term.type == .setInsert ? [try datum(term.args[1], env)] : try arrayArgument(term.args[1], env)
            for element in first + second where seen.insert(element).inserted { result.append(element) }
        case .setIntersection:
            let second = try arrayArgument(term.args[1], env)
            var remaining = Set(first)
            for element in second where remaining.remove(element) != nil { result.append(element) }
        default:
            let second = try arrayArgument(term.args[1], env)
            seen = Set(second)
            for element in first where seen.insert(element).inserted { result.append(element) }
        }
        if result.count > context.arrayLimit { throw .arrayLimit(context.arrayLimit) }
        return result
    }

    /// `contains`: every value (equal element) and predicate (function) must be met, each by
    /// a different element (bag semantics).
    private func contains(_ term: Term, _ env: Environment) throws(ReqlError) -> Bool {
        let rows = try stream(of: try eval(term.args[0], env), term: term.args[0])
        var values: [Document] = []
        var predicates: [Value] = []
        for argument in term.args.dropFirst() {
            let wanted = try eval(argument, env)
            if case .function = wanted { predicates.append(wanted) } else { values.append(try datum(of: wanted, term: argument)) }
        }
        while !(values.isEmpty && predicates.isEmpty), let row = try rows.next() {
            if let index = values.firstIndex(of: row) { values.remove(at: index) }
            for (index, predicate) in predicates.enumerated() where truthy(try callDatum(predicate, [row], term: term)) {
                predicates.remove(at: index)
                break
            }
        }
        return values.isEmpty && predicates.isEmpty
    }

    /// `sample`: a uniform random choice of `n` elements (reservoir sampling), shuffled.
    private func sample(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        let count = try integer(term.args[1], env)
        guard count >= 0 else {
            throw .runtime(.queryLogic, "Number of items to sample must be non-negative, got `\(count)`.", backtrace: term.path)
        }
        guard count <= Int64(context.arrayLimit) else { throw .arrayLimit(context.arrayLimit) }
        let source = try eval(term.args[0], env)
        let rows = try stream(of: source, term: term.args[0])
        var chosen: [Document] = []
        var seen = 0
        while let row = try rows.next() {
            seen += 1
            if chosen.count < Int(count) {
                chosen.append(row)
            } else {
                let slot = Int.random(in: 0..<seen)
                if slot < Int(count) { chosen[slot] = row }
            }
        }
        chosen.shuffle()
        return try sameKind(as: source, .array(chosen, cancellation: context.cancellation))
    }

    /// `has_fields` on an object tests it; on a sequence it keeps the rows that have the fields.
    private func hasFields(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        let source = try eval(term.args[0], env)
        var paths: [Document] = []
        for argument in term.args.dropFirst() { paths.append(try datum(argument, env)) }
        // RethinkDB builds the whole path spec before it reads a row, so a bad part of it fails
        // even where an earlier part already decides the answer.
        for path in paths { try Self.validatePath(path, term: term) }
        var single: Document?
        if case .datum(let value) = source, case .object = value { single = value }
        if case .singleSelection(_, _, let row) = source, case .object? = row { single = row }
        if let single {
            if single.objectValue?.reqlType != nil {
                throw .runtime(.queryLogic, "Cannot call `has_fields` on objects of type `\(single.typeName)`.", backtrace: term.args[0].path)
            }
            return .datum(.bool(try Self.hasPaths(single, paths, term: term)))
        }
        guard source.isSequence else {
            let value = try datum(of: source, term: term.args[0])
            throw .runtime(value.isNull ? .nonExistence : .queryLogic,
                           "Cannot perform has_fields on a non-object non-sequence `\(value.truncatedPrettyPrinted)`.", backtrace: term.args[0].path)
        }
        let rows = try stream(of: source, term: term.args[0]).filter { (row: Document) throws(ReqlError) -> Bool in
            try Self.hasPaths(row, paths, term: term)
        }
        return try sameKind(as: source, rows)
    }

    /// RethinkDB's `contains(datum, pathspec)`: each field there and not null, nested specs
    /// within nested objects.
    static func hasPaths(_ value: Document, _ paths: [Document], term: Term) throws(ReqlError) -> Bool {
        for path in paths where !(try hasPath(value, path, term: term)) { return false }
        return true
    }

    private static func validatePath(_ path: Document, term: Term) throws(ReqlError) {
        switch path {
        case .string: return
        case .array(let paths):
            for path in paths { try validatePath(path, term: term) }
        case .object(let nested):
            for (_, spec) in nested where spec != .bool(true) { try validatePath(spec, term: term) }
        default:
            throw .runtime(.queryLogic, "Invalid path argument `\(path.prettyPrinted)`.", backtrace: term.path)
        }
    }

    private static func hasPath(_ value: Document, _ path: Document, term: Term) throws(ReqlError) -> Bool {
        switch path {
        case .string(let name):
            guard case .object(let object) = value, let field = object[name] else { return false }
            return !field.isNull
        case .array(let paths):
            return try hasPaths(value, paths, term: term)
        case .object(let nested):
            for (name, spec) in nested {
                if case .bool(true) = spec {
                    if !(try hasPath(value, .string(name), term: term)) { return false }
                    continue
                }
                guard case .object(let object) = value, let field = object[name] else { return false }
                if !(try hasPath(field, spec, term: term)) { return false }
            }
            return true
        default:
            throw .runtime(.queryLogic, "Invalid path argument `\(path.prettyPrinted)`.", backtrace: term.path)
        }
    }
}
