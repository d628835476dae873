import Publish

/// One line of `curate list`: a pipeline, its source, and where it stands in Curated/.
public struct DatasetListing: Sendable {
    public var name: String
    public var title: String
    public var source: String
    public var status: String
    public var release: String?
    public var rows: Int?

    /// Every pipeline in Pipelines/, with its catalogue entry when it has one.
    public static func all(in project: Project) throws -> [DatasetListing] {
        let catalog = Publisher(curatedRoot: project.curatedRoot).catalog()
        return try project.loadSpecs().map { spec in
            let entry = catalog?.datasets.first { $0.name == spec.name }
            return DatasetListing(name: spec.name, title: spec.title, source: spec.source.path,
                                  status: entry?.status.rawValue ?? "not-run", release: entry?.release, rows: entry?.rows)
        }
    }
}
