import ReQL
import Testing

@testable import DocumentStoreServer

/// `r.random` and `sample`.
@Suite("ReQL random numbers")
struct ReqlRandomTests {
    /// RethinkDB's own test queries for these terms, with the answers its YAML files give
    /// (generated from `test/rql_test/src` through the official Python driver, which also gives
    /// the wire JSON).
    static let rethinkDBCases: [ReqlCase] = [
        // random (59 cases, from test/rql_test/src/random.yaml)
        ReqlCase(#"r.expr([1,2,3]).sample(3).distinct().count()"#, #"[43,[[42,[[81,[[2,[1,2,3]],3]]]]]]"#, #"3"#),
        ReqlCase(#"r.expr([1,2,3]).sample(3).count()"#, #"[43,[[81,[[2,[1,2,3]],3]]]]"#, #"3"#),
        ReqlCase(#"r.expr([1,2,3,4,5,6]).sample(3).distinct().count()"#, #"[43,[[42,[[81,[[2,[1,2,3,4,5,6]],3]]]]]]"#, #"3"#),
        ReqlCase(#"r.expr([1,2,3]).sample(4).distinct().count()"#, #"[43,[[42,[[81,[[2,[1,2,3]],4]]]]]]"#, #"3"#),
        ReqlCase(#"r.expr([1,2,3]).sample(-1)"#, #"[81,[[2,[1,2,3]],-1]]"#, error: .queryLogic, #"Number of items to sample must be non-negative, got `-1`."#),
        ReqlCase(#"r.expr(1).sample(1)"#, #"[81,[1,1]]"#, error: .queryLogic, #"Cannot convert NUMBER to SEQUENCE"#),
        ReqlCase(#"r.expr({}).sample(1)"#, #"[81,[{},1]]"#, error: .queryLogic, #"Cannot convert OBJECT to SEQUENCE"#),
        ReqlCase(#"r.random().do(lambda x:r.and_(x.ge(0), x.lt(1)))"#, #"[64,[[69,[[2,[1]],[67,[[22,[[10,[1]],0]],[19,[[10,[1]],1]]]]]],[151,[]]]]"#, #"true"#),
        ReqlCase(#"r.random(1, float=True).do(lambda x:r.and_(x.ge(0), x.lt(1)))"#, #"[64,[[69,[[2,[2]],[67,[[22,[[10,[2]],0]],[19,[[10,[2]],1]]]]]],[151,[1],{"float":true}]]]"#, #"true"#),
        ReqlCase(#"r.random(0, 1, float=True).do(lambda x:r.and_(x.ge(0), x.lt(1)))"#, #"[64,[[69,[[2,[3]],[67,[[22,[[10,[3]],0]],[19,[[10,[3]],1]]]]]],[151,[0,1],{"float":true}]]]"#, #"true"#),
        ReqlCase(#"r.random(1, 0, float=True).do(lambda x:r.and_(x.le(1), x.gt(0)))"#, #"[64,[[69,[[2,[4]],[67,[[20,[[10,[4]],1]],[21,[[10,[4]],0]]]]]],[151,[1,0],{"float":true}]]]"#, #"true"#),
        ReqlCase(#"r.random(r.expr(0), 1, float=True).do(lambda x:r.and_(x.ge(0), x.lt(1)))"#, #"[64,[[69,[[2,[5]],[67,[[22,[[10,[5]],0]],[19,[[10,[5]],1]]]]]],[151,[0,1],{"float":true}]]]"#, #"true"#),
        ReqlCase(#"r.random(1, r.expr(0), float=True).do(lambda x:r.and_(x.le(1), x.gt(0)))"#, #"[64,[[69,[[2,[6]],[67,[[20,[[10,[6]],1]],[21,[[10,[6]],0]]]]]],[151,[1,0],{"float":true}]]]"#, #"true"#),
        ReqlCase(#"r.random(r.expr(1), r.expr(0), float=True).do(lambda x:r.and_(x.le(1), x.gt(0)))"#, #"[64,[[69,[[2,[7]],[67,[[20,[[10,[7]],1]],[21,[[10,[7]],0]]]]]],[151,[1,0],{"float":true}]]]"#, #"true"#),
        ReqlCase(#"r.random(0.495, float=True).do(lambda x:r.and_(x.ge(0), x.lt(0.495)))"#, #"[64,[[69,[[2,[8]],[67,[[22,[[10,[8]],0]],[19,[[10,[8]],0.495]]]]]],[151,[0.495],{"float":true}]]]"#, #"true"#),
        ReqlCase(#"r.random(-0.495, float=True).do(lambda x:r.and_(x.le(0), x.gt(-0.495)))"#, #"[64,[[69,[[2,[9]],[67,[[20,[[10,[9]],0]],[21,[[10,[9]],-0.495]]]]]],[151,[-0.495],{"float":true}]]]"#, #"true"#),
        ReqlCase(#"r.random(1823756.24, float=True).do(lambda x:r.and_(x.ge(0), x.lt(1823756.24)))"#, #"[64,[[69,[[2,[10]],[67,[[22,[[10,[10]],0]],[19,[[10,[10]],1823756.24]]]]]],[151,[1823756.24],{"float":true}]]]"#, #"true"#),
        ReqlCase(#"r.random(-1823756.24, float=True).do(lambda x:r.and_(x.le(0), x.gt(-1823756.24)))"#, #"[64,[[69,[[2,[11]],[67,[[20,[[10,[11]],0]],[21,[[10,[11]],-1823756.24]]]]]],[151,[-1823756.24],{"float":true}]]]"#, #"true"#),
        ReqlCase(#"r.random(10.5, 20.153, float=True).do(lambda x:r.and_(x.ge(10.5), x.lt(20.153)))"#, #"[64,[[69,[[2,[12]],[67,[[22,[[10,[12]],10.5]],[19,[[10,[12]],20.153]]]]]],[151,[10.5,20.153],{"float":true}]]]"#, #"true"#),
        ReqlCase(#"r.random(20.153, 10.5, float=True).do(lambda x:r.and_(x.le(20.153), x.gt(10.5)))"#, #"[64,[[69,[[2,[13]],[67,[[20,[[10,[13]],20.153]],[21,[[10,[13]],10.5]]]]]],[151,[20.153,10.5],{"float":true}]]]"#, #"true"#),
        ReqlCase(#"r.random(31415926.1, 31415926, float=True).do(lambda x:r.and_(x.le(31415926.1), x.gt(31415926)))"#, #"[64,[[69,[[2,[14]],[67,[[20,[[10,[14]],31415926.1]],[21,[[10,[14]],31415926]]]]]],[151,[31415926.1,31415926],{"float":true}]]]"#, #"true"#),
        ReqlCase(#"r.random(-10.5, 20.153, float=True).do(lambda x:r.and_(x.ge(-10.5), x.lt(20.153)))"#, #"[64,[[69,[[2,[15]],[67,[[22,[[10,[15]],-10.5]],[19,[[10,[15]],20.153]]]]]],[151,[-10.5,20.153],{"float":true}]]]"#, #"true"#),
        ReqlCase(#"r.random(-20.153, -10.5, float=True).do(lambda x:r.and_(x.ge(-20.153), x.lt(-10.5)))"#, #"[64,[[69,[[2,[16]],[67,[[22,[[10,[16]],-20.153]],[19,[[10,[16]],-10.5]]]]]],[151,[-20.153,-10.5],{"float":true}]]]"#, #"true"#),
        ReqlCase(#"r.random(-31415926, -31415926.1, float=True).do(lambda x:r.and_(x.le(-31415926), x.gt(-31415926.1)))"#, #"[64,[[69,[[2,[17]],[67,[[20,[[10,[17]],-31415926]],[21,[[10,[17]],-31415926.1]]]]]],[151,[-31415926,-31415926.1],{"float":true}]]]"#, #"true"#),
        ReqlCase(#"r.expr([r.random(), r.random()]).distinct().count()"#, #"[43,[[42,[[2,[[151,[]],[151,[]]]]]]]]"#, #"2"#),
        ReqlCase(#"r.expr([r.random(1, float=True), r.random(1, float=True)]).distinct().count()"#, #"[43,[[42,[[2,[[151,[1],{"float":true}],[151,[1],{"float":true}]]]]]]]"#, #"2"#),
        ReqlCase(#"r.expr([r.random(0, 1, float=True), r.random(0, 1, float=True)]).distinct().count()"#, #"[43,[[42,[[2,[[151,[0,1],{"float":true}],[151,[0,1],{"float":true}]]]]]]]"#, #"2"#),
        ReqlCase(#"r.random(0, float=True).eq(0)"#, #"[17,[[151,[0],{"float":true}],0]]"#, #"true"#),
        ReqlCase(#"r.random(5, 5, float=True).eq(5)"#, #"[17,[[151,[5,5],{"float":true}],5]]"#, #"true"#),
        ReqlCase(#"r.random(-499384756758, -499384756758, float=True).eq(-499384756758)"#, #"[17,[[151,[-499384756758,-499384756758],{"float":true}],-499384756758]]"#, #"true"#),
        ReqlCase(#"r.random(-93.94757, -93.94757, float=True).eq(-93.94757)"#, #"[17,[[151,[-93.94757,-93.94757],{"float":true}],-93.94757]]"#, #"true"#),
        ReqlCase(#"r.random(294.69148, 294.69148, float=True).eq(294.69148)"#, #"[17,[[151,[294.69148,294.69148],{"float":true}],294.69148]]"#, #"true"#),
        ReqlCase(#"r.random(256).do(lambda x:r.and_(x.ge(0), x.lt(256)))"#, #"[64,[[69,[[2,[18]],[67,[[22,[[10,[18]],0]],[19,[[10,[18]],256]]]]]],[151,[256]]]]"#, #"true"#),
        ReqlCase(#"r.random(0, 256).do(lambda x:r.and_(x.ge(0), x.lt(256)))"#, #"[64,[[69,[[2,[19]],[67,[[22,[[10,[19]],0]],[19,[[10,[19]],256]]]]]],[151,[0,256]]]]"#, #"true"#),
        ReqlCase(#"r.random(r.expr(256)).do(lambda x:r.and_(x.ge(0), x.lt(256)))"#, #"[64,[[69,[[2,[20]],[67,[[22,[[10,[20]],0]],[19,[[10,[20]],256]]]]]],[151,[256]]]]"#, #"true"#),
        ReqlCase(#"r.random(r.expr(0), 256).do(lambda x:r.and_(x.ge(0), x.lt(256)))"#, #"[64,[[69,[[2,[21]],[67,[[22,[[10,[21]],0]],[19,[[10,[21]],256]]]]]],[151,[0,256]]]]"#, #"true"#),
        ReqlCase(#"r.random(0, r.expr(256)).do(lambda x:r.and_(x.ge(0), x.lt(256)))"#, #"[64,[[69,[[2,[22]],[67,[[22,[[10,[22]],0]],[19,[[10,[22]],256]]]]]],[151,[0,256]]]]"#, #"true"#),
        ReqlCase(#"r.random(r.expr(0), r.expr(256)).do(lambda x:r.and_(x.ge(0), x.lt(256)))"#, #"[64,[[69,[[2,[23]],[67,[[22,[[10,[23]],0]],[19,[[10,[23]],256]]]]]],[151,[0,256]]]]"#, #"true"#),
        ReqlCase(#"r.random(10, 20).do(lambda x:r.and_(x.ge(10), x.lt(20)))"#, #"[64,[[69,[[2,[24]],[67,[[22,[[10,[24]],10]],[19,[[10,[24]],20]]]]]],[151,[10,20]]]]"#, #"true"#),
        ReqlCase(#"r.random(9347849, 120937493).do(lambda x:r.and_(x.ge(9347849), x.lt(120937493)))"#, #"[64,[[69,[[2,[25]],[67,[[22,[[10,[25]],9347849]],[19,[[10,[25]],120937493]]]]]],[151,[9347849,120937493]]]]"#, #"true"#),
        ReqlCase(#"r.random(-10, 20).do(lambda x:r.and_(x.ge(-10), x.lt(20)))"#, #"[64,[[69,[[2,[26]],[67,[[22,[[10,[26]],-10]],[19,[[10,[26]],20]]]]]],[151,[-10,20]]]]"#, #"true"#),
        ReqlCase(#"r.random(-20, -10).do(lambda x:r.and_(x.ge(-20), x.lt(-10)))"#, #"[64,[[69,[[2,[27]],[67,[[22,[[10,[27]],-20]],[19,[[10,[27]],-10]]]]]],[151,[-20,-10]]]]"#, #"true"#),
        ReqlCase(#"r.random(-120937493, -9347849).do(lambda x:r.and_(x.ge(-120937493), x.lt(-9347849)))"#, #"[64,[[69,[[2,[28]],[67,[[22,[[10,[28]],-120937493]],[19,[[10,[28]],-9347849]]]]]],[151,[-120937493,-9347849]]]]"#, #"true"#),
        ReqlCase(#"r.expr([r.random(upper_limit), r.random(upper_limit)]).distinct().count()"#, #"[43,[[42,[[2,[[151,[9007199254740991]],[151,[9007199254740991]]]]]]]]"#, #"2"#),
        ReqlCase(#"r.expr([upper_limit,upper_limit]).map(lambda x:r.random(x)).distinct().count()"#, #"[43,[[42,[[38,[[2,[9007199254740991,9007199254740991]],[69,[[2,[29]],[151,[[10,[29]]]]]]]]]]]]"#, #"2"#),
        ReqlCase(#"r.random(-0.5)"#, #"[151,[-0.5]]"#, error: .queryLogic, #"Upper bound (-0.5) could not be safely converted to an integer."#),
        ReqlCase(#"r.random(0.25)"#, #"[151,[0.25]]"#, error: .queryLogic, #"Upper bound (0.25) could not be safely converted to an integer."#),
        ReqlCase(#"r.random(-10, 0.75)"#, #"[151,[-10,0.75]]"#, error: .queryLogic, #"Upper bound (0.75) could not be safely converted to an integer."#),
        ReqlCase(#"r.random(-120549.25, 39458)"#, #"[151,[-120549.25,39458]]"#, error: .queryLogic, #"Lower bound (-120549.25) could not be safely converted to an integer."#),
        ReqlCase(#"r.random(-6.5, 8.125)"#, #"[151,[-6.5,8.125]]"#, error: .queryLogic, #"Lower bound (-6.5) could not be safely converted to an integer."#),
        ReqlCase(#"r.random(float=False)"#, #"[151,[],{"float":false}]"#, error: .queryLogic, #"Generating a random integer requires one or two bounds."#),
        ReqlCase(#"r.random(0)"#, #"[151,[0]]"#, error: .queryLogic, #"Lower bound (0) is not less than upper bound (0)."#),
        ReqlCase(#"r.random(0, 0)"#, #"[151,[0,0]]"#, error: .queryLogic, #"Lower bound (0) is not less than upper bound (0)."#),
        ReqlCase(#"r.random(515, 515)"#, #"[151,[515,515]]"#, error: .queryLogic, #"Lower bound (515) is not less than upper bound (515)."#),
        ReqlCase(#"r.random(-956, -956)"#, #"[151,[-956,-956]]"#, error: .queryLogic, #"Lower bound (-956) is not less than upper bound (-956)."#),
        ReqlCase(#"r.random(-10)"#, #"[151,[-10]]"#, error: .queryLogic, #"Lower bound (0) is not less than upper bound (-10)."#),
        ReqlCase(#"r.random(20, 2)"#, #"[151,[20,2]]"#, error: .queryLogic, #"Lower bound (20) is not less than upper bound (2)."#),
        ReqlCase(#"r.random(2, -20)"#, #"[151,[2,-20]]"#, error: .queryLogic, #"Lower bound (2) is not less than upper bound (-20)."#),
        ReqlCase(#"r.random(1456, 0)"#, #"[151,[1456,0]]"#, error: .queryLogic, #"Lower bound (1456) is not less than upper bound (0)."#)
    ]

    @Test("RethinkDB's random tests give RethinkDB's answers", arguments: rethinkDBCases)
    func rethinkDBCase(_ testCase: ReqlCase) async throws {
        try await testCase.check()
    }
}
