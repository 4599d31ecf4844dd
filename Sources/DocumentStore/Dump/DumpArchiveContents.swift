import DocumentModel
import Foundation

/// The tables of a `rethinkdb dump` archive, extracted into a scratch directory the way
/// `rethinkdb restore` does it (`do_unzip` and `parse_sources`): members other than regular
/// `.json`, `.csv` and `.info` files are skipped, every kept member must be
/// `<top>/<db>/<file>` under one `<top>`, and a table is a data file with an `.info` beside it.
final class DumpArchiveContents {
    /// One table found in the archive.
    struct Source {
        let database: String
        let table: String
        /// The extracted `.json` file.
        let dataPath: String
        let info: DumpTableInfo
    }

    let directory: String
    private(set) var sources: [Source] = []

    /// Extracts the members the filters choose (`DB` or `DB.TABLE`; empty for all).
    init(archive path: String, filters: [String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("docstore-restore-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        do {
            let chosen = Self.parse(filters)
            try extract(path, chosen: chosen)
            try collect()
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Deletes the extracted files; the restore calls it when done, whatever happened.
    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func parse(_ filters: [String]) -> [(database: String, table: String?)] {
        filters.map { filter in
            guard let dot = filter.firstIndex(of: ".") else { return (filter, nil) }
            return (String(filter[..<dot]), String(filter[filter.index(after: dot)...]))
        }
    }

    private func extract(_ path: String, chosen: [(database: String, table: String?)]) throws {
        let reader = try TarGzReader(path: path)
        var top: String?
        var found = false
        while let entry = try reader.next() {
            guard entry.isRegularFile else { continue }
            guard let parts = Self.components(entry.name) else { continue }
            let name = parts.last ?? ""
            let ext = (name as NSString).pathExtension
            guard ["json", "csv", "info"].contains(ext) else { continue }
            guard parts.count == 3 else {
                throw DocumentStoreError(.queryLogic, "Archive file has an unexpected directory structure: \(entry.name)")
            }
            if let top, top != parts[0] {
                throw DocumentStoreError(.queryLogic, "Archive file has an unexpected directory structure (\(parts[0]) vs \(top))")
            }
            top = parts[0]
            let table = (name as NSString).deletingPathExtension
            guard chosen.isEmpty || chosen.contains(where: { $0.database == parts[1] && ($0.table == nil || $0.table == table) }) else {
                continue
            }
            let folder = directory + "/" + parts[1]
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try reader.extract(to: folder + "/" + name)
            found = true
        }
        guard found else { throw DocumentStoreError(.queryLogic, "Archive file had no files") }
    }

    /// The member's path without empty and `.` components, as `os.path.relpath` leaves it; nil
    /// for a path that climbs out with `..` (restore skips those).
    private static func components(_ name: String) -> [String]? {
        var parts: [String] = []
        for part in name.trimmingCharacters(in: .whitespaces).split(separator: "/") where part != "." {
            if part == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            } else {
                parts.append(String(part))
            }
        }
        return parts
    }

    private func collect() throws {
        let manager = FileManager.default
        for database in try manager.contentsOfDirectory(atPath: directory).sorted() {
            let folder = directory + "/" + database
            let files = Set(try manager.contentsOfDirectory(atPath: folder))
            for file in files.sorted() {
                let ext = (file as NSString).pathExtension
                let table = (file as NSString).deletingPathExtension
                guard ext == "json" || ext == "csv", files.contains(table + ".info") else { continue }
                guard ext == "json" else {
                    throw DocumentStoreError(.queryLogic, "The archive's `\(database)/\(file)` is CSV; DocStore restores the JSON files that `rethinkdb dump` writes.")
                }
                guard let bytes = manager.contents(atPath: folder + "/" + table + ".info") else {
                    throw DocumentStoreError(.storage, "Cannot read the archive's `\(database)/\(table).info`.")
                }
                let info = try DumpTableInfo(parsing: Array(bytes), database: database, table: table)
                sources.append(Source(database: database, table: table, dataPath: folder + "/" + file, info: info))
            }
        }
    }
}
