import DocumentStore
import ReQL

/// `rethinkdb.server_config`: this server's one row, its name and tags. Renaming the server
/// and setting its tags are kept in the data directory; `cache_size_mb` is checked as
/// RethinkDB checks it, but SQLite sizes its own page cache, so only `"auto"` is kept.
struct ServerConfigTable: SystemTable {
    let name = "server_config"

    func rows(_ context: SystemContext) throws(ReqlError) -> [Document] {
        let identity = context.identity
        return [[
            "cache_size_mb": "auto",
            "id": .string(identity.id),
            "name": .string(identity.name),
            "tags": .array(identity.tags.map(Document.string)),
        ]]
    }

    func write(key: Document, old: Document?, new: Document?, _ context: SystemContext) throws(ReqlError) {
        guard old != nil else {
            if new == nil { return }
            throw .runtime(.opFailed, "It's illegal to insert new rows into the `rethinkdb.server_config` system table.")
        }
        guard let new else {
            throw .runtime(.opFailed, "It's illegal to delete rows from the `rethinkdb.server_config` system table.")
        }
        do throws(ReqlError) {
            var row = try SystemRow(new)
            let name = try row.name("name", what: "server name")
            _ = try row.field("id")
            let tagsValue = try row.field("tags")
            guard case .array(let tagList) = tagsValue else {
                throw SystemRow.failure("In `tags`: Expected an array, got \(SystemRow.print(tagsValue))")
            }
            var tags: [String] = []
            for tag in tagList {
                guard case .string(let text) = tag else {
                    throw SystemRow.failure("In `tags`: Expected a server tag; got \(SystemRow.print(tag))")
                }
                guard ServerIdentity.isValidName(text) else {
                    throw SystemRow.failure("In `tags`: \(SystemRow.print(tag)) is not a valid server tag; Use A-Z, a-z, 0-9, _ and - only")
                }
                if !tags.contains(text) { tags.append(text) }
            }
            let cache = try row.field("cache_size_mb")
            switch cache {
            case "auto":
                break
            case .number(let megabytes) where megabytes < 0:
                throw SystemRow.failure("In `cache_size_mb`: Cache size cannot be negative.")
            case .number(let megabytes) where megabytes * 1_048_576 > Double(Int64.max):
                throw SystemRow.failure("In `cache_size_mb`: Value is too big.")
            case .number:
                // A valid size RethinkDB would use; DocStore leaves SQLite's cache as it is.
                throw .runtime(.opFailed, "DocStore sizes its cache itself: `cache_size_mb` can only be \"auto\".")
            default:
                throw SystemRow.failure("In `cache_size_mb`: Expected a number or 'auto', got \(SystemRow.print(cache))")
            }
            try row.checkNoExtraKeys()
            try context.identity.update(name: name, tags: tags)
            context.system.logs.record("info", "Server renamed to `\(name)`, tags \(tags).")
        } catch {
            if error.message.hasPrefix("DocStore") || error.message.hasPrefix("Could not save") { throw error }
            throw wrongFormat(error.message)
        }
    }
}
