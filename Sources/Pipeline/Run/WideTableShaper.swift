import Foundation
import CurateCore
import Ingest
import Normalize
import Validate

/// Turns a printed wide table (a period per row, a measure per column) into curated long rows,
/// normalising each cell on the way and recording its lineage. Cells that cannot be read become
/// findings that name the cell; they never become numbers.
struct WideTableShaper {
    let spec: PipelineSpec
    let units: UnitRegistry
    /// The source path as shown in findings and lineage (relative to the project root).
    let file: String

    /// The long-table fields a pipeline can fill: its period field, `measure`, `value` and `unit`.
    var fillable: [String] { [spec.shape.periodField, "measure", "value", "unit"] }

    func checkSchema() throws {
        for field in spec.schema.fields where !fillable.contains(field.name) {
            throw CurateError(.specError, "schema field \(field.name) is not produced by the shape (fields: \(fillable.joined(separator: ", ")))",
                              at: SourceLocation(file: spec.file))
        }
    }

    func resolvedUnits() throws -> [ResolvedUnit] {
        try spec.shape.measures.map { measure in
            guard let unit = units.resolve(measure.unit) else {
                throw CurateError(.specError, "measure \(measure.name): unknown unit \(measure.unit) (see Pipelines/reference/units.yaml)",
                                  at: SourceLocation(file: spec.file))
            }
            return unit
        }
    }

    /// Reads the table and returns its long rows; findings go to `report` as they are met.
    func shape(reader: TableReader, into report: inout ReportBuilder) throws -> [CuratedRow] {
        let measureUnits = try resolvedUnits()
        let numbers = NumberParser(format: spec.numbers)
        let periods = PeriodParser(defaultKind: spec.shape.periodKind)
        var rows: [CuratedRow] = []
        var columns: (period: Int, measures: [Int])?
        report.begin("ingest", severity: .error)
        var findings: [Finding] = []
        var missingLabels = false
        let frame = try reader.read(header: { frame in
            let labels = frame.header.map(\.trimmingWhitespace)
            func column(_ label: String) -> Int? {
                if let i = labels.firstIndex(of: label) { return i }
                findings.append(Finding(.missingLabel, check: "ingest", location: SourceLocation(file: file, row: frame.headerLine),
                                        expected: label, actual: labels.joined(separator: " | ")))
                missingLabels = true
                return nil
            }
            let period = column(spec.shape.periodColumn)
            let measures = spec.shape.measures.map { column($0.column) }
            if let period, measures.allSatisfy({ $0 != nil }) { columns = (period, measures.map { $0! }) }
            findings += checkUnitNote(frame)
        }, row: { row in
            guard let columns else { return }
            rows += shapeRow(row, header: reader, columns: columns, units: measureUnits,
                             numbers: numbers, periods: periods, findings: &findings)
        }, finding: { findings.append($0) })
        _ = frame
        for f in findings {
            report.begin(f.check, severity: .error)
            report.add(f)
        }
        if missingLabels { report.begin("ingest", severity: .error); report.count(passed: false) }
        return rows
    }

    private func checkUnitNote(_ frame: TableFrame) -> [Finding] {
        guard let declared = spec.shape.unitNote else { return [] }
        guard let note = frame.unitNote else {
            return [Finding(.unitError, check: "ingest", location: SourceLocation(file: file, row: frame.headerLine),
                            expected: "a unit note （単位：\(declared.joined(separator: "、"))） above the header", actual: "none")]
        }
        let found = UnitRegistry.labels(inNote: note.text)
        guard found != declared else { return [] }
        return [Finding(.unitError, check: "ingest", location: SourceLocation(file: file, row: note.line, raw: note.text),
                        expected: declared.joined(separator: "、"), actual: found.joined(separator: "、"))]
    }

    private func shapeRow(_ row: TableRow, header: TableReader, columns: (period: Int, measures: [Int]),
                          units: [ResolvedUnit], numbers: NumberParser, periods: PeriodParser,
                          findings: inout [Finding]) -> [CuratedRow] {
        func place(_ column: Int, _ label: String) -> SourceLocation {
            SourceLocation(file: file, row: row.line, column: column + 1, field: label,
                           raw: column < row.cells.count ? row.cells[column] : nil)
        }
        let periodPlace = place(columns.period, spec.shape.periodColumn)
        let periodText = periodPlace.raw ?? ""
        let period: YearPeriod
        switch periods.parse(periodText) {
        case .success(let p) where p.kind == spec.shape.periodKind:
            period = p
        case .success(let p):
            findings.append(Finding(.periodError, check: "normalize", location: periodPlace,
                                    expected: spec.shape.periodKind.rawValue, actual: p.kind.rawValue))
            return []
        case .failure(let failure):
            let actual: String = if case .impossible(let why) = failure { why } else { "unreadable" }
            findings.append(Finding(.periodError, check: "normalize", location: periodPlace,
                                    expected: spec.shape.periodKind.rawValue + " year", actual: actual))
            return []
        }
        var out: [CuratedRow] = []
        for (k, measure) in spec.shape.measures.enumerated() {
            let cellPlace = place(columns.measures[k], measure.column)
            guard let raw = cellPlace.raw else { continue }
            switch numbers.parse(raw) {
            case .success(.blank), .success(.missing):
                continue
            case .success(.value(let number, _, _)):
                let unit = units[k]
                let base = number * unit.factor
                var lineage = Lineage(source: cellPlace, sourceUnit: unit.label)
                lineage.steps = ["period \(periodText) → \(period)",
                                 "number \(raw.debugDescription) → \(number.canonicalText)",
                                 "unit \(unit.label) × \(unit.factor.canonicalText) → \(base.canonicalText) \(unit.base)"]
                let values: [Value] = spec.schema.fields.map { field in
                    switch field.name {
                    case spec.shape.periodField: .integer(period.year)
                    case "measure": .string(measure.name)
                    case "value": .number(base)
                    default: .string(unit.base)
                    }
                }
                out.append(CuratedRow(values: values, lineage: lineage))
            case .failure(let error):
                findings.append(Finding(error.code, check: "normalize", location: cellPlace,
                                        expected: error == .unknownMarker ? "a declared marker" : "number", actual: raw))
            }
        }
        return out
    }
}
