import ReQL
import Testing

@testable import DocumentStoreServer

/// The argument counts of every term.
@Suite("ReQL argument counts")
struct ReqlArityTests {
    /// RethinkDB's own test queries for these terms, with the answers its YAML files give
    /// (generated from `test/rql_test/src` through the official Python driver, which also gives
    /// the wire JSON).
    static let rethinkDBCases: [ReqlCase] = [
        // arity (57 cases, from test/rql_test/src/arity.yaml)
        ReqlCase(#"r.db_list(1)"#, #"[59,[1]]"#, error: .compile, #"Expected 0 arguments but found 1."#),
        ReqlCase(#"obj.keys(1)"#, #"[94,[{"a":1},1]]"#, error: .compile, #"Expected 1 argument but found 2."#),
        ReqlCase(#"r.db_create()"#, #"[57,[]]"#, error: .compile, #"Expected 1 argument but found 0."#),
        ReqlCase(#"r.db_drop()"#, #"[58,[]]"#, error: .compile, #"Expected 1 argument but found 0."#),
        ReqlCase(#"r.db()"#, #"[14,[]]"#, error: .compile, #"Expected 1 argument but found 0."#),
        ReqlCase(#"r.floor()"#, #"[183,[]]"#, error: .compile, #"Expected 1 argument but found 0."#),
        ReqlCase(#"r.ceil()"#, #"[184,[]]"#, error: .compile, #"Expected 1 argument but found 0."#),
        ReqlCase(#"r.round()"#, #"[185,[]]"#, error: .compile, #"Expected 1 argument but found 0."#),
        ReqlCase(#"r.error()"#, #"[12,[]]"#, error: .queryLogic, #"Empty ERROR term outside a default block."#),
        ReqlCase(#"array.append()"#, #"[29,[[2,[1]]]]"#, error: .compile, #"Expected 2 arguments but found 1."#),
        ReqlCase(#"array.prepend()"#, #"[80,[[2,[1]]]]"#, error: .compile, #"Expected 2 arguments but found 1."#),
        ReqlCase(#"array.difference()"#, #"[95,[[2,[1]]]]"#, error: .compile, #"Expected 2 arguments but found 1."#),
        ReqlCase(#"array.set_insert()"#, #"[88,[[2,[1]]]]"#, error: .compile, #"Expected 2 arguments but found 1."#),
        ReqlCase(#"array.set_union()"#, #"[90,[[2,[1]]]]"#, error: .compile, #"Expected 2 arguments but found 1."#),
        ReqlCase(#"array.set_intersection()"#, #"[89,[[2,[1]]]]"#, error: .compile, #"Expected 2 arguments but found 1."#),
        ReqlCase(#"array.set_difference()"#, #"[91,[[2,[1]]]]"#, error: .compile, #"Expected 2 arguments but found 1."#),
        ReqlCase(#"r.expr([]).sample()"#, #"[81,[[2,[]]]]"#, error: .compile, #"Expected 2 arguments but found 1."#),
        ReqlCase(#"r.db_create(1,2)"#, #"[57,[1,2]]"#, error: .compile, #"Expected 1 argument but found 2."#),
        ReqlCase(#"r.db_drop(1,2)"#, #"[58,[1,2]]"#, error: .compile, #"Expected 1 argument but found 2."#),
        ReqlCase(#"r.db(1,2)"#, #"[14,[1,2]]"#, error: .compile, #"Expected 1 argument but found 2."#),
        ReqlCase(#"r.floor(1, 2)"#, #"[183,[1,2]]"#, error: .compile, #"Expected 1 argument but found 2."#),
        ReqlCase(#"r.ceil(1, 2)"#, #"[184,[1,2]]"#, error: .compile, #"Expected 1 argument but found 2."#),
        ReqlCase(#"r.round(1, 2)"#, #"[185,[1,2]]"#, error: .compile, #"Expected 1 argument but found 2."#),
        ReqlCase(#"r.error(1, 2)"#, #"[12,[1,2]]"#, error: .compile, #"Expected between 0 and 1 arguments but found 2."#),
        ReqlCase(#"db.table_drop()"#, #"[61,[[14,["test"]]]]"#, error: .queryLogic, #"Expected type DATUM but found DATABASE:"#),
        ReqlCase(#"db.table_create()"#, #"[60,[[14,["test"]]]]"#, error: .queryLogic, #"Expected type DATUM but found DATABASE:"#),
        ReqlCase(#"array.append(1,2)"#, #"[29,[[2,[1]],1,2]]"#, error: .compile, #"Expected 2 arguments but found 3."#),
        ReqlCase(#"array.prepend(1,2)"#, #"[80,[[2,[1]],1,2]]"#, error: .compile, #"Expected 2 arguments but found 3."#),
        ReqlCase(#"array.difference([], [])"#, #"[95,[[2,[1]],[2,[]],[2,[]]]]"#, error: .compile, #"Expected 2 arguments but found 3."#),
        ReqlCase(#"array.set_insert(1,2)"#, #"[88,[[2,[1]],1,2]]"#, error: .compile, #"Expected 2 arguments but found 3."#),
        ReqlCase(#"array.set_union([1],[2])"#, #"[90,[[2,[1]],[2,[1]],[2,[2]]]]"#, error: .compile, #"Expected 2 arguments but found 3."#),
        ReqlCase(#"array.set_intersection([1],[2])"#, #"[89,[[2,[1]],[2,[1]],[2,[2]]]]"#, error: .compile, #"Expected 2 arguments but found 3."#),
        ReqlCase(#"array.set_difference([1],[2])"#, #"[91,[[2,[1]],[2,[1]],[2,[2]]]]"#, error: .compile, #"Expected 2 arguments but found 3."#),
        ReqlCase(#"r.expr([]).sample(1,2)"#, #"[81,[[2,[]],1,2]]"#, error: .compile, #"Expected 2 arguments but found 3."#),
        ReqlCase(#"db.table_drop(1,2)"#, #"[61,[[14,["test"]],1,2]]"#, error: .compile, #"Expected between 1 and 2 arguments but found 3."#),
        ReqlCase(#"r.expr([]).delete_at()"#, #"[83,[[2,[]]]]"#, error: .compile, #"Expected between 2 and 3 arguments but found 1."#),
        ReqlCase(#"db.table_create(1,2)"#, #"[60,[[14,["test"]],1,2]]"#, error: .compile, #"Expected between 1 and 2 arguments but found 3."#),
        ReqlCase(#"db.table()"#, #"[15,[[14,["test"]]]]"#, error: .queryLogic, #"Expected type DATUM but found DATABASE:"#),
        ReqlCase(#"r.expr([]).insert_at()"#, #"[82,[[2,[]]]]"#, error: .compile, #"Expected 3 arguments but found 1."#),
        ReqlCase(#"r.expr([]).splice_at()"#, #"[85,[[2,[]]]]"#, error: .compile, #"Expected 3 arguments but found 1."#),
        ReqlCase(#"r.expr([]).change_at()"#, #"[84,[[2,[]]]]"#, error: .compile, #"Expected 3 arguments but found 1."#),
        ReqlCase(#"r.expr([]).insert_at(1)"#, #"[82,[[2,[]],1]]"#, error: .compile, #"Expected 3 arguments but found 2."#),
        ReqlCase(#"r.expr([]).splice_at(1)"#, #"[85,[[2,[]],1]]"#, error: .compile, #"Expected 3 arguments but found 2."#),
        ReqlCase(#"r.expr([]).change_at(1)"#, #"[84,[[2,[]],1]]"#, error: .compile, #"Expected 3 arguments but found 2."#),
        ReqlCase(#"r.expr([]).insert_at(1, 2, 3)"#, #"[82,[[2,[]],1,2,3]]"#, error: .compile, #"Expected 3 arguments but found 4."#),
        ReqlCase(#"r.expr([]).splice_at(1, 2, 3)"#, #"[85,[[2,[]],1,2,3]]"#, error: .compile, #"Expected 3 arguments but found 4."#),
        ReqlCase(#"r.expr([]).change_at(1, 2, 3)"#, #"[84,[[2,[]],1,2,3]]"#, error: .compile, #"Expected 3 arguments but found 4."#),
        ReqlCase(#"r.branch(1,2)"#, #"[65,[1,2]]"#, error: .compile, #"Expected 3 or more arguments but found 2."#),
        ReqlCase(#"r.branch(1,2,3,4)"#, #"[65,[1,2,3,4]]"#, error: .queryLogic, #"Cannot call `branch` term with an even number of arguments."#),
        ReqlCase(#"r.expr({})[1,2]"#, #"[170,[{},[2,[1,2]]]]"#, error: .queryLogic, #"Expected NUMBER or STRING as second argument to `bracket` but found ARRAY."#),
        ReqlCase(#"r.branch(true, 1, r.error("a"))"#, #"[65,[true,1,[12,["a"]]]]"#, #"1"#),
        ReqlCase(#"r.branch(r.args([true, 1]), r.error("a"))"#, #"[65,[[154,[[2,[true,1]]]],[12,["a"]]]]"#, #"1"#),
        ReqlCase(#"r.expr(true).branch(1, 2)"#, #"[65,[true,1,2]]"#, #"1"#),
        ReqlCase(#"r.branch(r.args([true, 1, r.error("a")]))"#, #"[65,[[154,[[2,[true,1,[12,["a"]]]]]]]]"#, error: .user, #"a"#),
        ReqlCase(#"r.expr({'a':{'b':1}}).merge(r.args([{'a':r.literal({'c':1})}]))"#, #"[35,[{"a":{"b":1}},[154,[[2,[{"a":[137,[{"c":1}]]}]]]]]]"#, #"{"a": {"c": 1}}"#),
        ReqlCase(#"r.now('foo')"#, #"[103,["foo"]]"#, error: .compile, #"Expected 0 arguments but found 1."#),
        ReqlCase(#"r.now(r.args([1,2,3]))"#, #"[103,[[154,[[2,[1,2,3]]]]]]"#, error: .queryLogic, #"Expected 0 arguments but found 3."#)
    ]

    @Test("RethinkDB's arity tests give RethinkDB's answers", arguments: rethinkDBCases)
    func rethinkDBCase(_ testCase: ReqlCase) async throws {
        try await testCase.check()
    }
}
