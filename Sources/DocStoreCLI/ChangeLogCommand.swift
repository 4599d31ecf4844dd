import ArgumentParser
import DocumentStore

/// `docstore table change-log`: shows or switches a table's change log.
struct ChangeLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "change-log",
        abstract: "Show or switch a table's change log, which `docstore changes` follows.",
        discussion: """
            With the log on, every write to the table records the documents it changed, in the same transaction; `docstore changes` (and feeds in apps and the server) read it, live or resuming from a sequence. It keeps the newest 100,000 changes unless --keep-count or --keep-seconds say otherwise. Switching it off deletes the table's records. Without on/off, prints the setting.

            Examples:
              docstore table change-log orders on
              docstore table change-log audit on --keep-seconds 604800
              docstore table change-log orders
              docstore table change-log orders off
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The table.")
    var table: String

    @Argument(help: ArgumentHelp("on or off; omitted: print the setting.", valueName: "on|off"))
    var state: String?

    @OptionGroup var retention: RetentionOptions

    mutating func validate() throws {
        if let state, state != "on" && state != "off" {
            throw ValidationError("The change log is switched `on` or `off`, not `\(state)`.")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let store = try global.openStore()
            let table = store.table(self.table)
            switch state {
            case "on"?: try await table.setChangeLog(.on(retention.value))
            case "off"?: try await table.setChangeLog(.off)
            default: break
            }
            Output.line(Self.describe(try await table.changeLog(), sequence: try await table.latestSequence()).jsonString)
        }
    }

    /// The setting as one JSON object: `{"change_log": true, "keep_count": 100000, "latest_sequence": 12}`.
    static func describe(_ log: ChangeLog, sequence: Int64) -> Document {
        var object = DocumentObject()
        object["change_log"] = .bool(log.isOn)
        if case .on(let retention) = log {
            object["keep_count"] = retention.maxCount.map { .number(Double($0)) } ?? .null
            object["keep_seconds"] = retention.maxAge.map(Document.number) ?? .null
            object["latest_sequence"] = .number(Double(sequence))
        }
        return .object(object)
    }
}

/// `--keep-count` and `--keep-seconds`: how much a change log keeps.
struct RetentionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Keep the newest N changes (default 100000 when no limit is given).", valueName: "N"))
    var keepCount: Int?

    @Option(help: ArgumentHelp("Keep the changes of the last S seconds.", valueName: "S"))
    var keepSeconds: Double?

    var value: ChangeRetention {
        keepCount == nil && keepSeconds == nil ? .default : ChangeRetention(maxCount: keepCount, maxAge: keepSeconds)
    }
}
