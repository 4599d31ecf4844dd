import DocumentModel

/// Where a `grant` applies: the whole server, one database or one table.
///
/// RethinkDB keeps one set of permissions per user at each scope; a table's permissions win
/// over its database's, and those over the global ones (except in the `rethinkdb` database,
/// which inherits nothing from the global scope).
package enum GrantScope: Sendable {
    /// `r.grant(user, {...})`; the only scope where `connect` is valid.
    case global
    /// `r.db(name).grant(user, {...})`.
    case database(DatabaseRef)
    /// `r.table(name).grant(user, {...})`.
    case table(TableRef)
}

extension TableAccess {
    /// Storage that keeps no users (index functions, tests) cannot grant anything.
    package func grant(_ user: String, permissions: Document, scope: GrantScope) throws(ReqlError) -> Document {
        throw .runtime(.opFailed, "Users and permissions are not available here.")
    }
}

extension Evaluator {
    /// `grant`: `[scope,] user, permissions`. The user name and the permissions are evaluated
    /// before the scope, in RethinkDB's order (`grant_term_t` reads its last two arguments
    /// first), so a bad permission object is reported even on a scope that fails later.
    func grant(_ term: Term, _ env: Environment) throws(ReqlError) -> Value {
        try arity(term, 2...3)
        let count = term.args.count
        let user = try string(term.args[count - 2], env)
        let permissions = try datum(term.args[count - 1], env)
        guard count == 3 else {
            return .datum(try context.tables.grant(user, permissions: permissions, scope: .global))
        }
        let value = try eval(term.args[0], env)
        switch value {
        case .database(let database):
            return .datum(try context.tables.grant(user, permissions: permissions, scope: .database(database)))
        case .table(let table):
            return .datum(try context.tables.grant(user, permissions: permissions, scope: .table(table)))
        default:
            throw valueTypeError("TABLE", value, term.args[0])
        }
    }
}
