import DocumentStore
import Testing

@testable import DocumentStoreServer

/// The V1_0 handshake, byte for byte, against the captured RethinkDB transcripts.
@Suite struct HandshakeStateMachineTests {
    static let salt = Array("0123456789abcdef".utf8)
    static let serverNonce = Array("SERVERNONCE-18byte".utf8)

    /// The §1.4 test vector's world: user bob with password secret, fixed salt and nonce.
    static func bobMachine() -> HandshakeStateMachine {
        let users = UserCredentials(users: ["bob": .init(password: "secret", salt: salt)])
        return HandshakeStateMachine(users: users, random: .fixed(serverNonce))
    }

    static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    static func errorReply(_ message: String, _ code: Int) -> String {
        #"{"error":"\#(message)","error_code":\#(code),"success":false}"# + "\0"
    }

    static let magic: [UInt8] = [0xC3, 0xBD, 0xC2, 0x34]

    static func clientHello(_ authentication: String) -> [UInt8] {
        let json = #"{"protocol_version":0,"authentication_method":"SCRAM-SHA-256","#
            + #""authentication":"\#(authentication)"}"#
        return Array(json.utf8) + [0]
    }

    /// Runs magic and client-first, then returns the step for `final`.
    static func finish(_ final: String, machine: inout HandshakeStateMachine) -> HandshakeStateMachine.Step {
        _ = machine.receive(magic + clientHello("n,,n=bob,r=OUSJDi3GYnvrA4/bBRTKFJLK"))
        return machine.receive(ScramTestClient.finalBytes(final))
    }

    @Test("The RFC formulas give the captured intermediate values")
    func rfcFormulasGiveCapturedValues() {
        let salted = ScramPrimitives.saltedPassword(password: Array("secret".utf8), salt: Self.salt, iterations: 4096)
        #expect(hex(salted) == "7983542ede570e44e3095969771c503ab4ef40f3d510f646b329006d2ad29d24")
        let credential = UserCredentials.Credential(password: "secret", salt: Self.salt)
        #expect(hex(credential.storedKey) == "6e9498e597bd3541fe237e4b0b7815abe0e905f2b8ea25c1c6f8402aa56ef691")
        #expect(hex(credential.serverKey) == "56962506ec72cde088d4a9dcb6b79f7658e90759a4dc6a7bb0123fb75d7e3644")
    }

    @Test("The test vector completes with the captured server messages")
    func testVectorCompletes() {
        var machine = Self.bobMachine()
        let opening = machine.receive(Self.magic + Self.clientHello("n,,n=bob,r=OUSJDi3GYnvrA4/bBRTKFJLK"))
        #expect(opening.verdict == .needMoreData)
        #expect(opening.replies.map(Self.text) == [
            #"{"max_protocol_version":0,"min_protocol_version":0,"server_version":"2.4.4","success":true}"# + "\0",
            #"{"authentication":"r=OUSJDi3GYnvrA4/bBRTKFJLKU0VSVkVSTk9OQ0UtMThieXRl,"#
                + #"s=MDEyMzQ1Njc4OWFiY2RlZg==,i=4096","success":true}"# + "\0",
        ])
        let final = machine.receive(ScramTestClient.finalBytes(
            "c=biws,r=OUSJDi3GYnvrA4/bBRTKFJLKU0VSVkVSTk9OQ0UtMThieXRl,p=GsRxw1U6r59Pm4T7Be3/AkjUPKdOhw06EHfuoXLja68="
        ))
        #expect(final.replies.map(Self.text) == [
            #"{"authentication":"v=srpUAYI67KVefWb5TFk6452uz9g/RdFmMxXDyhVGFHU=","success":true}"# + "\0"
        ])
        #expect(final.verdict == .authenticated(user: "bob", leftover: []))
    }

    @Test("The captured admin transcript with the empty password is accepted byte by byte")
    func capturedAdminTranscriptIsAccepted() {
        let users = UserCredentials(users: ["admin": .init(password: "", salt: Self.salt)])
        var machine = HandshakeStateMachine(users: users, random: .fixed(Self.serverNonce))
        let first = Self.magic + Self.clientHello("n,,n=admin,r=3j03omsRYjXKLozDzECBbRAJ")
        #expect(first.count == 124)
        var replies: [[UInt8]] = []
        for byte in first {
            let step = machine.receive([byte])
            #expect(step.verdict == .needMoreData)
            replies += step.replies
        }
        #expect(replies.count == 2)
        #expect(Self.text(replies[1]).contains("r=3j03omsRYjXKLozDzECBbRAJU0VSVkVSTk9OQ0UtMThieXRl,"))
        let final = machine.receive(ScramTestClient.finalBytes(
            "c=biws,r=3j03omsRYjXKLozDzECBbRAJU0VSVkVSTk9OQ0UtMThieXRl,p=jkK5eL3HbnT/oSY0/jLWswDP+6+AJ5yCfvl9Oy/6AX4="
        ))
        #expect(final.replies.map(Self.text) == [
            #"{"authentication":"v=v+rrxxocZV0kdVZSH7V0aMX4tWRvSl3jbDktYMqZ4wk=","success":true}"# + "\0"
        ])
        #expect(final.verdict == .authenticated(user: "admin", leftover: []))
    }

    @Test("The hello goes out as soon as the magic is in, before any client JSON")
    func helloIsSentRightAfterMagic() {
        var machine = Self.bobMachine()
        #expect(machine.receive([0xC3, 0xBD]).replies.isEmpty)
        let step = machine.receive([0xC2, 0x34])
        #expect(step.replies == [HandshakeStateMachine.serverHello])
        #expect(step.verdict == .needMoreData)
    }

    @Test("Bytes pipelined after the client-final message are handed on as leftover")
    func pipelinedBytesBecomeLeftover() {
        var machine = Self.bobMachine()
        _ = machine.receive(Self.magic + Self.clientHello("n,,n=bob,r=OUSJDi3GYnvrA4/bBRTKFJLK"))
        let query: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0] + Array("[5]".utf8)
        let final = ScramTestClient.finalBytes(
            "c=biws,r=OUSJDi3GYnvrA4/bBRTKFJLKU0VSVkVSTk9OQ0UtMThieXRl,p=GsRxw1U6r59Pm4T7Be3/AkjUPKdOhw06EHfuoXLja68="
        )
        #expect(machine.receive(final + query).verdict == .authenticated(user: "bob", leftover: query))
    }

    @Test("Legacy and unknown magic numbers get the plain-text refusal", arguments: [
        [0x36, 0xBA, 0x61, 0x3F] as [UInt8],  // V0_1
        [0xE1, 0x81, 0x30, 0x72],  // V0_2
        [0x3E, 0xE8, 0x75, 0x5F],  // V0_3
        [0x20, 0x2D, 0x0C, 0x40],  // V0_4
        Array("GET ".utf8),
    ])
    func legacyMagicIsRefused(magic: [UInt8]) {
        var machine = Self.bobMachine()
        let step = machine.receive(magic + Array("more".utf8))
        #expect(step.verdict == .failed(nil))
        #expect(Self.text(step.replies.last ?? []) == """
            ERROR: Received an unsupported protocol version. This port is for RethinkDB queries. \
            Does your client driver version not match the server?\n\0
            """)
        #expect(machine.receive([1, 2, 3]).replies.isEmpty)
    }

    @Test("A message without a terminator in 2048 bytes is refused with code 7")
    func unterminatedMessageIsRefused() {
        var machine = Self.bobMachine()
        var step = machine.receive(Self.magic + [UInt8](repeating: UInt8(ascii: " "), count: 2047))
        #expect(step.verdict == .needMoreData)
        step = machine.receive([UInt8(ascii: " ")])
        #expect(step.verdict == .failed(.limitedReadBufferSize))
        #expect(Self.text(step.replies.last ?? []) == Self.errorReply("Limited read buffer size.", 7))
    }

    @Test("A malformed client hello is refused with RethinkDB's code and text", arguments: [
        ("not json", 8, "Invalid JSON object."),
        (#"{"a":1,"a":2}"#, 9, "Failed to convert JSON to datum."),
        (#"{"authentication_method":"SCRAM-SHA-256"}"#, 1, "Expected a number for `protocol_version`."),
        (#"[0]"#, 1, "Expected a number for `protocol_version`."),
        (#"{"protocol_version":"0"}"#, 1, "Expected a number for `protocol_version`."),
        (#"{"protocol_version":1}"#, 2, "Unsupported `protocol_version`."),
        (#"{"protocol_version":0,"authentication_method":5}"#, 3, "Expected a string for `authentication_method`."),
        (#"{"protocol_version":0,"authentication_method":"SCRAM-SHA-1"}"#, 4, "Unsupported `authentication_method`."),
        (
            #"{"protocol_version":0,"authentication_method":"SCRAM-SHA-256"}"#, 5,
            "Expected a string for `authentication`."
        ),
    ])
    func malformedClientHelloIsRefused(hello: String, code: Int, message: String) {
        var machine = Self.bobMachine()
        let step = machine.receive(Self.magic + Array(hello.utf8) + [0])
        #expect(step.verdict == .failed(HandshakeError(code: code, message: message)))
        #expect(step.replies.map(Self.text) == [
            Self.text(HandshakeStateMachine.serverHello), Self.errorReply(message, code),
        ])
    }

    @Test("A malformed client-first message is refused with its SCRAM error", arguments: [
        ("p=tls-unique,,n=bob,r=abc", 15, "Channel binding is not supported"),
        ("y,,n=bob,r=abc", 15, "Channel binding is not supported"),
        ("n,no-comma", 10, "Invalid encoding"),
        ("n,,n=bob", 10, "Invalid encoding"),
        ("n,,r=abc", 10, "Invalid encoding"),
        ("n,,n=bob,r=abc,r=def", 10, "Invalid encoding"),
        ("n,,nn=bob,r=abc", 10, "Invalid encoding"),
        ("n,,n=bob,x=1,r=abc", 10, "Invalid encoding"),
        ("n,,m=ext,n=bob,r=abc", 11, "Extensions not supported"),
        ("n,,n=b=2Xob,r=abc", 18, "Invalid username encoding"),
        ("n,,n=bob=,r=abc", 18, "Invalid username encoding"),
        ("n,,n=,r=abc", 18, "Empty username"),
    ])
    func malformedClientFirstIsRefused(first: String, code: Int, message: String) {
        var machine = Self.bobMachine()
        let step = machine.receive(Self.magic + Self.clientHello(first))
        #expect(step.verdict == .failed(HandshakeError(code: code, message: message)))
        #expect(Self.text(step.replies.last ?? []) == Self.errorReply(message, code))
    }

    @Test("Escaped user names are decoded before the lookup")
    func escapedUserNamesDecodedLookup() throws {
        #expect(try ScramExchange.decodeUsername("a=2Cb=3Dc") == "a,b=c")
    }

    @Test("An unknown user gets a salt and fails only after the client-final message")
    func unknownUserFailsAfterClientFinal() {
        var machine = Self.bobMachine()
        let first = machine.receive(Self.magic + Self.clientHello("n,,n=alice,r=abc"))
        #expect(first.verdict == .needMoreData)
        #expect(Self.text(first.replies[1]).contains(",s="))
        let final = machine.receive(ScramTestClient.finalBytes("c=biws,r=abcU0VSVkVSTk9OQ0UtMThieXRl,p=AAAA"))
        #expect(final.verdict == .failed(.unknownUser))
        #expect(final.replies.map(Self.text) == [Self.errorReply("Unknown user", 17)])
    }

    @Test("A wrong password is refused with code 12")
    func wrongPasswordRefusedCode12() {
        let client = ScramTestClient(user: "bob", password: "guess")
        var machine = Self.bobMachine()
        let first = machine.receive(client.openingBytes)
        let serverFirst = Self.authentication(in: first.replies[1])
        let final = machine.receive(ScramTestClient.finalBytes(client.finalMessage(serverFirst: serverFirst).message))
        #expect(final.verdict == .failed(.wrongPassword))
        #expect(final.replies.map(Self.text) == [Self.errorReply("Wrong password", 12)])
    }

    @Test("A right proof over a wrong nonce is refused with code 20")
    func rightProofOverWrongNonceRefused() {
        let client = ScramTestClient(user: "bob", password: "secret")
        var machine = Self.bobMachine()
        let first = machine.receive(client.openingBytes)
        let serverFirst = Self.authentication(in: first.replies[1])
        let forged = client.finalMessage(serverFirst: serverFirst, nonce: "OUSJDi3GYnvrA4/bBRTKFJLKforged").message
        let final = machine.receive(ScramTestClient.finalBytes(forged))
        #expect(final.verdict == .failed(.otherError))
    }

    @Test("A malformed client-final message is refused in key order", arguments: [
        ("c=biws,r=OUSJDi3GYnvrA4/bBRTKFJLKU0VSVkVSTk9OQ0UtMThieXRl", 10, "Invalid encoding"),
        ("c=eSws,r=OUSJDi3GYnvrA4/bBRTKFJLKU0VSVkVSTk9OQ0UtMThieXRl,p=AAAA", 10, "Invalid encoding"),
        ("c=biws,m=1,r=OUSJDi3GYnvrA4/bBRTKFJLKU0VSVkVSTk9OQ0UtMThieXRl,p=AAAA", 11, "Extensions not supported"),
        ("c=biws,r=OUSJDi3GYnvrA4/bBRTKFJLKU0VSVkVSTk9OQ0UtMThieXRl,p=not-base64", 12, "Wrong password"),
        ("a=1,c=biws,r=OUSJDi3GYnvrA4/bBRTKFJLKU0VSVkVSTk9OQ0UtMThieXRl,p=AAAA", 10, "Invalid encoding"),
        ("c=biws,r=OUSJDi3GYnvrA4/bBRTKFJLKU0VSVkVSTk9OQ0UtMThieXRl,p=AAAA,x=1", 12, "Wrong password"),
        ("c=biws,,p=AAAA", 10, "Invalid encoding"),
    ])
    func malformedClientFinalIsRefused(final: String, code: Int, message: String) {
        var machine = Self.bobMachine()
        let step = Self.finish(final, machine: &machine)
        #expect(step.verdict == .failed(HandshakeError(code: code, message: message)))
    }

    @Test("A client-final message without authentication is refused with code 5")
    func clientFinalMessageWithoutAuthenticationRefused() {
        var machine = Self.bobMachine()
        _ = machine.receive(Self.magic + Self.clientHello("n,,n=bob,r=abc"))
        let step = machine.receive(Array(#"{"auth":"c=biws"}"#.utf8) + [0])
        #expect(step.verdict == .failed(.expectedAuthenticationString))
    }

    static func authentication(in reply: [UInt8]) -> String {
        let json = try? Document(parsing: Array(reply.dropLast()))
        return json?["authentication"]?.stringValue ?? ""
    }
}

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
}
