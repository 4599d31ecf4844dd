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
        /// How many one-parameter functions enclose the term: `r.row` means the parameter of
        /// exactly one (`var_visibility_t::implicit_depth`).
        var implicitDepth = 0

        /// The placement of an argument (or, with a nil index, an optarg) of a `type` term.
        /// Only a stream operation's first argument (its input) keeps writes legal.
        func entering(_ type: TermType, argumentIndex: Int?) -> Placement {
            Placement(writesLegal: writesLegal && (argumentIndex == 0 || !type.forbidsWritesInArguments),
                      parent: type, grandparent: parent, implicitDepth: implicitDepth)
        }

        /// The placement of a function's body: one level deeper for `r.row` when the function
        /// takes one parameter.
        func enteringBody(of function: Document) -> Placement {
            var inner = entering(.function, argumentIndex: 1)
            if case .array(let form) = function, form.count >= 2, case .array(let arguments) = form[1],
               let parameters = arguments.first, Self.parameterCount(parameters) == 1 {
                inner.implicitDepth += 1
            }
            return inner
        }

        /// The parameter list of a FUNC, sent as MAKE_ARRAY of numbers or as an array datum.
        private static func parameterCount(_ list: Document) -> Int? {
            guard case .array(let form) = list, form.count >= 2, case .array(let elements) = form[1] else { return nil }
            switch form[0] {
            case .number(2): return elements.count
            case .number(1): return elements.first?.arrayValue?.count
            default: return nil
            }
        }

        func check(_ type: TermType, path: [Document]) throws(ReqlError) {
            if type == .asc || type == .desc {
                let allowed = parent == .orderBy || parent == .union || (parent == .makeArray && grandparent == .union)
                guard allowed else {
                    throw .compile("\(type == .asc ? "ASC" : "DESC") may only be used as an argument to ORDER_BY or UNION.", backtrace: path)
                }
            }
            if type == .implicitVar && implicitDepth != 1 {
                throw .compile(implicitDepth == 0 ? "r.row is not defined in this context."
                                                  : "Cannot use r.row in nested queries.  Use functions instead.", backtrace: path)
            }
            if type.isWriteOrMeta && !writesLegal {
                throw .compile("Cannot nest writes or meta ops in stream operations.  Use FOR_EACH instead.", backtrace: path)
            }
        }
    }
}
