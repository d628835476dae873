import ArgumentParser
import CurateCore
import Pipeline

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "One screen on every dataset: status, release, rows, coverage, last run's findings.",
        discussion: """
            EXAMPLE:
              curate status
            """)

    @OptionGroup var project: ProjectOptions

    func run() throws {
        let rows = try DatasetListing.all(in: try Project(root: project.root))
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
