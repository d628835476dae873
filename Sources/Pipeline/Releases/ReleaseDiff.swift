import Foundation
import CurateCore
import Publish
import Validate

/// What changed between two kept releases of a dataset, or between the latest release and what a
/// new raw file would publish (the refresh preview of `validate` and `run --dry-run`): rows added,
/// removed, and changed (old and new values), matched by the primary key.
public struct ReleaseDiff: Sendable {
    public struct Change: Sendable, Equatable {
        /// The primary key, e.g. `2020+amount`.
        public var key: String
        public var field: String
        public var old: String
        public var new: String
    }

    /// A whole row added or removed: its key and its other fields with their values.
    public struct Row: Sendable, Equatable {
        public var key: String
        public var values: [(field: String, value: String)]

        public static func == (a: Row, b: Row) -> Bool {
            a.key == b.key && a.values.map(\.field) == b.values.map(\.field) && a.values.map(\.value) == b.values.map(\.value)
        }

        /// `value=893 unit=JPY`: the fields that are not part of the key.
        public var text: String { values.map { "\($0.field)=\($0.value)" }.joined(separator: " ") }
    }

    public var dataset: String
    /// The older release (`none` in a preview of a dataset never published).
    public var from: String
    /// The newer release, or the release id the new raw file would get.
    public var to: String
    public var added: [String] = []
    public var removed: [String] = []
    public var changed: [Change] = []
    /// The added and removed rows with their values, in key order (the same keys as `added`, `removed`).
    public var addedRows: [Row] = []
    public var removedRows: [Row] = []
    /// The dataset has a single release and no other was asked for: nothing to compare yet.
    public var onlyRelease = false
    /// How many keys were added, removed and changed (field changes) in all: more than the lists
    /// hold when a preview kept only the first of each kind (see `previewRows`).
    public var addedCount = 0, removedCount = 0, changedCount = 0

    /// Rows of each kind a refresh preview keeps (in key order): what a run's summary lists.
    public static let previewRows = 50

    /// Compares release `from` (default: the one before `to`) with `to` (default: the latest).
    /// With one release and neither given, the result says so (`onlyRelease`) rather than failing.
    public static func compare(_ dataset: String, from: String?, to: String?, project: Project) throws -> ReleaseDiff {
        let specs = try project.loadSpecSet()
        if let broken = specs.brokenSpec(named: dataset) { throw broken.error }
        guard let spec = specs.specs.first(where: { $0.name == dataset }) else {
            throw CurateError(.specError, "no pipeline named \(dataset) (have: \(specs.names.joined(separator: ", ")))")
        }
        let publisher = Publisher(curatedRoot: project.curatedRoot)
        let ids = publisher.releases(of: dataset).map(\.id)
        guard let newest = to ?? ids.last else {
            throw CurateError(.ioError, "\(dataset) has no release yet: run it first", at: SourceLocation(file: "Curated/\(dataset)"))
        }
        guard ids.contains(newest) else { throw unknown(newest, dataset, ids) }
        guard let oldest = from ?? ids.prefix(while: { $0 != newest }).last else {
            if from == nil && to == nil {
                var diff = ReleaseDiff(dataset: dataset, from: newest, to: newest)
                diff.onlyRelease = true
                return diff
            }
            throw CurateError(.specError, "\(dataset) has no release before \(newest): nothing to compare (releases: \(ids.joined(separator: ", ")))")
        }
        guard ids.contains(oldest) else { throw unknown(oldest, dataset, ids) }
        let folder = publisher.directory(for: dataset) + "/releases/"
        guard FileManager.default.fileExists(atPath: folder + oldest + "/" + ReleaseFiles.data),
              FileManager.default.fileExists(atPath: folder + newest + "/" + ReleaseFiles.data) else {
            throw CurateError(.ioError, "a release's files are missing", at: SourceLocation(file: "Curated/\(dataset)/releases"))
        }
        return try merged(old: folder + oldest, new: folder + newest, schema: spec.schema, dataset: dataset, from: oldest, to: newest,
                          keep: .max, curatedRoot: project.curatedRoot)
    }

    /// What publishing the release rendered in `directory` (id `release`) would change against the
    /// latest release kept in Curated/: every row is added when nothing is published yet. Only the
    /// first `keep` keys of each kind are listed (the counts are whole), and neither table is held.
    static func preview(directory: String, schema: TableSchema, release: String, dataset: String, curatedRoot: String,
                        keep: Int = previewRows) throws -> ReleaseDiff {
        let publisher = Publisher(curatedRoot: curatedRoot)
        guard let latest = publisher.releases(of: dataset).last?.id else {
            return try merged(old: nil, new: directory, schema: schema, dataset: dataset, from: "none", to: release, keep: keep, curatedRoot: curatedRoot)
        }
        let folder = publisher.directory(for: dataset) + "/releases/" + latest
        guard FileManager.default.fileExists(atPath: folder + "/" + ReleaseFiles.data) else {
            throw CurateError(.ioError, "release \(latest) is listed but its files are missing", at: SourceLocation(file: "Curated/\(dataset)/releases/\(latest)"))
        }
        return try merged(old: folder, new: directory, schema: schema, dataset: dataset, from: latest, to: release, keep: keep, curatedRoot: curatedRoot)
    }

    /// The release folders `old` (nil: none) and `new` compared through `ReleaseMerge`; should a
    /// file not be in the schema's key order (a release published under another key), both are
    /// loaded and indexed by key instead, as every diff was before.
    static func merged(old: String?, new: String, schema: TableSchema, dataset: String, from: String, to: String,
                               keep: Int, curatedRoot: String) throws -> ReleaseDiff {
        do {
            var merge = ReleaseMerge(schema: schema, keep: keep)
            try merge.run(old: try old.map { try KeyedRows(directory: $0, schema: schema) }, new: try KeyedRows(directory: new, schema: schema))
            return merge.diff(dataset: dataset, from: from, to: to)
        } catch is KeyedRows.OutOfOrder {
            let store = CuratedStore(curatedRoot: curatedRoot)
            let a = try old.map { try store.load(directory: $0, schema: schema) } ?? CuratedTable(schema: schema, rows: [])
            var diff = between(a, try store.load(directory: new, schema: schema), dataset: dataset, from: from, to: to)
            if keep < .max {
                diff.added = Array(diff.added.prefix(keep)); diff.addedRows = Array(diff.addedRows.prefix(keep))
                diff.removed = Array(diff.removed.prefix(keep)); diff.removedRows = Array(diff.removedRows.prefix(keep))
                diff.changed = Array(diff.changed.prefix(keep))
            }
            return diff
        }
    }

    /// Rows of `a` and `b` matched by the primary key of `b`'s schema.
    static func between(_ a: CuratedTable, _ b: CuratedTable, dataset: String, from: String, to: String) -> ReleaseDiff {
        let schema = b.schema
        let keyText = PrimaryKeyText(schema)
        func index(_ t: CuratedTable) -> [String: CuratedRow] {
            Dictionary(t.rows.map { row in (keyText(row), row) }, uniquingKeysWith: { a, _ in a })
        }
        let keyFields = Set(schema.primaryKey)
        func row(_ key: String, _ r: CuratedRow) -> Row {
            Row(key: key, values: schema.fields.enumerated().filter { !keyFields.contains($0.element.name) }
                .map { (field: $0.element.name, value: r.values[$0.offset].description) })
        }
        var diff = ReleaseDiff(dataset: dataset, from: from, to: to)
        let old = index(a), new = index(b)
        diff.removed = old.keys.filter { new[$0] == nil }.sorted()
        diff.added = new.keys.filter { old[$0] == nil }.sorted()
        diff.removedRows = diff.removed.map { row($0, old[$0]!) }
        diff.addedRows = diff.added.map { row($0, new[$0]!) }
        for key in old.keys.sorted() {
            guard let before = old[key], let after = new[key] else { continue }
            for (i, field) in schema.fields.enumerated() where before.values[i] != after.values[i] {
                diff.changed.append(Change(key: key, field: field.name, old: before.values[i].description, new: after.values[i].description))
            }
        }
        diff.addedCount = diff.added.count; diff.removedCount = diff.removed.count; diff.changedCount = diff.changed.count
        return diff
    }

    /// The diff as lines for a terminal: a heading, then `+ key values`, `- key values` and
    /// `~ key field: old → new`.
    /// `limit` caps the lines of each kind (a preview in a run's summary), saying how many are left out.
    public func lines(heading: String? = nil, limit: Int = .max) -> [String] {
        if onlyRelease { return ["\(dataset) has one release (\(to)): nothing to compare it with yet"] }
        if from == to && addedCount == 0 && removedCount == 0 && changedCount == 0 {
            return [(heading ?? "\(dataset): \(from) → \(to)") + ": no change"]
        }
        var out = [(heading ?? "\(dataset): \(from) → \(to)") + ": \(addedCount) added, \(removedCount) removed, \(changedCount) changed"]
        func capped(_ items: [String], of count: Int, _ kind: String) -> [String] {
            let shown = items.prefix(limit)
            return shown.count == count ? Array(shown) : Array(shown) + ["… \(count - shown.count) more \(kind) (curate diff after publishing lists them all)"]
        }
        out += capped(addedRows.map { "+ \($0.key) \($0.text)" }, of: addedCount, "added")
        out += capped(removedRows.map { "- \($0.key) \($0.text)" }, of: removedCount, "removed")
        out += capped(changed.map { "~ \($0.key) \($0.field): \($0.old) → \($0.new)" }, of: changedCount, "changed")
        return out
    }

    private static func unknown(_ id: String, _ dataset: String, _ ids: [String]) -> CurateError {
        CurateError(.specError, "\(dataset) has no release \(id) (releases: \(ids.joined(separator: ", ")))")
    }
}
