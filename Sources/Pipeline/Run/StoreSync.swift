import Foundation
import CurateCore
import Publish
import Store
import Validate

/// Brings Curated/curate.sqlite up to date with the release folders: adds kept releases it lacks
/// (all of them when the file is new, which is how a lost store is rebuilt) and each dataset's
/// latest findings.
struct StoreSync {
    let project: Project

    /// Each release goes in streamed from its folder (data.csv and lineage.csv read in step), so
    /// a release of any size is added in bounded memory.
    func sync(specs: [PipelineSpec]) throws {
        let store = try CurateStore(path: project.curatedRoot + "/curate.sqlite")
        let publisher = Publisher(curatedRoot: project.curatedRoot)
        let curated = CuratedStore(curatedRoot: project.curatedRoot)
        let catalog = publisher.catalog()
        for spec in specs {
            let have = try store.releases(of: spec.name)
            for (position, release) in publisher.releases(of: spec.name).enumerated() where !have.contains(release.id) {
                let folder = publisher.directory(for: spec.name) + "/releases/" + release.id
                guard FileManager.default.fileExists(atPath: folder + "/" + ReleaseFiles.data) else { continue }
                try store.add(dataset: spec.name, release: release.id, position: position, periodField: spec.shape.periodField, schema: spec.schema) { add in
                    try curated.forEachRow(directory: folder, schema: spec.schema, add)
                }
            }
            if let report = publisher.latestReport(of: spec.name) {
                let release = catalog?.datasets.first { $0.name == spec.name }?.release
                try store.replaceFindings(of: spec.name, release: report.valid ? release : nil, report: report)
            }
        }
        try store.keepOnly(Set(specs.map(\.name)))
    }
}
