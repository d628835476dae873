import ArgumentParser
import CurateCore
import Pipeline

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List each pipeline, its source file and its status in Curated/.",
        discussion: """
            EXAMPLE:
              curate list
            """)

    @OptionGroup var project: ProjectOptions

    func run() throws {
        for d in try DatasetListing.all(in: try Project(root: project.root)) {
            let release = d.release.map { "release \($0), \(d.rows ?? 0) rows" } ?? "no release"
            print("\(d.name)\t\(d.status)\t\(release)\t\(d.source)")
        }
    }
}
