import DocumentModel

extension Evaluator {
    /// `r.object`, `r.binary`, `keys` and `values`, and the pseudotype check of object
    /// literals; nil for other terms.
    func constructorOperation(_ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        switch term.type {
        case .object:
            guard term.args.count % 2 == 0 else {
                throw .runtime(.queryLogic, "OBJECT expects an even number of arguments (but found \(term.args.count)).", backtrace: term.path)
            }
            var object = DocumentObject()
            var index = 0
            while index < term.args.count {
                let key = try string(term.args[index], env)
                let value = try datum(term.args[index + 1], env)
                if let existing = object[key] {
                    throw .runtime(.queryLogic, "Duplicate key \(Document.string(key).prettyPrinted) in object.  (got \(existing.truncatedPrettyPrinted) and \(value.truncatedPrettyPrinted) as values)", backtrace: term.path)
                }
                object[key] = value
                index += 2
            }
            return .datum(try Binary.sanitize(.object(object)))
        case .binary:
            let value = try datum(term.args[0], env)
            if Binary.isBinary(value) { return .datum(value) }
            guard case .string(let text) = value else { throw typeError("STRING", found: value.typeName, term.args[0]) }
            return .datum(Binary.make(Array(text.utf8)))
        case .keys, .values:
            let value = try datum(term.args[0], env)
            guard case .object(let object) = value, object.reqlType == nil else {
                throw .runtime(value.isNull ? .nonExistence : .queryLogic,
                               "Cannot call `\(term.type == .keys ? "keys" : "values")` on objects of type `\(value.typeName)`.", backtrace: term.args[0].path)
            }
            return .datum(.array(term.type == .keys ? object.keys.map(Document.string) : object.values))
        default:
            return nil
        }
    }
}
