import ReQL
import Testing

@testable import DocumentStoreServer

/// `r.object`, `keys`/`values`, `merge` and `literal` on objects.
@Suite("ReQL objects")
struct ReqlObjectTests {
    /// RethinkDB's own test queries for these terms, with the answers its YAML files give
    /// (generated from `test/rql_test/src` through the official Python driver, which also gives
    /// the wire JSON).
    static let rethinkDBCases: [ReqlCase] = [
        // datum/object (16 cases, from test/rql_test/src/datum/object.yaml)
        ReqlCase(#"r.expr({})"#, #"{}"#, #"{}"#),
        ReqlCase(#"r.expr({'a':1})"#, #"{"a":1}"#, #"{"a": 1}"#),
        ReqlCase(#"r.expr({'a':1, 'b':'two', 'c':True})"#, #"{"a":1,"b":"two","c":true}"#, #"{"a": 1, "b": "two", "c": true}"#),
        ReqlCase(#"r.expr({'a':r.expr(1)})"#, #"{"a":1}"#, #"{"a": 1}"#),
        ReqlCase(#"r.expr({'a':{'b':[{'c':2}, 'a', 4]}})"#, #"{"a":{"b":[2,[{"c":2},"a",4]]}}"#, #"{"a": {"b": [{"c": 2}, "a", 4]}}"#),
        ReqlCase(#"r.expr({'a':1}).type_of()"#, #"[52,[{"a":1}]]"#, #""OBJECT""#),
        ReqlCase(#"r.expr({'a':1}).coerce_to('string')"#, #"[51,[{"a":1},"string"]]"#, #""{\"a\":1}""#),
        ReqlCase(#"r.expr({'a':1}).coerce_to('object')"#, #"[51,[{"a":1},"object"]]"#, #"{"a": 1}"#),
        ReqlCase(#"r.expr({'a':1}).coerce_to('array')"#, #"[51,[{"a":1},"array"]]"#, #"[["a", 1]]"#),
        ReqlCase(#"r.object()"#, #"[143,[]]"#, #"{}"#),
        ReqlCase(#"r.object('a', 1, 'b', 2)"#, #"[143,["a",1,"b",2]]"#, #"{"a": 1, "b": 2}"#),
        ReqlCase(#"r.object('c'+'d', 3)"#, #"[143,["cd",3]]"#, #"{"cd": 3}"#),
        ReqlCase(#"r.object('o','d','d')"#, #"[143,["o","d","d"]]"#, error: .queryLogic, #"OBJECT expects an even number of arguments (but found 3)."#),
        ReqlCase(#"r.object(1, 1)"#, #"[143,[1,1]]"#, error: .queryLogic, #"Expected type STRING but found NUMBER."#),
        ReqlCase(#"r.object('e', 4, 'e', 5)"#, #"[143,["e",4,"e",5]]"#, error: .queryLogic, #"Duplicate key "e" in object.  (got 4 and 5 as values)"#),
        ReqlCase(#"r.object('g', r.db('test'))"#, #"[143,["g",[14,["test"]]]]"#, error: .queryLogic, #"Expected type DATUM but found DATABASE:"#),
        // transform/object (37 cases, from test/rql_test/src/transform/object.yaml)
        ReqlCase(#"obj['a']"#, #"[170,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},"a"]]"#, #"1"#),
        ReqlCase(#"obj['c']"#, #"[170,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},"c"]]"#, #""str""#),
        ReqlCase(#"obj.has_fields('b')"#, #"[32,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},"b"]]"#, #"true"#),
        ReqlCase(#"obj.keys().contains('d')"#, #"[93,[[94,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}}]],"d"]]"#, #"true"#),
        ReqlCase(#"obj.has_fields('d')"#, #"[32,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},"d"]]"#, #"false"#),
        ReqlCase(#"obj.has_fields({'e':'f'})"#, #"[32,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},{"e":"f"}]]"#, #"true"#),
        ReqlCase(#"obj.has_fields({'e':'g'})"#, #"[32,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},{"e":"g"}]]"#, #"false"#),
        ReqlCase(#"obj.has_fields('f')"#, #"[32,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},"f"]]"#, #"false"#),
        ReqlCase(#"obj.has_fields('a', 'b')"#, #"[32,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},"a","b"]]"#, #"true"#),
        ReqlCase(#"obj.has_fields('a', 'd')"#, #"[32,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},"a","d"]]"#, #"false"#),
        ReqlCase(#"obj.has_fields('a', 'f')"#, #"[32,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},"a","f"]]"#, #"false"#),
        ReqlCase(#"obj.has_fields('a', {'e':'f'})"#, #"[32,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},"a",{"e":"f"}]]"#, #"true"#),
        ReqlCase(#"r.expr([obj, obj.pluck('a', 'b')]).has_fields('a', 'b').count()"#, #"[43,[[32,[[2,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},[33,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},"a","b"]]]],"a","b"]]]]"#, #"2"#),
        ReqlCase(#"r.expr([obj, obj.pluck('a', 'b')]).has_fields('a', 'c').count()"#, #"[43,[[32,[[2,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},[33,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},"a","b"]]]],"a","c"]]]]"#, #"1"#),
        ReqlCase(#"r.expr([obj, obj.pluck('a', 'e')]).has_fields('a', {'e':'f'}).count()"#, #"[43,[[32,[[2,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},[33,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},"a","e"]]]],"a",{"e":"f"}]]]]"#, #"2"#),
        ReqlCase(#"obj.pluck('a')"#, #"[33,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},"a"]]"#, #"{"a": 1}"#),
        ReqlCase(#"obj.pluck('a', 'b')"#, #"[33,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},"a","b"]]"#, #"{"a": 1, "b": 2}"#),
        ReqlCase(#"obj.without('a')"#, #"[34,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},"a"]]"#, #"{"b": 2, "c": "str", "d": null, "e": {"f": "buzz"}}"#),
        ReqlCase(#"obj.without('a', 'b')"#, #"[34,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},"a","b"]]"#, #"{"c": "str", "d": null, "e": {"f": "buzz"}}"#),
        ReqlCase(#"obj.without('a', 'b', 'c', 'd')"#, #"[34,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},"a","b","c","d"]]"#, #"{"e": {"f": "buzz"}}"#),
        ReqlCase(#"obj.without({'e':'f'})"#, #"[34,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},{"e":"f"}]]"#, #"{"a": 1, "b": 2, "c": "str", "d": null, "e": {}}"#),
        ReqlCase(#"obj.without({'e':'buzz'})"#, #"[34,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},{"e":"buzz"}]]"#, #"{"a": 1, "b": 2, "c": "str", "d": null, "e": {"f": "buzz"}}"#),
        ReqlCase(#"obj.merge(1)"#, #"[35,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},1]]"#, #"1"#),
        ReqlCase(#"obj.merge({'e':-2})"#, #"[35,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},{"e":-2}]]"#, #"{"a": 1, "b": 2, "c": "str", "d": null, "e": -2}"#),
        ReqlCase(#"obj.merge({'e':r.literal()})"#, #"[35,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},{"e":[137,[]]}]]"#, #"{"a": 1, "b": 2, "c": "str", "d": null}"#),
        ReqlCase(#"obj.merge({'e':{'f':'quux'}})"#, #"[35,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},{"e":{"f":"quux"}}]]"#, #"{"a": 1, "b": 2, "c": "str", "d": null, "e": {"f": "quux"}}"#),
        ReqlCase(#"obj.merge({'e':{'g':'quux'}})"#, #"[35,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},{"e":{"g":"quux"}}]]"#, #"{"a": 1, "b": 2, "c": "str", "d": null, "e": {"f": "buzz", "g": "quux"}}"#),
        ReqlCase(#"obj.merge({'e':r.literal({'g':'quux'})})"#, #"[35,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},{"e":[137,[{"g":"quux"}]]}]]"#, #"{"a": 1, "b": 2, "c": "str", "d": null, "e": {"g": "quux"}}"#),
        ReqlCase(#"obj.merge({'a':-1})"#, #"[35,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}},{"a":-1}]]"#, #"{"a": -1, "b": 2, "c": "str", "d": null, "e": {"f": "buzz"}}"#),
        ReqlCase(#"o.merge({'e':4}, {'f':5})"#, #"[35,[{"a":{"b":1,"c":2},"d":3},{"e":4},{"f":5}]]"#, #"{"a": {"b": 1, "c": 2}, "d": 3, "e": 4, "f": 5}"#),
        ReqlCase(#"r.expr([o, o.merge({'d':4})]).merge(lambda row:{'e':row['d']})"#, #"[35,[[2,[{"a":{"b":1,"c":2},"d":3},[35,[{"a":{"b":1,"c":2},"d":3},{"d":4}]]]],[69,[[2,[44]],{"e":[170,[[10,[44]],"d"]]}]]]]"#, #"[{"a": {"b": 1, "c": 2}, "d": 3, "e": 3}, {"a": {"b": 1, "c": 2}, "d": 4, "e": 4}]"#),
        ReqlCase(#"r.expr([o, o.merge({'d':4})]).merge({'e':r.row['d']})"#, #"[35,[[2,[{"a":{"b":1,"c":2},"d":3},[35,[{"a":{"b":1,"c":2},"d":3},{"d":4}]]]],[69,[[2,[45]],{"e":[170,[[13,[]],"d"]]}]]]]"#, #"[{"a": {"b": 1, "c": 2}, "d": 3, "e": 3}, {"a": {"b": 1, "c": 2}, "d": 4, "e": 4}]"#),
        ReqlCase(#"r.expr([o, o.merge({'d':4})]).merge(lambda row:{'a':{'b':2}})"#, #"[35,[[2,[{"a":{"b":1,"c":2},"d":3},[35,[{"a":{"b":1,"c":2},"d":3},{"d":4}]]]],[69,[[2,[46]],{"a":{"b":2}}]]]]"#, #"[{"a": {"b": 2, "c": 2}, "d": 3}, {"a": {"b": 2, "c": 2}, "d": 4}]"#),
        ReqlCase(#"r.expr([o, o.merge({'d':4})]).merge(lambda row:{'a':r.literal({'b':2})})"#, #"[35,[[2,[{"a":{"b":1,"c":2},"d":3},[35,[{"a":{"b":1,"c":2},"d":3},{"d":4}]]]],[69,[[2,[47]],{"a":[137,[{"b":2}]]}]]]]"#, #"[{"a": {"b": 2}, "d": 3}, {"a": {"b": 2}, "d": 4}]"#),
        ReqlCase(#"obj.keys()"#, #"[94,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}}]]"#, #"["a", "b", "c", "d", "e"]"#),
        ReqlCase(#"obj.values()"#, #"[186,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}}]]"#, #"[1, 2, "str", null, {"f": "buzz"}]"#),
        ReqlCase(#"obj.count()"#, #"[43,[{"a":1,"b":2,"c":"str","d":null,"e":{"f":"buzz"}}]]"#, #"5"#)
    ]

    @Test("RethinkDB's object tests give RethinkDB's answers", arguments: rethinkDBCases)
    func rethinkDBCase(_ testCase: ReqlCase) async throws {
        try await testCase.check()
    }
}
