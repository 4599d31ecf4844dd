import ReQL
import Testing

@testable import DocumentStoreServer

/// `bit_and` ... `bit_sar`.
@Suite("ReQL bit arithmetic")
struct ReqlBitTests {
    /// RethinkDB's own test queries for these terms, with the answers its YAML files give
    /// (generated from `test/rql_test/src` through the official Python driver, which also gives
    /// the wire JSON).
    static let rethinkDBCases: [ReqlCase] = [
        // math_logic/bit (41 cases, from test/rql_test/src/math_logic/bit.yaml)
        ReqlCase(#"r.expr(3).bit_and(2)"#, #"[191,[3,2]]"#, #"2"#),
        ReqlCase(#"r.expr(-2).bit_and(3)"#, #"[191,[-2,3]]"#, #"2"#),
        ReqlCase(#"r.expr(9007199254740992).bit_and(0)"#, #"[191,[9007199254740992,0]]"#, error: .queryLogic, #"Integer too large: 9007199254740992"#),
        ReqlCase(#"r.expr(9007199254740994).bit_and(0)"#, #"[191,[9007199254740994,0]]"#, error: .queryLogic, #"Number not an integer (>2^53): 9007199254740994"#),
        ReqlCase(#"r.expr(9007199254740991).bit_and(23)"#, #"[191,[9007199254740991,23]]"#, #"23"#),
        ReqlCase(#"r.expr(-9007199254740992).bit_and(12345)"#, #"[191,[-9007199254740992,12345]]"#, #"0"#),
        ReqlCase(#"r.expr(1).bit_or(2)"#, #"[192,[1,2]]"#, #"3"#),
        ReqlCase(#"r.expr(9007199254740992).bit_or(0)"#, #"[192,[9007199254740992,0]]"#, error: .queryLogic, #"Integer too large: 9007199254740992"#),
        ReqlCase(#"r.expr(9007199254740991).bit_or(0)"#, #"[192,[9007199254740991,0]]"#, #"9007199254740991"#),
        ReqlCase(#"r.expr(9007199254740991).bit_or(-1)"#, #"[192,[9007199254740991,-1]]"#, #"-1"#),
        ReqlCase(#"r.expr(3).bit_xor(6)"#, #"[193,[3,6]]"#, #"5"#),
        ReqlCase(#"r.expr(2).bit_not()"#, #"[194,[2]]"#, #"-3"#),
        ReqlCase(#"r.expr(9007199254740991).bit_not()"#, #"[194,[9007199254740991]]"#, #"-9007199254740992"#),
        ReqlCase(#"r.expr(9007199254740991).bit_not().bit_not()"#, #"[194,[[194,[9007199254740991]]]]"#, #"9007199254740991"#),
        ReqlCase(#"r.expr(9007199254740992).bit_sar(0)"#, #"[196,[9007199254740992,0]]"#, error: .queryLogic, #"Integer too large: 9007199254740992"#),
        ReqlCase(#"r.expr(-9007199254740992).bit_sar(0)"#, #"[196,[-9007199254740992,0]]"#, #"-9007199254740992"#),
        ReqlCase(#"r.expr(-9007199254740992).bit_sar(1)"#, #"[196,[-9007199254740992,1]]"#, #"-4503599627370496"#),
        ReqlCase(#"r.expr(-9007199254740992).bit_sar(52)"#, #"[196,[-9007199254740992,52]]"#, #"-2"#),
        ReqlCase(#"r.expr(-9007199254740992).bit_sar(53)"#, #"[196,[-9007199254740992,53]]"#, #"-1"#),
        ReqlCase(#"r.expr(-9007199254740992).bit_sar(54)"#, #"[196,[-9007199254740992,54]]"#, #"-1"#),
        ReqlCase(#"r.expr(9007199254740991).bit_sar(0)"#, #"[196,[9007199254740991,0]]"#, #"9007199254740991"#),
        ReqlCase(#"r.expr(9007199254740991).bit_sar(1)"#, #"[196,[9007199254740991,1]]"#, #"4503599627370495"#),
        ReqlCase(#"r.expr(9007199254740991).bit_sar(52)"#, #"[196,[9007199254740991,52]]"#, #"1"#),
        ReqlCase(#"r.expr(9007199254740991).bit_sar(53)"#, #"[196,[9007199254740991,53]]"#, #"0"#),
        ReqlCase(#"r.expr(0).bit_sal(999999)"#, #"[195,[0,999999]]"#, #"0"#),
        ReqlCase(#"r.expr(0).bit_sal(3000)"#, #"[195,[0,3000]]"#, #"0"#),
        ReqlCase(#"r.expr(0).bit_sal(500)"#, #"[195,[0,500]]"#, #"0"#),
        ReqlCase(#"r.expr(0).bit_sal(0)"#, #"[195,[0,0]]"#, #"0"#),
        ReqlCase(#"r.expr(1).bit_sal(0)"#, #"[195,[1,0]]"#, #"1"#),
        ReqlCase(#"r.expr(1).bit_sal(1)"#, #"[195,[1,1]]"#, #"2"#),
        ReqlCase(#"r.expr(1).bit_sal(3)"#, #"[195,[1,3]]"#, #"8"#),
        ReqlCase(#"r.expr(-1).bit_sal(3)"#, #"[195,[-1,3]]"#, #"-8"#),
        ReqlCase(#"r.expr(-1).bit_sal(54)"#, #"[195,[-1,54]]"#, #"-18014398509481984"#),
        ReqlCase(#"r.expr(1).bit_sal(54)"#, #"[195,[1,54]]"#, #"18014398509481984"#),
        ReqlCase(#"r.expr(-2).bit_sal(53)"#, #"[195,[-2,53]]"#, #"-18014398509481984"#),
        ReqlCase(#"r.expr(2).bit_sal(53)"#, #"[195,[2,53]]"#, #"18014398509481984"#),
        ReqlCase(#"r.expr(5).bit_sal(-1)"#, #"[195,[5,-1]]"#, error: .queryLogic, #"Cannot bit-shift by a negative value"#),
        ReqlCase(#"r.expr(5).bit_sar(-1)"#, #"[196,[5,-1]]"#, error: .queryLogic, #"Cannot bit-shift by a negative value"#),
        ReqlCase(#"r.expr('a').bit_and(12)"#, #"[191,["a",12]]"#, error: .queryLogic, #"Expected type NUMBER but found STRING."#),
        ReqlCase(#"r.expr(12).bit_and('a')"#, #"[191,[12,"a"]]"#, error: .queryLogic, #"Expected type NUMBER but found STRING."#),
        ReqlCase(#"r.expr(1.5).bit_and(3)"#, #"[191,[1.5,3]]"#, error: .queryLogic, #"Number not an integer: 1.5"#)
    ]

    @Test("RethinkDB's bit tests give RethinkDB's answers", arguments: rethinkDBCases)
    func rethinkDBCase(_ testCase: ReqlCase) async throws {
        try await testCase.check()
    }
}
