import CurateCore
import Ingest
import Publish

/// `curate read`: the records of one raw file, before normalisation, as JSON lines or CSV.
public enum RecordExport {
    public enum Output: String, CaseIterable, Sendable { case jsonl, csv }
    public enum Format: String, CaseIterable, Sendable {
        case auto, csv
        case sdmxML = "sdmx-ml"
        case sdmxCSV = "sdmx-csv"
        case sdmxJSON = "sdmx-json"
        case estatXML = "estat-xml"
        case estatJSON = "estat-json"
        case xlsx, xls
    }

    public struct Options: Sendable {
        public var format: Format = .auto
        public var encoding: TextEncoding?
        public var delimiter: Character?
        public var headerRow: Int?
        public var headerRows = 1
        public var sheet: String?
        /// SDMX: a structure message whose code lists label the codes (`<id>.label`) and check them.
        public var structure: String?
        public var output: Output = .jsonl
        public init() {}
    }

    /// Streams the records of `path` to `write`. Findings about the file's shape (ragged rows,
    /// blank labels) go to `finding`. `writeBytes`, when given, takes the JSON lines of a CSV file
    /// as UTF-8 blocks instead (no String is made for them).
    public static func export(path: String, options: Options, write: (String) throws -> Void,
                              writeBytes: ((UnsafeBufferPointer<UInt8>) throws -> Void)? = nil,
                              finding: (Finding) -> Void) throws {
        let format = options.format == .auto ? try FileFormat.detect(path: path) : FileFormat(rawValue: options.format.rawValue)!
        switch format {
        case .csv, .xlsx, .xls:
            try exportTable(path: path, format: format, options: options, write: write, writeBytes: writeBytes, finding: finding)
        case .sdmxML, .sdmxCSV, .sdmxJSON, .estatXML, .estatJSON:
            if let writeBytes { return try exportObservations(path: path, format: format, options: options, write: writeBytes, finding: finding) }
            try exportObservations(path: path, format: format, options: options,
                                   write: { try write(String(decoding: $0, as: UTF8.self)) }, finding: finding)
        }
    }

    /// CSV, XLSX and XLS: keys are the header labels (a repeated or blank label gets `column<N>`, as do cells
    /// beyond the header).
    private static func exportTable(path: String, format: FileFormat, options: Options, write: (String) throws -> Void,
                                    writeBytes: ((UnsafeBufferPointer<UInt8>) throws -> Void)?, finding: (Finding) -> Void) throws {
        let source: any RecordSource = switch format {
        case .xlsx: try XLSXReader(path: path, sheet: options.sheet)
        case .xls: try XLSReader(path: path, sheet: options.sheet)
        default: try CSVReader(path: path, encoding: options.encoding, delimiter: options.delimiter)
        }
        let reader = TableReader(csv: source, layout: TableLayout(headerRecord: options.headerRow, headerRows: options.headerRows))
        if format == .csv && options.output == .jsonl {
            if let writeBytes { return try exportJSONLines(reader, write: writeBytes, finding: finding) }
            return try exportJSONLines(reader, write: { try write(String(decoding: $0, as: UTF8.self)) }, finding: finding)
        }
        var keys: [String] = []
        try reader.read(header: { frame in
            keys = Self.keys(frame.header)
            if options.output == .csv { try write(CSVWriter.line(keys)) }
        }, row: { row in
            let rowKeys = keys.count >= row.cells.count ? keys : keys + (keys.count..<row.cells.count).map { "column\($0 + 1)" }
            switch options.output {
            case .jsonl: try write(JSONText.object(keys: rowKeys, values: row.cells) + "\n")
            case .csv: try write(CSVWriter.line(row.cells))
            }
        }, finding: finding)
    }

    /// A repeated or blank header label gets `column<N>` as its key.
    private static func keys(_ header: [String]) -> [String] {
        var seen = Set<String>()
        return header.enumerated().map { index, label in
            let key = label.isEmpty || seen.contains(label) ? "column\(index + 1)" : label
            seen.insert(key)
            return key
        }
    }

    /// CSV as JSON lines, the fast path: rows go from the parser's bytes to the output with no
    /// String per field. What was read before a failure is still written.
    private static func exportJSONLines(_ reader: TableReader, write: (UnsafeBufferPointer<UInt8>) throws -> Void,
                                        finding: (Finding) -> Void) throws {
        let writer = JSONLineWriter()
        do {
            try reader.readByteRows(header: { writer.setKeys(keys($0.header)) },
                                    row: { record, _ in try writer.append(record, flushingTo: write) },
                                    finding: finding)
        } catch {
            try? writer.flush(to: write)
            throw error
        }
        try writer.flush(to: write)
    }

    /// SDMX and e-Stat: one record per observation with every dimension, OBS_VALUE as printed and
    /// every attribute (one key per id: its last value, at its first position). CSV output needs
    /// every id for its header, so the file is read twice. Rows are written as bytes by
    /// `ObservationWriter`; what was read before a failure is still written.
    private static func exportObservations(path: String, format: FileFormat, options: Options,
                                           write: (UnsafeBufferPointer<UInt8>) throws -> Void, finding: (Finding) -> Void) throws {
        let structure = try options.structure.map { try SDMXStructure(path: $0) }
        let writer = ObservationWriter()
        try withoutActuallyEscaping(write) { write in
            try withoutActuallyEscaping(finding) { finding in
                var pass = 0
                func each(_ body: @escaping (Observation) throws -> Void) throws {
                    pass += 1
                    let report = pass == 1   // CSV output reads twice: report findings once
                    let labelled: (Observation) throws -> Void = structure == nil ? body : { observation in
                        guard let structure else { return try body(observation) }
                        let out = structure.label(observation, file: path, finding: { if report { finding($0) } })
                        for id in structure.missingDimensions(in: observation) where report {
                            finding(Finding(.missingCell, check: "ingest", location: SourceLocation(file: path, row: observation.line, field: id),
                                            expected: "a value for dimension \(id)", actual: "none"))
                        }
                        try body(out)
                    }
                    switch format {
                    case .sdmxML: try SDMXMLReader(path: path).forEachObservation(labelled)
                    case .sdmxJSON: try SDMXJSONReader(path: path).forEachObservation(labelled)
                    case .estatXML, .estatJSON: try EStatReader(path: path).forEachObservation(labelled)
                    default: try SDMXCSVReader(path: path, encoding: options.encoding, delimiter: options.delimiter).forEachObservation(labelled)
                    }
                }
                do {
                    if options.output == .jsonl {
                        try each { try writer.appendJSON($0.fields, flushingTo: write) }
                    } else {
                        var ids: [String] = []
                        var known = Set<String>()
                        var previous: [String] = []   // the last id list seen: most observations repeat it
                        try each { observation in
                            let fields = observation.fields
                            if fields.count == previous.count && zip(fields, previous).allSatisfy({ $0.id == $1 }) { return }
                            previous = fields.map(\.id)
                            for field in fields where known.insert(field.id).inserted { ids.append(field.id) }
                        }
                        writer.append(CSVWriter.line(ids))
                        writer.setColumns(ids)
                        try each { try writer.appendCSV($0.fields, flushingTo: write) }
                    }
                } catch {
                    try? writer.flush(to: write)
                    throw error
                }
                try writer.flush(to: write)
            }
        }
    }
}
