import ArgumentParser
import CurateCore
import Pipeline

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List each pipeline, its source file and its status in Curated/.",
        discussion: """
            With --json: the JSON of `curate status --json`.
            EXAMPLES:
              curate list
              curate list --json
            """)

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Print the datasets as JSON (the same shape as `curate status --json`).")
    var json = false

    func run() throws {
        let projectAt = try Project(root: project.root)
        let listings = try DatasetListing.all(in: projectAt)
        reportBrokenSpecs(listings)
        if json { return try DatasetsJSON(listings, project: projectAt).print() }
        for d in listings {
            let release = d.release.map { "release \($0), \(d.rows ?? 0) rows" } ?? "no release"
            print("\(d.name)\t\(d.status)\t\(release)\t\(d.source)")
        }
    }
}
