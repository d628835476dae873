import ArgumentParser
import CurateCore
import Pipeline

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "One screen on every dataset: status, release, rows, coverage, last run's findings.",
        discussion: """
            With --json: {"datasets": [{"name", "title", "source", "status", "release", "rows", "coverage": {"field", "from", "to"}, "errors", "warnings"}]}, every key present (null when unknown).
            EXAMPLES:
              curate status
              curate status --json | jq -r '.datasets[] | select(.status != "published") | .name'
            """)

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Print the datasets as JSON (the same shape as `curate list --json`).")
    var json = false

    func run() throws {
        let projectAt = try Project(root: project.root)
        let rows = try DatasetListing.all(in: projectAt)
        reportBrokenSpecs(rows)
        if json { return try DatasetsJSON(rows, project: projectAt).print() }
        let header = ["dataset", "status", "release", "rows", "coverage", "errors", "warnings"]
        let table = rows.map { d in
            [d.name, d.status, d.release ?? "-", d.rows.map(String.init) ?? "-", d.coverage ?? "-",
             d.errors.map(String.init) ?? "-", d.warnings.map(String.init) ?? "-"]
        }
        let widths = header.indices.map { i in ([header[i]] + table.map { $0[i] }).map(\.count).max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        print(line(header))
        for row in table { print(line(row)) }
    }
}
