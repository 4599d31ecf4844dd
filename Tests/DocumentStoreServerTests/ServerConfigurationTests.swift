import Foundation
import Testing

@testable import DocumentStoreServer

/// What `--password-file` reads, and that configurations and credentials never print secrets.
@Suite struct ServerConfigurationTests {
    static func readPassword(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("docstore-password-\(UUID().uuidString)").path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ServerConfiguration.readPasswordFile(atPath: path)
    }

    @Test("The password is the file's first line without its line ending", arguments: [
        ("secret\n", "secret"),
        ("secret", "secret"),
        ("secret\r\n", "secret"),
        ("two words \nsecond line\n", "two words "),
        ("", ""),
        ("\n", ""),
    ])
    func passwordFile(contents: String, password: String) throws {
        #expect(try Self.readPassword(contents) == password)
    }

    @Test("A missing password file is an error")
    func missingPasswordFile() {
        #expect(throws: (any Error).self) {
            try ServerConfiguration.readPasswordFile(atPath: "/nonexistent/docstore-password")
        }
    }

    @Test("Descriptions of the configuration and the credentials leave secrets out")
    func descriptionsRedactSecrets() {
        let configuration = ServerConfiguration(adminPassword: "hunter2")
        #expect(!configuration.description.contains("hunter2"))
        #expect(configuration.description.contains("port: 28015"))
        let credential = UserCredentials.Credential(password: "hunter2", salt: [1, 2, 3], iterations: 2)
        let users = UserCredentials(users: ["admin": credential])
        #expect(users.description == "UserCredentials(admin)")
        #expect(!String(describing: credential).contains(hex(credential.storedKey)))
    }

    @Test("The default server name is a sanitized host name")
    func defaultServerName() {
        let name = ServerConfiguration.defaultServerName
        #expect(!name.isEmpty)
        #expect(name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
    }
}
