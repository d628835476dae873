import ArgumentParser
import Foundation
import CurateCore
import Normalize
import Pipeline

struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Infer a draft pipeline spec from a raw printed table (CSV, XLSX or XLS).",
        discussion: """
            Detects the encoding, delimiter, header rows (several when the header spans them), the unit note, each column's type, year columns and markers, and e-Stat's download layouts: years across with category columns (表章項目, 全国・都道府県…), units in 【…】 or a 単位 column, and the long form with *_code columns. Without --json it prints a draft spec to save in Pipelines/: only title, publisher, url and licence are left as TODO.

            Works on a file anywhere. Inside a project (or with --root) the row labels are matched against the project's code lists (Pipelines/reference/codelists) and units resolved through its unit table.

            EXAMPLES:
              curate describe Raw/mext/joint-research/joint-research-private-companies.csv
              curate describe ~/Downloads/FEH_00200524_240101.csv
              curate describe table.xlsx --sheet 表1 --json
              curate describe old-table.xls --header-row 4 --header-rows 2
            """)

    @Argument(help: "The file to describe.")
    var file: String

    @Option(help: "XLSX/XLS: the sheet, by name (the first when not given).")
    var sheet: String?

    @Option(help: "The 1-based record (spreadsheet row) holding the header; guessed when not given.")
    var headerRow: Int?

    @Option(help: "How many rows the header spans; guessed when not given.")
    var headerRows: Int?

    @Flag(help: "Print the inferred description as JSON instead of a draft spec (record numbers 1-based, as in the spec).")
    var json = false

    @OptionGroup var project: ProjectOptions

    func validate() throws {
        if let headerRow, headerRow < 1 { throw ValidationError("--header-row counts from 1") }
        if let headerRows, !(1...10).contains(headerRows) { throw ValidationError("--header-rows must be 1 to 10") }
    }

    func run() throws {
        // A project is optional: outside one, units stay as printed and no code list is proposed.
        let found = try? Project(root: project.root)
        let units = try found?.unitRegistry() ?? UnitRegistry(units: [:], multipliers: [:])
        let codeLists = try found.map { p in try p.codeListIDs().map { try p.codeList($0) } } ?? []
        let describer = Describer(units: units, codeLists: codeLists)
        let description = try describer.describe(path: file, displayPath: Self.displayPath(file, root: found?.root),
                                                 sheet: sheet, headerRow: headerRow, headerRows: headerRows)
        if json {
            print(String(decoding: try CanonicalJSON.encode(description), as: UTF8.self), terminator: "")
        } else {
            print(describer.draftSpec(description), terminator: "")
        }
    }

    /// The path the draft's `source.path` should carry: relative to the project root when the file
    /// is inside the project, as given otherwise.
    static func displayPath(_ file: String, root: String?) -> String {
        guard let root else { return file }
        let absolute = ((file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file) as NSString).standardizingPath
        return absolute.hasPrefix(root + "/") ? String(absolute.dropFirst(root.count + 1)) : file
    }
}
