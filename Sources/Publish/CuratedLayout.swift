import Foundation

/// Every name in Curated/, spelled once: the catalogue and the store at the top, each dataset's
/// folder with its published files and `releases/`, the run state, and the hidden scratch and
/// staging folders a run works in (swept when a run starts, see `Publisher.recover`).
///
/// ```
/// Curated/
///   catalog.json  index.html  curate.sqlite  .state/<dataset>.json
///   <dataset>/  data.csv  lineage.csv  datapackage.json  report.{json,md,html}  releases.json
///               releases/<id>/  data.csv  lineage.csv  datapackage.json
///   .<dataset>.staging  .<dataset>.render.staging  .<dataset>.sort.staging
/// ```
public struct CuratedLayout: Sendable {
    /// The Curated/ folder, absolute.
    public let root: String

    public init(root: String) { self.root = root }

    /// The folder's name as findings and messages show it (paths relative to the project root).
    public static let folderName = "Curated"

    // Top level.
    public static let catalogFile = "catalog.json"
    public static let catalogPage = "index.html"
    public static let storeFile = "curate.sqlite"
    public static let stateFolder = ".state"

    // A dataset's folder (the release now published) and one kept release.
    public static let reportJSON = "report.json"
    public static let reportMarkdown = "report.md"
    public static let reportHTML = "report.html"
    public static let history = "releases.json"
    public static let releasesFolder = "releases"

    public var catalog: String { root + "/" + Self.catalogFile }
    public var store: String { root + "/" + Self.storeFile }

    public func dataset(_ name: String) -> String { root + "/" + name }
    /// A release folder, relative to its dataset's folder.
    public static func release(_ id: String) -> String { releasesFolder + "/" + id }
    public func release(_ id: String, of dataset: String) -> String { self.dataset(dataset) + "/" + Self.release(id) }
    /// A dataset's run state (local, not committed): its fingerprint at its last successful run.
    public func state(of dataset: String) -> String { root + "/" + Self.stateFolder + "/" + dataset + ".json" }

    /// Where a release is rendered (data.csv, lineage.csv) before it is published.
    public func renderScratch(for dataset: String) -> String { root + "/." + dataset + ".render.staging" }
    /// Where the row sorter spills its sorted runs.
    public func sortScratch(for dataset: String) -> String { root + "/." + dataset + ".sort.staging" }
    /// Where a dataset's next folder is staged before the two are exchanged.
    public static func staging(for folder: String) -> String {
        (folder as NSString).deletingLastPathComponent + "/." + (folder as NSString).lastPathComponent + stagingSuffix
    }
    /// Every hidden folder ending so is a leftover of a killed run.
    public static let stagingSuffix = ".staging"
    public static func isStaging(_ name: String) -> Bool { name.hasPrefix(".") && name.hasSuffix(stagingSuffix) }

    /// `relative` (inside Curated/) as findings and messages show it: `Curated/<relative>`.
    public static func shown(_ relative: String) -> String { folderName + "/" + relative }
}

/// The file names of a release folder (and of the dataset folder publishing it).
public enum ReleaseFiles {
    public static let data = "data.csv"
    public static let lineage = "lineage.csv"
    public static let descriptor = "datapackage.json"
}
