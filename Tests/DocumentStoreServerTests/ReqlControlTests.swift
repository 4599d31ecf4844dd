import ReQL
import Testing

@testable import DocumentStoreServer

/// `r.do`, `branch`, `default`, `r.error`, `r.args`, `for_each` and `r.uuid`.
@Suite("ReQL control terms")
struct ReqlControlTests {
    /// RethinkDB's own test queries for these terms, with the answers its YAML files give
    /// (generated from `test/rql_test/src` through the official Python driver, which also gives
    /// the wire JSON).
    static let rethinkDBCases: [ReqlCase] = [
        // control (41 cases, from test/rql_test/src/control.yaml)
        ReqlCase(#"r.expr(1).do(lambda v: v * 2)"#, #"[64,[[69,[[2,[1]],[26,[[10,[1]],2]]]],1]]"#, #"2"#),
        ReqlCase(#"r.expr([0, 1, 2]).do(lambda v: v.append(3))"#, #"[64,[[69,[[2,[2]],[29,[[10,[2]],3]]]],[2,[0,1,2]]]]"#, #"[0, 1, 2, 3]"#),
        ReqlCase(#"r.do(1, 2, lambda x, y: x + y)"#, #"[64,[[69,[[2,[3,4]],[24,[[10,[3]],[10,[4]]]]]],1,2]]"#, #"3"#),
        ReqlCase(#"r.do(lambda: 1)"#, #"[64,[[69,[[2,[]],1]]]]"#, #"1"#),
        ReqlCase(#"r.do(1, 2, lambda x: x)"#, #"[64,[[69,[[2,[5]],[10,[5]]]],1,2]]"#, error: .queryLogic, #"Expected function with 2 arguments but found function with 1 argument."#),
        ReqlCase(#"r.do(1, 2, 3, lambda x, y: x + y)"#, #"[64,[[69,[[2,[6,7]],[24,[[10,[6]],[10,[7]]]]]],1,2,3]]"#, error: .queryLogic, #"Expected function with 3 arguments but found function with 2 arguments."#),
        ReqlCase(#"r.do(1)"#, #"[64,[1]]"#, #"1"#),
        ReqlCase(#"r.expr('abc').do(lambda v: v.append(3))"#, #"[64,[[69,[[2,[8]],[29,[[10,[8]],3]]]],"abc"]]"#, error: .queryLogic, #"Expected type ARRAY but found STRING."#),
        ReqlCase(#"r.expr('abc').do(lambda v: v + 3)"#, #"[64,[[69,[[2,[9]],[24,[[10,[9]],3]]]],"abc"]]"#, error: .queryLogic, #"Expected type STRING but found NUMBER."#),
        ReqlCase(#"r.expr('abc').do(lambda v: v + 'def') + 3"#, #"[24,[[64,[[69,[[2,[10]],[24,[[10,[10]],"def"]]]],"abc"]],3]]"#, error: .queryLogic, #"Expected type STRING but found NUMBER."#),
        ReqlCase(#"r.expr(0).do(lambda a,b: a + b)"#, #"[64,[[69,[[2,[11,12]],[24,[[10,[11]],[10,[12]]]]]],0]]"#, error: .queryLogic, #"Expected function with 1 argument but found function with 2 arguments."#),
        ReqlCase(#"r.do(1, 2, lambda a: a)"#, #"[64,[[69,[[2,[13]],[10,[13]]]],1,2]]"#, error: .queryLogic, #"Expected function with 2 arguments but found function with 1 argument."#),
        ReqlCase(#"r.expr(5).do(r.row)"#, #"[64,[[69,[[2,[14]],[13,[]]]],5]]"#, #"5"#),
        ReqlCase(#"r.branch(True, 1, 2)"#, #"[65,[true,1,2]]"#, #"1"#),
        ReqlCase(#"r.branch(False, 1, 2)"#, #"[65,[false,1,2]]"#, #"2"#),
        ReqlCase(#"r.branch(1, 'c', False)"#, #"[65,[1,"c",false]]"#, #""c""#),
        ReqlCase(#"r.branch(None, {}, [])"#, #"[65,[null,{},[2,[]]]]"#, #"[]"#),
        ReqlCase(#"r.branch(r.db('test'), 1, 2)"#, #"[65,[[14,["test"]],1,2]]"#, error: .queryLogic, #"Expected type DATUM but found DATABASE:"#),
        ReqlCase(#"r.branch(r.error("a"), 1, 2)"#, #"[65,[[12,["a"]],1,2]]"#, error: .user, #"a"#),
        ReqlCase(#"r.branch([], 1, 2)"#, #"[65,[[2,[]],1,2]]"#, #"1"#),
        ReqlCase(#"r.branch({}, 1, 2)"#, #"[65,[{},1,2]]"#, #"1"#),
        ReqlCase(#"r.branch("a", 1, 2)"#, #"[65,["a",1,2]]"#, #"1"#),
        ReqlCase(#"r.branch(1.2, 1, 2)"#, #"[65,[1.2,1,2]]"#, #"1"#),
        ReqlCase(#"r.branch(True, 1, True, 2, 3)"#, #"[65,[true,1,true,2,3]]"#, #"1"#),
        ReqlCase(#"r.branch(True, 1, False, 2, 3)"#, #"[65,[true,1,false,2,3]]"#, #"1"#),
        ReqlCase(#"r.branch(False, 1, True, 2, 3)"#, #"[65,[false,1,true,2,3]]"#, #"2"#),
        ReqlCase(#"r.branch(False, 1, False, 2, 3)"#, #"[65,[false,1,false,2,3]]"#, #"3"#),
        ReqlCase(#"r.branch(True, 1, True, 2)"#, #"[65,[true,1,true,2]]"#, error: .queryLogic, #"Cannot call `branch` term with an even number of arguments."#),
        ReqlCase(#"r.error('Hello World')"#, #"[12,["Hello World"]]"#, error: .user, #"Hello World"#),
        ReqlCase(#"r.error(5)"#, #"[12,[5]]"#, error: .queryLogic, #"Expected type STRING but found NUMBER."#),
        ReqlCase(#"r.expr([1, 2, 3]).filter()"#, #"[39,[[2,[1,2,3]]]]"#, error: .compile, #"Expected 2 arguments but found 1."#),
        ReqlCase(#"r.expr([1, 2, 3]).filter(1, 2)"#, #"[39,[[2,[1,2,3]],1,2]]"#, error: .compile, #"Expected 2 arguments but found 3."#),
        ReqlCase(#"r.expr([1, 2, 3]).map(1)"#, #"[38,[[2,[1,2,3]],1]]"#, error: .queryLogic, #"Expected type FUNCTION but found DATUM:"#),
        ReqlCase(#"r.expr([1, 2, 3]).filter('foo')"#, #"[39,[[2,[1,2,3]],"foo"]]"#, #"[1, 2, 3]"#),
        ReqlCase(#"r.expr([1, 2, 4]).filter([])"#, #"[39,[[2,[1,2,4]],[2,[]]]]"#, #"[1, 2, 4]"#),
        ReqlCase(#"r.expr([1, 2, 3]).filter(None)"#, #"[39,[[2,[1,2,3]],null]]"#, #"[]"#),
        ReqlCase(#"r.expr([1, 2, 4]).filter(False)"#, #"[39,[[2,[1,2,4]],false]]"#, #"[]"#),
        ReqlCase(#"r.expr([1, 2, 3]).for_each(1)"#, #"[68,[[2,[1,2,3]],1]]"#, error: .queryLogic, #"FOR_EACH expects one or more basic write queries.  Expected type ARRAY but found NUMBER."#),
        ReqlCase(#"r.expr([1, 2, 3]).for_each(lambda x:x)"#, #"[68,[[2,[1,2,3]],[69,[[2,[15]],[10,[15]]]]]]"#, error: .queryLogic, #"FOR_EACH expects one or more basic write queries.  Expected type ARRAY but found NUMBER."#),
        ReqlCase(#"r.expr([1, 2, 3]).for_each(r.row)"#, #"[68,[[2,[1,2,3]],[69,[[2,[16]],[13,[]]]]]]"#, error: .queryLogic, #"FOR_EACH expects one or more basic write queries.  Expected type ARRAY but found NUMBER."#),
        ReqlCase(#"r.expr([1, 2]).map(r.db('test').table_create('table_create_failure'))"#, #"[38,[[2,[1,2]],[60,[[14,["test"]],"table_create_failure"]]]]"#, error: .compile, #"Cannot nest writes or meta ops in stream operations.  Use FOR_EACH instead."#),
        // datum/uuid (6 cases, from test/rql_test/src/datum/uuid.yaml)
        ReqlCase(#"r.type_of(r.uuid())"#, #"[52,[[169,[]]]]"#, #""STRING""#),
        ReqlCase(#"r.uuid().ne(r.uuid())"#, #"[18,[[169,[]],[169,[]]]]"#, #"true"#),
        ReqlCase(#"r.uuid('magic')"#, #"[169,["magic"]]"#, #""97dd10a5-4fc4-554f-86c5-0d2c2e3d5330""#),
        ReqlCase(#"r.uuid('magic').eq(r.uuid('magic'))"#, #"[17,[[169,["magic"]],[169,["magic"]]]]"#, #"true"#),
        ReqlCase(#"r.uuid('magic').ne(r.uuid('beans'))"#, #"[18,[[169,["magic"]],[169,["beans"]]]]"#, #"true"#),
        ReqlCase(#"r.expr([1,2,3,4,5,6,7,8,9,10]).map(lambda u:r.uuid()).distinct().count()"#, #"[43,[[42,[[38,[[2,[1,2,3,4,5,6,7,8,9,10]],[69,[[2,[17]],[169,[]]]]]]]]]]"#, #"10"#),
        // default (41 cases, from test/rql_test/src/default.yaml)
        ReqlCase(#"r.expr(1).default(2)"#, #"[92,[1,2]]"#, #"1"#),
        ReqlCase(#"r.expr(None).default(2)"#, #"[92,[null,2]]"#, #"2"#),
        ReqlCase(#"r.expr({})['b'].default(2)"#, #"[92,[[170,[{},"b"]],2]]"#, #"2"#),
        ReqlCase(#"r.expr(r.expr('a')['b']).default(2)"#, #"[92,[[170,["a","b"]],2]]"#, error: .queryLogic, #"Cannot perform bracket on a non-object non-sequence `"a"`."#),
        ReqlCase(#"(r.expr(None) + 5).default(2)"#, #"[92,[[24,[null,5]],2]]"#, #"2"#),
        ReqlCase(#"(5 + r.expr(None)).default(2)"#, #"[92,[[24,[5,null]],2]]"#, #"2"#),
        ReqlCase(#"(5 - r.expr(None)).default(2)"#, #"[92,[[25,[5,null]],2]]"#, #"2"#),
        ReqlCase(#"(r.expr(None) - 5).default(2)"#, #"[92,[[25,[null,5]],2]]"#, #"2"#),
        ReqlCase(#"(r.expr('a') + 5).default(2)"#, #"[92,[[24,["a",5]],2]]"#, error: .queryLogic, #"Expected type STRING but found NUMBER."#),
        ReqlCase(#"(5 + r.expr('a')).default(2)"#, #"[92,[[24,[5,"a"]],2]]"#, error: .queryLogic, #"Expected type NUMBER but found STRING."#),
        ReqlCase(#"(r.expr('a') - 5).default(2)"#, #"[92,[[25,["a",5]],2]]"#, error: .queryLogic, #"Expected type NUMBER but found STRING."#),
        ReqlCase(#"(5 - r.expr('a')).default(2)"#, #"[92,[[25,[5,"a"]],2]]"#, error: .queryLogic, #"Expected type NUMBER but found STRING."#),
        ReqlCase(#"r.expr(1).default(r.error())"#, #"[92,[1,[12,[]]]]"#, #"1"#),
        ReqlCase(#"r.expr(None).default(r.error())"#, #"[92,[null,[12,[]]]]"#, #"null"#),
        ReqlCase(#"r.expr({})['b'].default(r.error())"#, #"[92,[[170,[{},"b"]],[12,[]]]]"#, error: .nonExistence, #"No attribute `b` in object:"#),
        ReqlCase(#"(r.expr(None) + 5).default(r.error)"#, #"[92,[[24,[null,5]],[69,[[2,[]],[12,[]]]]]]"#, error: .nonExistence, #"Expected type NUMBER but found NULL."#),
        ReqlCase(#"(5 + r.expr(None)).default(r.error)"#, #"[92,[[24,[5,null]],[69,[[2,[]],[12,[]]]]]]"#, error: .nonExistence, #"Expected type NUMBER but found NULL."#),
        ReqlCase(#"(5 - r.expr(None)).default(r.error)"#, #"[92,[[25,[5,null]],[69,[[2,[]],[12,[]]]]]]"#, error: .nonExistence, #"Expected type NUMBER but found NULL."#),
        ReqlCase(#"(r.expr(None) - 5).default(r.error)"#, #"[92,[[25,[null,5]],[69,[[2,[]],[12,[]]]]]]"#, error: .nonExistence, #"Expected type NUMBER but found NULL."#),
        ReqlCase(#"r.expr(1).default(lambda e:e)"#, #"[92,[1,[69,[[2,[18]],[10,[18]]]]]]"#, #"1"#),
        ReqlCase(#"r.expr(None).default(lambda e:e)"#, #"[92,[null,[69,[[2,[19]],[10,[19]]]]]]"#, #"null"#),
        ReqlCase(#"r.expr({})['b'].default(lambda e:e)"#, #"[92,[[170,[{},"b"]],[69,[[2,[20]],[10,[20]]]]]]"#, #""No attribute `b` in object:\n{}""#),
        ReqlCase(#"(r.expr(None) + 5).default(lambda e:e)"#, #"[92,[[24,[null,5]],[69,[[2,[21]],[10,[21]]]]]]"#, #""Expected type NUMBER but found NULL.""#),
        ReqlCase(#"(5 + r.expr(None)).default(lambda e:e)"#, #"[92,[[24,[5,null]],[69,[[2,[22]],[10,[22]]]]]]"#, #""Expected type NUMBER but found NULL.""#),
        ReqlCase(#"(5 - r.expr(None)).default(lambda e:e)"#, #"[92,[[25,[5,null]],[69,[[2,[23]],[10,[23]]]]]]"#, #""Expected type NUMBER but found NULL.""#),
        ReqlCase(#"(r.expr(None) - 5).default(lambda e:e)"#, #"[92,[[25,[null,5]],[69,[[2,[24]],[10,[24]]]]]]"#, #""Expected type NUMBER but found NULL.""#),
        ReqlCase(#"arr.filter(lambda x:x['a'].eq(1))"#, #"[39,[[41,[[2,[{"a":1},{"a":null},{}]],"a"]],[69,[[2,[25]],[17,[[170,[[10,[25]],"a"]],1]]]]]]"#, #"[{"a": 1}]"#),
        ReqlCase(#"arr.filter(lambda x:x['a'].eq(1), default=False)"#, #"[39,[[41,[[2,[{"a":1},{"a":null},{}]],"a"]],[69,[[2,[26]],[17,[[170,[[10,[26]],"a"]],1]]]]],{"default":false}]"#, #"[{"a": 1}]"#),
        ReqlCase(#"arr.filter(lambda x:x['a'].eq(1), default=True)"#, #"[39,[[41,[[2,[{"a":1},{"a":null},{}]],"a"]],[69,[[2,[27]],[17,[[170,[[10,[27]],"a"]],1]]]]],{"default":true}]"#, #"[{}, {"a": 1}]"#),
        ReqlCase(#"arr.filter(lambda x:x['a'].eq(1), default=r.error())"#, #"[39,[[41,[[2,[{"a":1},{"a":null},{}]],"a"]],[69,[[2,[28]],[17,[[170,[[10,[28]],"a"]],1]]]]],{"default":[12,[]]}]"#, error: .nonExistence, #"No attribute `a` in object:"#),
        ReqlCase(#"r.expr(False).do(lambda d:arr.filter(lambda x:x['a'].eq(1), default=d))"#, #"[64,[[69,[[2,[29]],[39,[[41,[[2,[{"a":1},{"a":null},{}]],"a"]],[69,[[2,[30]],[17,[[170,[[10,[30]],"a"]],1]]]]],{"default":[10,[29]]}]]],false]]"#, #"[{"a": 1}]"#),
        ReqlCase(#"r.expr(True).do(lambda d:arr.filter(lambda x:x['a'].eq(1), default=d)).order_by('a')"#, #"[41,[[64,[[69,[[2,[31]],[39,[[41,[[2,[{"a":1},{"a":null},{}]],"a"]],[69,[[2,[32]],[17,[[170,[[10,[32]],"a"]],1]]]]],{"default":[10,[31]]}]]],true]],"a"]]"#, #"[{}, {"a": 1}]"#),
        ReqlCase(#"arr.filter(lambda x:x['a'].default(0).eq(1))"#, #"[39,[[41,[[2,[{"a":1},{"a":null},{}]],"a"]],[69,[[2,[33]],[17,[[92,[[170,[[10,[33]],"a"]],0]],1]]]]]]"#, #"[{"a": 1}]"#),
        ReqlCase(#"arr.filter(lambda x:x['a'].default(1).eq(1)).order_by('a')"#, #"[41,[[39,[[41,[[2,[{"a":1},{"a":null},{}]],"a"]],[69,[[2,[34]],[17,[[92,[[170,[[10,[34]],"a"]],1]],1]]]]]],"a"]]"#, #"[{}, {"a": null}, {"a": 1}]"#),
        ReqlCase(#"arr.filter(lambda x:x['a'].default(r.error()).eq(1))"#, #"[39,[[41,[[2,[{"a":1},{"a":null},{}]],"a"]],[69,[[2,[35]],[17,[[92,[[170,[[10,[35]],"a"]],[12,[]]]],1]]]]]]"#, #"[{"a": 1}]"#),
        ReqlCase(#"r.expr(0).do(lambda i:arr.filter(lambda x:x['a'].default(i).eq(1)))"#, #"[64,[[69,[[2,[36]],[39,[[41,[[2,[{"a":1},{"a":null},{}]],"a"]],[69,[[2,[37]],[17,[[92,[[170,[[10,[37]],"a"]],[10,[36]]]],1]]]]]]]],0]]"#, #"[{"a": 1}]"#),
        ReqlCase(#"r.expr(1).do(lambda i:arr.filter(lambda x:x['a'].default(i).eq(1))).order_by('a')"#, #"[41,[[64,[[69,[[2,[38]],[39,[[41,[[2,[{"a":1},{"a":null},{}]],"a"]],[69,[[2,[39]],[17,[[92,[[170,[[10,[39]],"a"]],[10,[38]]]],1]]]]]]]],1]],"a"]]"#, #"[{}, {"a": null}, {"a": 1}]"#),
        ReqlCase(#"arr.filter(lambda x:r.or_(x['a'].eq(1), x['a']['b'].eq(2)))"#, #"[39,[[41,[[2,[{"a":1},{"a":null},{}]],"a"]],[69,[[2,[40]],[66,[[17,[[170,[[10,[40]],"a"]],1]],[17,[[170,[[170,[[10,[40]],"a"]],"b"]],2]]]]]]]]"#, #"[{"a": 1}]"#),
        ReqlCase(#"arr.filter(lambda x:r.or_(x['a'].eq(1), x['a']['b'].eq(2)), default=False)"#, #"[39,[[41,[[2,[{"a":1},{"a":null},{}]],"a"]],[69,[[2,[41]],[66,[[17,[[170,[[10,[41]],"a"]],1]],[17,[[170,[[170,[[10,[41]],"a"]],"b"]],2]]]]]]],{"default":false}]"#, #"[{"a": 1}]"#),
        ReqlCase(#"arr.filter(lambda x:r.or_(x['a'].eq(1), x['a']['b'].eq(2)), default=True).order_by('a')"#, #"[41,[[39,[[41,[[2,[{"a":1},{"a":null},{}]],"a"]],[69,[[2,[42]],[66,[[17,[[170,[[10,[42]],"a"]],1]],[17,[[170,[[170,[[10,[42]],"a"]],"b"]],2]]]]]]],{"default":true}],"a"]]"#, #"[{}, {"a": null}, {"a": 1}]"#),
        ReqlCase(#"arr.filter(lambda x:r.or_(x['a'].eq(1), x['a']['b'].eq(2)), default=r.error())"#, #"[39,[[41,[[2,[{"a":1},{"a":null},{}]],"a"]],[69,[[2,[43]],[66,[[17,[[170,[[10,[43]],"a"]],1]],[17,[[170,[[170,[[10,[43]],"a"]],"b"]],2]]]]]]],{"default":[12,[]]}]"#, error: .nonExistence, #"No attribute `a` in object:"#)
    ]

    @Test("RethinkDB's control, default and uuid tests give RethinkDB's answers", arguments: rethinkDBCases)
    func rethinkDBCase(_ testCase: ReqlCase) async throws {
        try await testCase.check()
    }
}
