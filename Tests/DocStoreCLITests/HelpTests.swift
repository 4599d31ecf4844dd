import ArgumentParser
import Testing
@testable import DocStoreCLI

/// `--help` texts: written as paragraphs so ArgumentParser wraps them, with each option's
/// values listed.
@Suite("CLI: help texts")
struct HelpTests {
    static let commands: [any ParsableCommand.Type] = [
        DocStoreCommand.self, InsertCommand.self, GetCommand.self, UpdateCommand.self, ReplaceCommand.self,
        DeleteCommand.self, TableCommand.self, TableCommand.Create.self, TableCommand.Drop.self,
        TableCommand.List.self, WriteHookCommand.self, ExportCommand.self, DumpCommand.self, RestoreCommand.self, ServeCommand.self, BetweenCommand.self, ScanCommand.self,
        IndexCommand.self, IndexCommand.Create.self, IndexCommand.List.self, IndexCommand.Drop.self,
        IndexCommand.Rename.self, IndexCommand.Status.self,
    ]

    @Test("each discussion paragraph is one line, so the help wraps only where the screen ends",
          arguments: commands.map { ObjectIdentifier($0) })
    func paragraphs(id: ObjectIdentifier) throws {
        let command = try #require(Self.commands.first { ObjectIdentifier($0) == id })
        let discussion = command.configuration.discussion
        #expect(!discussion.isEmpty)
        for paragraph in discussion.components(separatedBy: "\n\n") {
            // Examples and quoted output are indented or introduced by "Example"; they keep
            // their lines.
            if paragraph.hasPrefix(" ") || paragraph.hasPrefix("Example") { continue }
            #expect(!paragraph.contains("\n"), "\(command): \(paragraph)")
        }
    }

    @Test("the root help keeps 'one table per RethinkDB table' on one line at 80 columns")
    func rootWraps() {
        let help = DocStoreCommand.helpMessage(columns: 80)
        #expect(help.contains("one table per RethinkDB table"), "\(help)")
    }

    @Test("example lines fit in 80 columns, so the wrapping never breaks a command",
          arguments: commands.map { ObjectIdentifier($0) })
    func examplesFit(id: ObjectIdentifier) throws {
        let command = try #require(Self.commands.first { ObjectIdentifier($0) == id })
        for line in command.configuration.discussion.split(separator: "\n") where line.hasPrefix("  ") {
            #expect(line.count <= 78, "\(command): \(line)")
        }
    }

    @Test("--help lists the values of --durability, --conflict, --return-changes, --format and the bounds",
          arguments: [
              (ObjectIdentifier(InsertCommand.self),
               ["error", "replace", "update", "hard", "soft", "(values: true, false, always; default as flag: true)"]),
              (ObjectIdentifier(DeleteCommand.self), ["hard", "soft", "(values: true, false, always; default as flag: true)"]),
              (ObjectIdentifier(TableCommand.Create.self), ["hard", "soft", "(default: hard)"]),
              (ObjectIdentifier(ExportCommand.self), ["json", "ndjson", "(default: json)"]),
              (ObjectIdentifier(BetweenCommand.self), ["open", "closed", "(default: closed)", "(default: open)"]),
          ])
    func values(id: ObjectIdentifier, expected: [String]) throws {
        let command = try #require(Self.commands.first { ObjectIdentifier($0) == id })
        let help = DocStoreCommand.helpMessage(for: command, columns: 200)
        for text in expected {
            #expect(help.contains(text), "\(text) missing in\n\(help)")
        }
    }

    @Test("the unknown-subcommand fallback is not listed")
    func hiddenFallback() {
        #expect(!DocStoreCommand.helpMessage(columns: 200).contains("unknown-subcommand"))
    }
}
