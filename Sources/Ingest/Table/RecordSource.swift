/// Anything that yields the rows of a table in order: a CSV file, a spreadsheet's sheet.
public protocol RecordSource {
    /// The file, as named in findings.
    var path: String { get }
    func forEachRecord(_ body: (RawRecord) throws -> Void) throws
    /// True when a short row means empty trailing cells (a spreadsheet stores no empty cells);
    /// false when it means a ragged row to report (CSV).
    var shortRowsAreEmptyCells: Bool { get }
}

extension CSVReader: RecordSource {
    public var shortRowsAreEmptyCells: Bool { false }
}
