import ArgumentParser
import CurateCore
import Ingest
import Pipeline

extension RecordExport.Output: ExpressibleByArgument {}
extension RecordExport.Format: ExpressibleByArgument {}

struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Print the raw records of one file, decoded but not normalised.",
        discussion: """
            Each data row becomes one JSON object whose keys are the header labels and whose values are the cell text exactly as in the file. Title and unit lines above the header and 注/資料/出典 footnotes below the data are left out.

            EXAMPLES:
              curate read Raw/mext/joint-research/joint-research-private-companies.csv
              curate read data.csv --encoding cp932 --output csv
              curate read table.csv --header-row 3 --delimiter ';'
              curate read survey.xlsx --sheet 表1 --output csv
              curate read exr.xml --structure exr-structure.xml
            """)

    @Argument(help: "The file to read.")
    var file: String

    @Option(help: "Input format: auto, csv, xlsx, xls, sdmx-ml, sdmx-csv, sdmx-json, estat-xml, estat-json.")
    var format: RecordExport.Format = .auto

    @Option(help: "Input encoding: auto, utf-8, shift_jis (cp932, windows-31j), euc-jp, utf-16.")
    var encoding: String = "auto"

    @Option(help: "Delimiter, one character; sniffed from , ; tab | when not given.")
    var delimiter: String?

    @Option(help: "The 1-based record (spreadsheet row) holding the header; found automatically when not given.")
    var headerRow: Int?

    @Option(help: "How many rows the header spans; their labels are joined with _ per column.")
    var headerRows: Int = 1

    @Option(help: "XLSX: the sheet to read, by name (the first when not given).")
    var sheet: String?

    @Option(help: "SDMX: a structure message (DSD with code lists) to label codes and check keys.")
    var structure: String?

    @Option(help: "Output: jsonl (one JSON object per row) or csv.")
    var output: RecordExport.Output = .jsonl

    func validate() throws {
        if encoding != "auto" && TextEncoding(name: encoding) == nil {
            throw ValidationError("unknown encoding \(encoding) (utf-8, shift_jis, cp932, euc-jp, utf-16, auto)")
        }
        if let delimiter, delimiter.count != 1 && delimiter != "\\t" {
            throw ValidationError("--delimiter takes one character")
        }
        if let headerRow, headerRow < 1 { throw ValidationError("--header-row counts from 1") }
        if !(1...10).contains(headerRows) { throw ValidationError("--header-rows must be 1 to 10") }
    }

    func run() throws {
        var options = RecordExport.Options()
        options.format = format
        options.encoding = encoding == "auto" ? nil : TextEncoding(name: encoding)
        options.delimiter = delimiter == "\\t" ? "\t" : delimiter?.first
        options.headerRow = headerRow
        options.sheet = sheet
        options.headerRows = headerRows
        options.structure = structure
        options.output = output
        let out = BufferedStdout()
        var warnings = WarningCap()
        defer {
            out.flush()   // records read before a failure still reach the output
            warnings.summarise()
        }
        try RecordExport.export(path: file, options: options, write: out.write, writeBytes: out.write(bytes:), finding: { warnings.print($0) })
    }
}

/// Prints the first warnings of each code and counts the rest: a file read in the wrong shape can
/// raise the same warning on every row, and thousands of identical lines hide the one that matters.
struct WarningCap {
    static let perCode = 10
    private var counts: [IssueCode: Int] = [:]
    private var order: [IssueCode] = []

    mutating func print(_ finding: Finding) {
        let seen = counts[finding.code, default: 0]
        if seen == 0 { order.append(finding.code) }
        counts[finding.code] = seen + 1
        guard seen < Self.perCode else { return }
        printError("curate: warning: [\(finding.code.rawValue)] \(finding.location.map { "\($0): " } ?? "")\(finding.message)")
    }

    /// One line per code that had more than were shown.
    func summarise() {
        for code in order where counts[code]! > Self.perCode {
            printError("curate: warning: [\(code.rawValue)] \(counts[code]! - Self.perCode) more not shown (\(counts[code]!) in all)")
        }
    }
}
