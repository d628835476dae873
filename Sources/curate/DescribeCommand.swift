import ArgumentParser
import Foundation
import CurateCore
import Pipeline

struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Infer a draft pipeline spec from a raw printed table (CSV or XLSX).",
        discussion: """
            Detects the encoding, delimiter, header rows (several when the header spans them), the unit note, each column's type, year columns and markers. Without --json it prints a draft spec to save in Pipelines/ and complete.

            EXAMPLES:
              curate describe Raw/mext/joint-research/joint-research-private-companies.csv
              curate describe table.xlsx --sheet 表1 --json
            """)

    @Argument(help: "The file to describe.")
    var file: String

    @Option(help: "XLSX: the sheet, by name (the first when not given).")
    var sheet: String?

    @Flag(help: "Print the inferred description as JSON instead of a draft spec.")
    var json = false

    @OptionGroup var project: ProjectOptions

    func run() throws {
        let units = try Project(root: project.root).unitRegistry()
        let describer = Describer(units: units)
        let description = try describer.describe(path: file, sheet: sheet)
        if json {
            print(String(decoding: try CanonicalJSON.encode(description), as: UTF8.self), terminator: "")
        } else {
            print(describer.draftSpec(description), terminator: "")
        }
    }
}
