import DocumentModel

extension Evaluator {
    /// `bracket` (`r.row['a']`, `seq[0]`) and `get_field`. On a sequence they take the field of
    /// every row and leave out the rows that lack it, as RethinkDB does (a `concat_map` of
    /// `[row(field)].default([])`).
    func field(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        let target = try eval(term.args[0], env)
        let key = try datum(term.args[1], env)
        let name = term.type == .bracket ? "bracket" : "get_field"
        switch key {
        case .number(let number) where term.type == .bracket:
            return try nth(target, index: try integer(of: number, term: term.args[1]), term: term)
        case .string(let fieldName):
            return try field(fieldName, of: target, operation: name, term: term)
        default:
            let message = term.type == .bracket
                ? "Expected NUMBER or STRING as second argument to `bracket` but found \(key.typeName)."
                : "Expected type STRING but found \(key.typeName)."
            throw .runtime(key.isNull ? .nonExistence : .queryLogic, message, backtrace: term.args[1].path)
        }
    }

    private func field(_ name: String, of target: Value, operation: String, term: Term) throws(ReqlError) -> Value {
        let value = target.datumValue
        if let value, case .object = value {
            return .datum(try Self.field(name, of: value, operation: operation, term: term))
        }
        guard value == nil || value?.arrayValue != nil, target.isSequence else {
            let shown = value ?? .null
            throw .runtime(shown.isNull ? .nonExistence : .queryLogic,
                           "Cannot perform \(operation) on a non-object non-sequence `\(shown.truncatedPrettyPrinted)`.", backtrace: term.args[0].path)
        }
        let rows = try stream(of: target, term: term.args[0]).concatMap { (row: Document) throws(ReqlError) -> RowStream in
            guard row.arrayValue == nil else {
                throw .runtime(.queryLogic, "Cannot perform \(operation) on a sequence of sequences.", backtrace: term.path)
            }
            do throws(ReqlError) {
                let field = try Self.field(name, of: row, operation: operation, term: term)
                return .array([field], cancellation: self.context.cancellation)
            } catch where error.errorType == .nonExistence {
                return .array([], cancellation: self.context.cancellation)
            }
        }
        if case .datum = target { return .datum(.array(try rows.collect(limit: context.arrayLimit))) }
        return .stream(rows)
    }

    /// One object's field, with RethinkDB's errors for a missing field and for values that
    /// have no fields (pseudotypes such as times have none to ReQL).
    static func field(_ name: String, of value: Document, operation: String, term: Term) throws(ReqlError) -> Document {
        guard case .object(let object) = value else {
            throw .runtime(value.isNull ? .nonExistence : .queryLogic,
                           "Cannot perform \(operation) on a non-object non-sequence `\(value.truncatedPrettyPrinted)`.", backtrace: term.args[0].path)
        }
        if object.reqlType != nil {
            throw .runtime(.queryLogic, "Cannot call `\(operation)` on objects of type `\(value.typeName)`.", backtrace: term.args[0].path)
        }
        guard let field = object[name] else {
            throw .runtime(.nonExistence, "No attribute `\(name)` in object:\n\(value.prettyPrinted)", backtrace: term.path)
        }
        return field
    }
}
