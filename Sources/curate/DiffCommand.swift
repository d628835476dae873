import ArgumentParser
import CurateCore
import Pipeline

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two releases of a dataset: rows added, removed and changed.",
        discussion: """
            Releases are kept in Curated/<dataset>/releases/ and listed, oldest first, in releases.json. By default the latest release is compared with the one before it.

            EXAMPLES:
              curate diff mext-joint-research
              curate diff mext-joint-research --from fcdbd7b0d785 --to 1a2b3c4d5e6f
              curate diff mext-joint-research --json
            """)

    @Argument(help: "The dataset (pipeline name).")
    var dataset: String

    @Option(help: "The older release (default: the one before --to).")
    var from: String?

    @Option(help: "The newer release (default: the latest).")
    var to: String?

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Print the comparison as JSON: dataset, from, to, added, removed, changed [{key, field, old, new}].")
    var json = false

    func run() throws {
        let diff = try ReleaseDiff.compare(dataset, from: from, to: to, project: try Project(root: project.root))
        if json { return print(String(decoding: try CanonicalJSON.encode(DiffJSON(diff)), as: UTF8.self), terminator: "") }
        // One release: said so, exit 0. Added and removed rows come with their values.
        for line in diff.lines() { print(line) }
    }
}
