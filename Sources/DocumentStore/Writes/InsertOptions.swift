import DocumentModel
/// The options of one insert call, checked before any document is looked at (RethinkDB
/// evaluates its optargs first, so a bad option fails the call with nothing written).
struct InsertOptions: Sendable {
    var conflict: ConflictStrategy
    var durability: Durability?
    var returnChanges: ReturnChanges
    var returnValues: Bool

    init(conflict: ConflictStrategy?, durability: Durability?, returnChanges: ReturnChanges?,
         upsert: Bool?, returnValues: Bool?) throws {
        if let upsert {
            if conflict != nil {
                throw DocumentStoreError(.compile, "Cannot use both `upsert` (RethinkDB 1.x) and `conflict`: `upsert: true` is `conflict: .replace`, `upsert: false` is `conflict: .error`.")
            }
            self.conflict = upsert ? .replace : .error
        } else {
            self.conflict = conflict ?? .error
        }
        if returnValues != nil && returnChanges != nil {
            throw DocumentStoreError(.compile, "Cannot use both `return_vals` (RethinkDB 1.x) and `return_changes`: use `return_changes`.")
        }
        self.durability = durability
        self.returnChanges = returnChanges ?? .off
        self.returnValues = returnValues ?? false
    }

    static let multiRowReturnValues = "Optarg RETURN_VALS is invalid for multi-row inserts."
}
