import CurateCore
import Publish
import Validate

/// What changed between two kept releases of a dataset: rows added, removed, and changed (old and
/// new values), matched by the primary key.
public struct ReleaseDiff: Sendable {
    public struct Change: Sendable, Equatable {
        /// The primary key, e.g. `2020+amount`.
        public var key: String
        public var field: String
        public var old: String
        public var new: String
    }

    public var dataset: String
    public var from: String
    public var to: String
    public var added: [String] = []
    public var removed: [String] = []
    public var changed: [Change] = []

    /// Compares release `from` (default: the one before `to`) with `to` (default: the latest).
    public static func compare(_ dataset: String, from: String?, to: String?, project: Project) throws -> ReleaseDiff {
        guard let spec = try project.loadSpecs().first(where: { $0.name == dataset }) else {
            throw CurateError(.specError, "no pipeline named \(dataset)")
        }
        let publisher = Publisher(curatedRoot: project.curatedRoot)
        let ids = publisher.releases(of: dataset).map(\.id)
        guard let newest = to ?? ids.last else {
            throw CurateError(.ioError, "\(dataset) has no release yet: run it first", at: SourceLocation(file: "Curated/\(dataset)"))
        }
        guard ids.contains(newest) else { throw unknown(newest, dataset, ids) }
        guard let oldest = from ?? ids.prefix(while: { $0 != newest }).last else {
            throw CurateError(.ioError, "\(dataset) has only one release (\(newest)): nothing to compare", at: SourceLocation(file: "Curated/\(dataset)"))
        }
        guard ids.contains(oldest) else { throw unknown(oldest, dataset, ids) }
        let store = CuratedStore(curatedRoot: project.curatedRoot)
        guard let a = try store.load(dataset, release: oldest, schema: spec.schema),
              let b = try store.load(dataset, release: newest, schema: spec.schema) else {
            throw CurateError(.ioError, "a release's files are missing", at: SourceLocation(file: "Curated/\(dataset)/releases"))
        }
        var diff = ReleaseDiff(dataset: dataset, from: oldest, to: newest)
        let keyText = PrimaryKeyText(spec.schema)
        func index(_ t: CuratedTable) -> [String: CuratedRow] {
            Dictionary(t.rows.map { row in (keyText(row), row) }, uniquingKeysWith: { a, _ in a })
        }
        let old = index(a), new = index(b)
        diff.removed = old.keys.filter { new[$0] == nil }.sorted()
        diff.added = new.keys.filter { old[$0] == nil }.sorted()
        for key in old.keys.sorted() {
            guard let before = old[key], let after = new[key] else { continue }
            for (i, field) in spec.schema.fields.enumerated() where before.values[i] != after.values[i] {
                diff.changed.append(Change(key: key, field: field.name, old: before.values[i].description, new: after.values[i].description))
            }
        }
        return diff
    }

    private static func unknown(_ id: String, _ dataset: String, _ ids: [String]) -> CurateError {
        CurateError(.specError, "\(dataset) has no release \(id) (releases: \(ids.joined(separator: ", ")))")
    }
}
