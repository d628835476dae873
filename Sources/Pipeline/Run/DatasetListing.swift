import Foundation
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

    /// Every pipeline in Pipelines/, with its catalogue entry when it has one.
    public static func all(in project: Project) throws -> [DatasetListing] {
        let publisher = Publisher(curatedRoot: project.curatedRoot)
        let catalog = publisher.catalog()
        return try project.loadSpecs().map { spec in
            let entry = catalog?.datasets.first { $0.name == spec.name }
            let report = publisher.latestReport(of: spec.name)
            return DatasetListing(name: spec.name, title: spec.title, source: spec.source.path,
                                  status: entry?.status.rawValue ?? "not-run", release: entry?.release, rows: entry?.rows,
                                  coverage: entry?.coverage.map { "\($0.field) \($0.from)–\($0.to)" },
                                  errors: report?.stats.errors, warnings: report?.stats.warnings)
        }
    }
}
