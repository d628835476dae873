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
        let store = CuratedStore(curatedRoot: project.curatedRoot)
        guard let a = try store.load(dataset, release: oldest, schema: spec.schema),
              let b = try store.load(dataset, release: newest, schema: spec.schema) else {
            throw CurateError(.ioError, "a release's files are missing", at: SourceLocation(file: "Curated/\(dataset)/releases"))
        }
        return between(a, b, dataset: dataset, from: oldest, to: newest)
    }

    /// What publishing `table` (release `release`) would change against the latest release kept
    /// in Curated/: every row of the table is added when nothing is published yet.
    static func preview(_ table: CuratedTable, release: String, dataset: String, curatedRoot: String) throws -> ReleaseDiff {
        let publisher = Publisher(curatedRoot: curatedRoot)
        let empty = CuratedTable(schema: table.schema, rows: [])
        guard let latest = publisher.releases(of: dataset).last?.id else {
            return between(empty, table, dataset: dataset, from: "none", to: release)
        }
        let published = try CuratedStore(curatedRoot: curatedRoot).load(dataset, release: latest, schema: table.schema)
        guard let published else {
            throw CurateError(.ioError, "release \(latest) is listed but its files are missing", at: SourceLocation(file: "Curated/\(dataset)/releases/\(latest)"))
        }
        return between(published, table, dataset: dataset, from: latest, to: release)
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
        return diff
    }

    /// The diff as lines for a terminal: a heading, then `+ key values`, `- key values` and
    /// `~ key field: old → new`.
    /// `limit` caps the lines of each kind (a preview in a run's summary), saying how many are left out.
    public func lines(heading: String? = nil, limit: Int = .max) -> [String] {
        if onlyRelease { return ["\(dataset) has one release (\(to)): nothing to compare it with yet"] }
        if from == to && added.isEmpty && removed.isEmpty && changed.isEmpty {
            return [(heading ?? "\(dataset): \(from) → \(to)") + ": no change"]
        }
        var out = [(heading ?? "\(dataset): \(from) → \(to)") + ": \(added.count) added, \(removed.count) removed, \(changed.count) changed"]
        func capped(_ items: [String], _ kind: String) -> [String] {
            items.count <= limit ? items : Array(items.prefix(limit)) + ["… \(items.count - limit) more \(kind) (curate diff after publishing lists them all)"]
        }
        out += capped(addedRows.map { "+ \($0.key) \($0.text)" }, "added")
        out += capped(removedRows.map { "- \($0.key) \($0.text)" }, "removed")
        out += capped(changed.map { "~ \($0.key) \($0.field): \($0.old) → \($0.new)" }, "changed")
        return out
    }

    private static func unknown(_ id: String, _ dataset: String, _ ids: [String]) -> CurateError {
        CurateError(.specError, "\(dataset) has no release \(id) (releases: \(ids.joined(separator: ", ")))")
    }
}
