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

    /// `fresh`: tables this run just published, by dataset, so they are not read back from disk.
    func sync(specs: [PipelineSpec], fresh: [String: (release: String, table: CuratedTable)] = [:]) throws {
        let store = try CurateStore(path: project.curatedRoot + "/curate.sqlite")
        let publisher = Publisher(curatedRoot: project.curatedRoot)
        let curated = CuratedStore(curatedRoot: project.curatedRoot)
        let catalog = publisher.catalog()
        for spec in specs {
            let have = try store.releases(of: spec.name)
            for (position, release) in publisher.releases(of: spec.name).enumerated() where !have.contains(release.id) {
                let known = fresh[spec.name].flatMap { $0.release == release.id ? $0.table : nil }
                guard let table = try known ?? curated.load(spec.name, release: release.id, schema: spec.schema) else { continue }
                try store.add(.init(dataset: spec.name, release: release.id, position: position, periodField: spec.shape.periodField, table: table))
            }
            if let report = publisher.latestReport(of: spec.name) {
                let release = catalog?.datasets.first { $0.name == spec.name }?.release
                try store.replaceFindings(of: spec.name, release: report.valid ? release : nil, report: report)
            }
        }
        try store.keepOnly(Set(specs.map(\.name)))
    }
}
