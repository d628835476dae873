import CurateCore

/// Reads SDMX-CSV 1.0 (first column `DATAFLOW`) and 2.0 (`STRUCTURE`, `STRUCTURE_ID`, `ACTION`,
/// optional `STRUCTURE_NAME`, `SERIES_KEY`, `OBS_KEY`) into the same observations as SDMX-ML.
///
/// Labels are split off codes: an `ID: label` header or cell gives the code under `ID` and the
/// label under `ID.label`; with `STRUCTURE_NAME`, each component column is followed by a column of
/// its labels. `[x]` after `STRUCTURE` names the sub-value separator; `[]` and `[en;fr]` suffixes
/// on headers (multi-value and localised components) are dropped from the id. Values stay text as
/// printed: a `;`-delimited file may use a decimal comma, which Normalize reads by dialect.
/// Spec: SDMX-CSV format 2.0.0 (SDMX Technical Working Group).
public struct SDMXCSVReader {
    public let csv: CSVReader

    public init(path: String, encoding: TextEncoding? = nil, delimiter: Character? = nil) throws {
        csv = try CSVReader(path: path, encoding: encoding, delimiter: delimiter)
    }

    /// A column of the file: the component id, and whether its cells (or the next column) carry labels.
    private struct Column { var id: String; var labelled: Bool; var isLabelColumn: Bool }

    public func forEachObservation(_ body: (Observation) throws -> Void) throws {
        var columns: [Column]?
        try csv.forEachRecord { record in
            guard let header = columns else {
                columns = try Self.columns(record, file: csv.path)
                return
            }
            if record.isBlank { return }
            var fields: [(id: String, value: String)] = []
            for (index, cell) in record.fields.enumerated() {
                guard index < header.count else {
                    throw CurateError(.extraCell, "row has \(record.fields.count) cells, header has \(header.count)",
                                      at: SourceLocation(file: csv.path, row: record.line, column: index + 1, raw: cell))
                }
                let column = header[index]
                if column.isLabelColumn {
                    if !cell.isEmpty { fields.append((column.id + ".label", cell)) }
                } else if column.labelled, let split = cell.range(of: ": ") {
                    fields.append((column.id, String(cell[..<split.lowerBound])))
                    fields.append((column.id + ".label", String(cell[split.upperBound...])))
                } else {
                    fields.append((column.id, cell))
                }
            }
            try body(Observation(fields: fields, dataSet: 1, line: record.line))
        }
        if columns == nil { throw CurateError(.formatError, "empty file: no SDMX-CSV header", at: SourceLocation(file: csv.path)) }
    }

    private static func columns(_ header: RawRecord, file: String) throws -> [Column] {
        guard let first = header.fields.first.map(componentID), first == "STRUCTURE" || first == "DATAFLOW" else {
            throw CurateError(.formatError, "SDMX-CSV starts with a STRUCTURE (2.0) or DATAFLOW (1.0) column, found \(header.fields.first ?? "nothing")",
                              at: SourceLocation(file: file, row: header.line, column: 1, raw: header.fields.first))
        }
        let names = header.fields.map(componentID)
        let labelColumns = names.contains("STRUCTURE_NAME")
        let fixed: Set<String> = ["STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION", "SERIES_KEY", "OBS_KEY", "DATAFLOW"]
        var out: [Column] = []
        var previousWasComponent = false
        for (index, label) in header.fields.enumerated() {
            let id = names[index]
            if labelColumns && previousWasComponent {
                out.append(Column(id: out.last!.id, labelled: false, isLabelColumn: true))
                previousWasComponent = false
                continue
            }
            // With labels=both, STRUCTURE_ID cells carry the structure's name too: `ID(1.0): name`.
            let labelled = label.contains(": ") || (id == "STRUCTURE_ID" && header.fields.contains { $0.contains(": ") })
            out.append(Column(id: id, labelled: labelled, isLabelColumn: false))
            previousWasComponent = !fixed.contains(id)
        }
        return out
    }

    /// `DIM_1: Dimension 1` → `DIM_1`; `ATTR_1[en;fr]` → `ATTR_1`; `STRUCTURE[;]` → `STRUCTURE`;
    /// `CONTACT[].NAME[]` → `CONTACT.NAME`.
    static func componentID(_ label: String) -> String {
        var head = Substring(label)
        if let colon = head.range(of: ": ") { head = head[..<colon.lowerBound] }
        var id = "", depth = 0
        for c in head {
            if c == "[" { depth += 1 } else if c == "]" { depth = max(0, depth - 1) } else if depth == 0 { id.append(c) }
        }
        return id.trimmingWhitespace
    }
}
