import Foundation
import CurateCore
import Publish
import Validate

/// One line of `curate list`: a pipeline, its source, and where it stands in Curated/.
public struct DatasetListing: Sendable {
    public var name: String
    public var title: String
    public var source: String
    public var status: String
    public var release: String?
    public var rows: Int?
    /// The catalogue's coverage, e.g. `fiscal_year 2012–2023`.
    public var coverage: String?
    /// Findings of the latest run (its report), when there was one.
    public var errors: Int?
    public var warnings: Int?

    /// The error of a spec that does not load (its status is then `spec-error`).
    public var specError: CurateError?

    /// Every pipeline in Pipelines/, with its catalogue entry when it has one. A spec that does not
    /// load is listed with status `spec-error` and its error; the others are listed as usual.
    public static func all(in project: Project) throws -> [DatasetListing] {
        let publisher = Publisher(curatedRoot: project.curatedRoot)
        let catalog = publisher.catalog()
        let set = try project.loadSpecSet()
        let broken = set.broken.map { b in
            let entry = catalog?.datasets.first { $0.name == b.name }
            return DatasetListing(name: b.name, title: entry?.title ?? "", source: b.file, status: "spec-error", release: entry?.release,
                                  rows: entry?.rows, coverage: entry?.coverage.map { "\($0.field) \($0.from)–\($0.to)" },
                                  specError: b.error)
        }
        return (broken + set.specs.map { spec in
            let entry = catalog?.datasets.first { $0.name == spec.name }
            let report = publisher.latestReport(of: spec.name)
            return DatasetListing(name: spec.name, title: spec.title, source: spec.source.path,
                                  status: entry?.status.rawValue ?? "not-run", release: entry?.release, rows: entry?.rows,
                                  coverage: entry?.coverage.map { "\($0.field) \($0.from)–\($0.to)" },
                                  errors: report?.stats.errors, warnings: report?.stats.warnings)
        }).sorted { $0.name < $1.name }
    }
}
