import DocumentModel

extension Term {
    /// Where a term sits in the query, for the placement rules RethinkDB checks while it
    /// compiles (`term_walker.cc`): writes may not hide inside the functions of stream
    /// operations (they would run once per row, unbatched and unordered), and `asc`/`desc`
    /// only mean something to `order_by` and `union`.
    struct Placement {
        var writesLegal = true
        var parent: TermType?
        var grandparent: TermType?

        /// The placement of an argument (or, with a nil index, an optarg) of a `type` term.
        /// Only a stream operation's first argument (its input) keeps writes legal.
        func entering(_ type: TermType, argumentIndex: Int?) -> Placement {
            Placement(writesLegal: writesLegal && (argumentIndex == 0 || !type.forbidsWritesInArguments),
                      parent: type, grandparent: parent)
        }

        func check(_ type: TermType, path: [Document]) throws(ReqlError) {
            if type == .asc || type == .desc {
                let allowed = parent == .orderBy || parent == .union || (parent == .makeArray && grandparent == .union)
                guard allowed else {
                    throw .compile("\(type == .asc ? "ASC" : "DESC") may only be used as an argument to ORDER_BY or UNION.", backtrace: path)
                }
            }
            if type.isWriteOrMeta && !writesLegal {
                throw .compile("Cannot nest writes or meta ops in stream operations.  Use FOR_EACH instead.", backtrace: path)
            }
        }
    }
}
