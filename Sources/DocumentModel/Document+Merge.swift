extension Document {
    /// RethinkDB's `merge`: the fields of `patch` are written over this document's, recursing
    /// where both sides hold an object. Arrays are replaced, not concatenated, and a `null` in
    /// the patch is stored as `null` (it does not remove the field, unlike SQLite's `json_patch`,
    /// which follows RFC 7396).
    ///
    /// ```swift
    /// let old: Document = ["id": 1, "address": ["city": "Paris", "zip": "75001"]]
    /// old.merging(["address": ["city": "Lyon"], "note": .null])
    /// // {"address":{"city":"Lyon","zip":"75001"},"id":1,"note":null}
    /// ```
    ///
    /// When either side is not an object, the result is `patch`.
    public func merging(_ patch: Document) -> Document {
        guard case .object(var base) = self, case .object(let changes) = patch else {
            return patch
        }
        for index in changes.keys.indices {
            let key = changes.keys[index]
            let value = changes.values[index]
            if let existing = base[key], case .object = existing, case .object = value {
                base[key] = existing.merging(value)
            } else {
                base[key] = value
            }
        }
        return .object(base)
    }
}
