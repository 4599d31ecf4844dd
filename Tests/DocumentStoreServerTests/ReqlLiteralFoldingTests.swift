import DocumentStore
import ReQL
import Testing

/// Object literals made only of data are compiled into one value (`LiteralFolding`): every
/// answer, error and backtrace must be the one the literal's MAKE_OBJ and MAKE_ARRAY terms give.
@Suite("Object literals folded into values when a query compiles")
struct ReqlLiteralFoldingTests {
    /// The query's outcome with the literal's terms compiled as they come or folded.
    static func outcome(_ wire: String, folding: Bool, optargs: String = "{}") throws -> Result<Document, ReqlError> {
        let json = try Document(parsing: wire)
        let globals = try #require(try Document(parsing: optargs).objectValue)
        return Result { () throws(ReqlError) -> Document in
            let term = try Term.compile(json, foldingLiterals: folding)
            let context = try Query.makeContext(globals, tables: NoTableAccess(), cancellation: CancellationToken())
            let evaluator = Evaluator(context: context)
            return try evaluator.datum(of: try evaluator.eval(term, Environment()), term: term)
        }
    }

    static let dataOnly = [
        #"{"a":1,"b":"two","c":null,"d":true}"#,
        #"{"nested":{"deeper":{"x":[2,[1,2,3]]}},"tags":[2,["a","b"]]}"#,
        #"{"rows":[2,[{"id":1},{"id":2,"list":[2,[[2,[1]],[2,[]]]]}]]}"#,
        #"{}"#,
        #"{"empty":[2,[]],"ünïcode":"✓"}"#,
    ]

    @Test("A literal made only of data compiles to one value, the one its terms evaluate to", arguments: dataOnly)
    func foldsData(_ wire: String) throws {
        let json = try Document(parsing: wire)
        let folded = try Term.compile(json, foldingLiterals: true)
        #expect(folded.type == .datum)
        #expect(try Self.outcome(wire, folding: true) == Self.outcome(wire, folding: false))
        // Shown or stored, it is the literal the driver sent.
        #expect(folded.wireForm == json)
    }

    static let notOnlyData = [
        // Pseudotypes are checked and converted by MAKE_OBJ.
        #"{"when":{"$reql_type$":"TIME","epoch_time":1,"timezone":"+01:00"}}"#,
        #"{"bad":{"$reql_type$":"TIME","epoch_time":"soon"}}"#,
        #"{"blob":{"$reql_type$":"BINARY","data":"not base64!"}}"#,
        // Terms other than MAKE_ARRAY, and a MAKE_ARRAY with optional arguments.
        #"{"sum":[24,[1,2]]}"#,
        #"{"lit":[137,[{"a":1}]]}"#,
        #"{"row":[2,[1],{"x":1}]}"#,
        #"{"datum":[1,[[1,2]]]}"#,
    ]

    @Test("A literal with pseudotypes or other terms inside is compiled term by term", arguments: notOnlyData)
    func leavesTerms(_ wire: String) throws {
        let folded = try? Term.compile(try Document(parsing: wire), foldingLiterals: true)
        #expect(folded == nil || folded?.type == .makeObject)
        let unfolded = try Self.outcome(wire, folding: false)
        let withFolding = try Self.outcome(wire, folding: true)
        #expect(withFolding == unfolded)
    }

    @Test("Over the query's array limit, a folded literal fails where its terms fail", arguments: [
        (#"{"a":{"b":[2,[1,2,3]]}}"#, 2, ["a", "b"]),
        (#"{"a":[2,[[2,[1,2,3,4]]]],"b":[2,[1,2]]}"#, 3, ["a", 0]),
    ] as [(String, Int, [Document])])
    func arrayLimit(_ wire: String, limit: Int, backtrace: [Document]) throws {
        let optargs = #"{"array_limit":\#(limit)}"#
        let unfolded = try Self.outcome(wire, folding: false, optargs: optargs)
        let folded = try Self.outcome(wire, folding: true, optargs: optargs)
        guard case .failure(let error) = folded else {
            Issue.record("no error over the array limit: \(folded)")
            return
        }
        #expect(error.message.hasPrefix("Array over size limit `\(limit)`."))
        #expect(error.backtrace == backtrace)
        #expect(folded == unfolded)
        // Within the limit, the same literal is a value.
        #expect(try Self.outcome(wire, folding: true) == Self.outcome(wire, folding: false))
    }
}
