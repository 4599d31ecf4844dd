import DocumentModel

/// The options of an insert: RethinkDB's `conflict`, `durability`, `return_changes` and
/// `array_limit`, or the 1.x reference page's `upsert` and `return_vals`, as one value.
///
/// The two APIs cannot be mixed: the initialisers take one set or the other, so a combination
/// RethinkDB refuses (`upsert` with `conflict`, `return_vals` with `return_changes`) does not
/// compile.
///
/// ```swift
/// let options = InsertOptions(conflict: .update, durability: .soft, returnChanges: .on)
/// try await marvel.insert(json: bytes, options: options)
/// try await marvel.insert(json: bytes, options: .legacy(upsert: true))   // the 1.x API
/// ```
///
/// Most calls do not name the type at all: `insert(_:conflict:durability:returnChanges:)` and
/// `insert(_:upsert:durability:returnValues:)` build it.
public struct InsertOptions: Sendable {
    /// What to do when a document's key is already stored.
    public var conflict: ConflictStrategy
    /// `.hard` or `.soft`; the table's default when nil.
    public var durability: Durability?
    /// Which `{old_val, new_val}` pairs the result reports.
    public var returnChanges: ReturnChanges
    /// The most entries the result's arrays hold, and the most documents one call takes.
    public var arrayLimit: Int
    /// The 1.x `return_vals`: `old_val`/`new_val` of the single document at the top level.
    public private(set) var returnValues: Bool

    /// RethinkDB's later API (2.x): `conflict`, `durability`, `return_changes`, `array_limit`.
    public init(conflict: ConflictStrategy = .error, durability: Durability? = nil,
                returnChanges: ReturnChanges = .off, arrayLimit: Int = ArrayLimit.default) {
        self.conflict = conflict
        self.durability = durability
        self.returnChanges = returnChanges
        self.arrayLimit = arrayLimit
        self.returnValues = false
    }

    /// The 1.x API of the reference page: `upsert: true` replaces a stored document with the
    /// same key (`conflict: .replace`), `false` reports it as a duplicate (`conflict: .error`);
    /// `returnValues` puts the single document's `old_val` and `new_val` at the top level.
    public static func legacy(upsert: Bool = false, durability: Durability? = nil,
                              returnValues: Bool = false) -> InsertOptions {
        var options = InsertOptions(conflict: upsert ? .replace : .error, durability: durability)
        options.returnValues = returnValues
        return options
    }

    /// Options as a front end receives them, any of them absent: the server's optargs, the
    /// CLI's flags. Pairs that the typed initialisers keep apart are refused here with the
    /// errors RethinkDB gives, so every front end words them the same.
    ///
    /// ```swift
    /// let options = try InsertOptions.combining(conflict: nil, durability: .soft, returnChanges: nil,
    ///                                           upsert: true, returnValues: nil)   // .legacy(upsert: true, ...)
    /// ```
    ///
    /// - Throws: `DocumentStoreError` (`.compile`) for `upsert` with `conflict`, or
    ///   `returnValues` with `returnChanges`.
    public static func combining(conflict: ConflictStrategy?, durability: Durability?, returnChanges: ReturnChanges?,
                                 upsert: Bool?, returnValues: Bool?,
                                 arrayLimit: Int = ArrayLimit.default) throws -> InsertOptions {
        if upsert != nil && conflict != nil {
            throw DocumentStoreError(.compile, "Cannot use both `upsert` (RethinkDB 1.x) and `conflict`: `upsert: true` is `conflict: .replace`, `upsert: false` is `conflict: .error`.")
        }
        if returnValues != nil && returnChanges != nil {
            throw DocumentStoreError(.compile, "Cannot use both `return_vals` (RethinkDB 1.x) and `return_changes`: use `return_changes`.")
        }
        var options = InsertOptions(conflict: conflict ?? .error, durability: durability,
                                    returnChanges: returnChanges ?? .off, arrayLimit: arrayLimit)
        if let upsert { options.conflict = upsert ? .replace : .error }
        options.returnValues = returnValues ?? false
        return options
    }

    /// Checks what no initialiser can: a bad `arrayLimit`. Called before any input is read.
    func validate() throws {
        guard arrayLimit >= 1 else {
            throw DocumentStoreError(.queryLogic, ArrayLimit.illegalMessage(String(arrayLimit)))
        }
    }

    /// `returnValues` is for one document; known once the input has been read.
    func checkReturnValues(isArray: Bool) throws {
        if returnValues && isArray {
            throw DocumentStoreError(.queryLogic, Self.multiRowReturnValues)
        }
    }

    static let multiRowReturnValues = "Optarg RETURN_VALS is invalid for multi-row inserts."
}
