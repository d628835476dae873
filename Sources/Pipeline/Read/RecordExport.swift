import CurateCore
import Ingest
import Publish

/// `curate read`: the records of one raw file, before normalisation, as JSON lines or CSV.
public enum RecordExport {
    public enum Output: String, CaseIterable, Sendable { case jsonl, csv }
    public enum Format: String, CaseIterable, Sendable { case auto, csv }

    public struct Options: Sendable {
        public var format: Format = .auto
        public var encoding: TextEncoding?
        public var delimiter: Character?
        public var headerRow: Int?
        public var output: Output = .jsonl
        public init() {}
    }

    /// Streams the rows of `path` to `write`. Keys are the header labels (a repeated or blank
    /// label gets its column number); cells beyond the header get `column<N>`. Findings about the
    /// file's shape (ragged rows, blank labels) go to `finding`.
    public static func export(path: String, options: Options, write: (String) throws -> Void,
                              finding: (Finding) -> Void) throws {
        let csv = try CSVReader(path: path, encoding: options.encoding, delimiter: options.delimiter)
        let reader = TableReader(csv: csv, layout: TableLayout(headerRecord: options.headerRow))
        var keys: [String] = []
        try reader.read(header: { frame in
            var seen = Set<String>()
            keys = frame.header.enumerated().map { index, label in
                let key = label.isEmpty || seen.contains(label) ? "column\(index + 1)" : label
                seen.insert(key)
                return key
            }
            if options.output == .csv { try write(CSVWriter.line(keys)) }
        }, row: { row in
            let rowKeys = keys.count >= row.cells.count ? keys : keys + (keys.count..<row.cells.count).map { "column\($0 + 1)" }
            switch options.output {
            case .jsonl: try write(JSONText.object(keys: rowKeys, values: row.cells) + "\n")
            case .csv: try write(CSVWriter.line(row.cells))
            }
        }, finding: finding)
    }
}
