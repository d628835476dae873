/// Anything that yields the rows of a table in order: a CSV file, a spreadsheet's sheet.
public protocol RecordSource {
    /// The file, as named in findings.
    var path: String { get }
    func forEachRecord(_ body: (RawRecord) throws -> Void) throws
}

extension CSVReader: RecordSource {}
