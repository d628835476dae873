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
struct StoreSync {
    let project: Project

    var path: String { CuratedLayout(root: project.curatedRoot).store }

    /// Each release goes in streamed from its folder (data.csv and lineage.csv read in step), so a
    /// release of any size is added in bounded memory. Returns why the store was rebuilt, when it was.
    @discardableResult
    func sync(specs: [PipelineSpec]) throws -> String? {
        do {
            try fill(specs: specs)
            return nil
        } catch where CurateStore.isCorruption(error) {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            try fill(specs: specs)
            return "\(error)"
        }
    }

    private func fill(specs: [PipelineSpec]) throws {
        let store = try CurateStore(path: path)
        let publisher = Publisher(curatedRoot: project.curatedRoot)
        let curated = CuratedStore(curatedRoot: project.curatedRoot)
        let catalog = publisher.catalog()
        for spec in specs {
            try store.prepare(dataset: spec.name, fields: spec.schema.fields.map(\.name))
            let have = try store.releases(of: spec.name)
            for (position, release) in publisher.releases(of: spec.name).enumerated() where !have.contains(release.id) {
                let folder = publisher.layout.release(release.id, of: spec.name)
                guard FileManager.default.fileExists(atPath: folder + "/" + ReleaseFiles.data) else { continue }
                try store.add(dataset: spec.name, release: release.id, position: position, periodField: spec.shape.periodField, schema: spec.schema,
                              raw: (release.raw ?? []).map { .init(path: $0.path, sha256: $0.sha256, bytes: $0.bytes) }) { add in
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
    }
}
