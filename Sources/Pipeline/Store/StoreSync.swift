import Foundation
import CurateCore
import Publish
import Store
import Validate

/// Brings Curated/curate.sqlite up to date with the release folders: adds kept releases it lacks
/// (all of them when the file is new, which is how a lost store is rebuilt), each dataset's
/// description and latest findings, and the code lists.
///
/// The store is a cache: when it is found corrupt (on open, or at the first SQLite error saying so)
/// it is deleted and rebuilt from the release folders, and `sync` says so, for the run's log.
///
/// A release of more than `eagerRowLimit` rows is registered (loaded = 0), not loaded, during a
/// run: filling SQLite costs several times the whole run for a table of millions of rows (see
/// docs/benchmarks.md), and consumers of such a table read its data.csv directly (DuckDB, pandas,
/// arrow). `curate store --load NAME` loads it when someone wants it in SQL.
public struct StoreSync {
    let project: Project
    /// The datasets whose large releases are loaded too.
    var loadLarge: Set<String> = []
    public static let eagerRowLimit = 250_000
    /// `eagerRowLimit`, lowered by tests.
    var rowLimit = Self.eagerRowLimit

    public init(project: Project, loadLarge: Set<String> = []) { self.project = project; self.loadLarge = loadLarge }

    var path: String { CuratedLayout(root: project.curatedRoot).store }

    /// `curate store --load`: brings the store up to date, loading the named datasets' large
    /// releases too, under the run lock (a run writes the store as well).
    public static func load(_ names: [String], project: Project, wait: Bool) throws -> Outcome {
        let lock = try RunLock(curatedRoot: project.curatedRoot, wait: wait)
        defer { withExtendedLifetime(lock) {} }
        let set = try project.loadSpecSet()
        for name in names where !set.names.contains(name) {
            throw CurateError(.specError, "no pipeline named \(name) (have: \(set.names.joined(separator: ", ")))")
        }
        return try StoreSync(project: project, loadLarge: Set(names)).sync(specs: set.specs)
    }

    /// Every release in the store (dataset, release, rows, loaded); empty when there is no store yet.
    public static func releases(project: Project) throws -> [(dataset: String, release: String, rows: Int, loaded: Bool)] {
        let path = project.curatedRoot + "/curate.sqlite"
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try CurateStore(path: path).releaseList()
    }

    /// What a sync did beyond the usual.
    public struct Outcome {
        /// Why the store was rebuilt, when it was.
        public var rebuilt: String?
        /// Releases registered without their rows (dataset, release, rows).
        public var deferred: [(dataset: String, release: String, rows: Int)] = []
    }

    /// Each release goes in streamed from its folder (data.csv and lineage.csv read in step), so a
    /// release of any size is added in bounded memory.
    @discardableResult
    public func sync(specs: [PipelineSpec]) throws -> Outcome {
        do {
            return try fill(specs: specs)
        } catch where CurateStore.isCorruption(error) {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            var outcome = try fill(specs: specs)
            outcome.rebuilt = "\(error)"
            return outcome
        }
    }

    private func fill(specs: [PipelineSpec]) throws -> Outcome {
        var outcome = Outcome()
        let store = try CurateStore(path: path)
        let publisher = Publisher(curatedRoot: project.curatedRoot)
        let curated = CuratedStore(curatedRoot: project.curatedRoot)
        let catalog = publisher.catalog()
        for spec in specs {
            try store.prepare(dataset: spec.name, fields: spec.schema.fields.map(\.name))
            var have = try store.releases(of: spec.name)
            if loadLarge.contains(spec.name) { have.subtract(try store.deferredReleases(of: spec.name)) }
            for (position, release) in publisher.releases(of: spec.name).enumerated() where !have.contains(release.id) {
                let folder = publisher.layout.release(release.id, of: spec.name)
                guard FileManager.default.fileExists(atPath: folder + "/" + ReleaseFiles.data) else { continue }
                let raw: [CurateStore.RawFile] = (release.raw ?? []).map { CurateStore.RawFile(path: $0.path, sha256: $0.sha256, bytes: $0.bytes) }
                if release.rows > rowLimit && !loadLarge.contains(spec.name) {
                    let dataPath: String = spec.name + "/releases/" + release.id + "/" + ReleaseFiles.data
                    try store.register(dataset: spec.name, release: release.id, position: position, rows: release.rows, raw: raw, dataPath: dataPath)
                    outcome.deferred.append((spec.name, release.id, release.rows))
                    continue
                }
                try store.add(dataset: spec.name, release: release.id, position: position, periodField: spec.shape.periodField, schema: spec.schema,
                              raw: raw) { add in
                    try curated.forEachRow(directory: folder, schema: spec.schema, add)
                }
            }
            let license = spec.licenses.first
            try store.describe(.init(name: spec.name, title: spec.title, description: spec.description,
                                     sourceTitle: spec.source.title, sourcePublisher: spec.source.publisher, sourceURL: spec.source.url,
                                     sourcePath: spec.source.path.isEmpty ? nil : spec.source.path,
                                     license: license?.title ?? license?.name, licenseURL: license?.path))
            if let report = publisher.latestReport(of: spec.name) {
                let release = catalog?.datasets.first { $0.name == spec.name }?.release
                try store.replaceFindings(of: spec.name, release: report.valid ? release : nil, report: report)
            }
        }
        try store.replaceCodeLists(try project.codeListIDs().map { id in
            let list = try project.codeList(id)
            return .init(id: list.id, title: list.title, source: list.source, codes: list.codes.map { ($0.code, $0.label, $0.group) })
        })
        try store.keepOnly(Set(specs.map(\.name)))
        return outcome
    }
}
