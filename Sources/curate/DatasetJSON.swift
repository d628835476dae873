import Foundation
import CurateCore
import Pipeline
import Publish

/// The JSON of `curate status --json` and `curate list --json`: one shape for both, every key always
/// present (null when unknown), numbers as numbers, so a consumer's script can rely on it.
struct DatasetsJSON: Encodable {
    struct Dataset: Encodable {
        var name: String
        var title: String
        var source: String
        var status: String
        var release: String?
        var rows: Int?
        var coverage: Catalog.Coverage?
        var errors: Int?
        var warnings: Int?

        enum CodingKeys: String, CodingKey { case name, title, source, status, release, rows, coverage, errors, warnings }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name); try c.encode(title, forKey: .title); try c.encode(source, forKey: .source)
            try c.encode(status, forKey: .status); try c.encode(release, forKey: .release); try c.encode(rows, forKey: .rows)
            try c.encode(coverage, forKey: .coverage); try c.encode(errors, forKey: .errors); try c.encode(warnings, forKey: .warnings)
        }
    }

    var datasets: [Dataset]

    init(_ listings: [DatasetListing], project: Project) {
        let catalog = Publisher(curatedRoot: project.curatedRoot).catalog()
        datasets = listings.map { d in
            Dataset(name: d.name, title: d.title, source: d.source, status: d.status, release: d.release, rows: d.rows,
                    coverage: catalog?.datasets.first { $0.name == d.name }?.coverage, errors: d.errors, warnings: d.warnings)
        }
    }

    func print() throws {
        Swift.print(String(decoding: try CanonicalJSON.encode(self), as: UTF8.self), terminator: "")
    }
}

/// `curate diff --json`: the releases compared and every added, removed and changed row.
struct DiffJSON: Encodable {
    struct Change: Encodable { var key, field, old, new: String }
    /// A whole row added or removed, with its non-key fields.
    struct Row: Encodable { var key: String; var values: [String: String] }
    var dataset, from, to: String
    /// True when the dataset has one release and nothing was compared.
    var only_release: Bool
    var added, removed: [Row]
    var changed: [Change]

    init(_ diff: ReleaseDiff) {
        dataset = diff.dataset; from = diff.from; to = diff.to; only_release = diff.onlyRelease
        func rows(_ keys: [String], _ full: [ReleaseDiff.Row]) -> [Row] {
            let byKey = Dictionary(full.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            return keys.map { key in
                Row(key: key, values: Dictionary((byKey[key]?.values ?? []).map { ($0.field, $0.value) }, uniquingKeysWith: { a, _ in a }))
            }
        }
        added = rows(diff.added, diff.addedRows); removed = rows(diff.removed, diff.removedRows)
        changed = diff.changed.map { Change(key: $0.key, field: $0.field, old: $0.old, new: $0.new) }
    }
}
