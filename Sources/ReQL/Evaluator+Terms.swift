import DocumentModel

extension Evaluator {
    /// The terms of strings, arrays, types, control and bit arithmetic, tried before the
    /// older datum and sequence groups; nil when none of them is the term.
    func extendedOperation(_ term: Term, _ env: Environment) throws(ReqlError) -> Value? {
        switch term.type {
        case .random: return try random(term, env)
        case .fold: return try fold(term, env)
        case .grant: return try grant(term, env)
        case .setWriteHook, .getWriteHook: return try writeHookOperation(term, env)
        default: break
        }
        if let value = try controlOperation(term, env) { return value }
        if let value = try stringOperation(term, env) { return value }
        if let value = try typeOperation(term, env) { return value }
        if let value = try arrayOperation(term, env) { return value }
        if let value = try unionOperation(term, env) { return value }
        if let value = try bitOperation(term, env) { return value }
        if let value = try geoOperation(term, env) { return value }
        return try constructorOperation(term, env)
    }
}
