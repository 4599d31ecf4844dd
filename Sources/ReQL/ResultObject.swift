import DocumentModel

/// A `for_each` result that is a plain object rather than a library write: `db_create`'s
/// `{dbs_created, config_changes}`, `table_create`'s, or a write's result that came through
/// `r.branch` as a datum. RethinkDB adds these up with `stats_merge`: numbers add, arrays
/// concatenate (within the array limit), and any other field keeps its first value.
///
/// Library write results merge with the library's own `WriteResult.merge`; this is the rule
/// for everything else, and for a library result meeting a plain object.
package struct ResultObject: WriteSummary {
    package let document: Document
    let arrayLimit: Int

    package init(_ document: Document, arrayLimit: Int) {
        self.document = document
        self.arrayLimit = arrayLimit
    }

    package func merged(with other: any WriteSummary) -> any WriteSummary {
        guard case .object(var result) = document, case .object(let more) = other.document else { return self }
        for (key, value) in more {
            switch (result[key], value) {
            case (.number(let a)?, .number(let b)): result[key] = .number(a + b)
            case (.array(let a)?, .array(let b)): result[key] = .array(Array((a + b).prefix(arrayLimit)))
            case (.some, _): break
            case (.none, _): result[key] = value
            }
        }
        return ResultObject(.object(result), arrayLimit: arrayLimit)
    }
}
