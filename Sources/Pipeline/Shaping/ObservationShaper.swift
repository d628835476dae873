import Foundation
import CurateCore
import Ingest
import Normalize
import Validate

/// Turns keyed observations (SDMX-ML, SDMX-CSV) into curated long rows: period, dimensions as
/// fields, measure, value in the base unit (UNIT_MULT applied), converted into the declared
/// currency through a declared rate table, with lineage for every step.
struct ObservationShaper {
    let spec: PipelineSpec
    let shape: ObservationShape
    let units: UnitRegistry
    let numbers: NumberParser
    let converter: CurrencyConverter?
    let file: String
    /// Each unit × UNIT_MULT's scale, made once.
    let scales = ScaleCache()

    var fillable: [String] { [shape.periodField] + LongField.all + shape.dimensions.map(\.field) }

    /// Fails on a spec this shaper cannot fill: a schema field it does not produce, an unknown unit.
    func checkSpec() throws {
        try spec.requireSchemaFields(producedBy: fillable)
        for (code, label) in shape.units where units.resolve(label) == nil {
            throw CurateError(.specError, "unit \(code): unknown unit \(label) (see Pipelines/reference/units.yaml)", at: SourceLocation(file: spec.file))
        }
    }

    /// Reads the observations and hands each curated row to `emit` as it is made.
    func shape(path: String, format: FileFormat, into report: inout ReportBuilder, emit: (CuratedRow) throws -> Void) throws {
        var findings = ShapeFindings(severities: spec.severities)
        var lines = LineSet()
        try withoutActuallyEscaping(emit) { emit in
        let body: (Observation) throws -> Void = { observation in
            lines.insert(observation.line)
            if let row = self.row(observation, file: file, findings: &findings) { try emit(row) }
        }
        try withoutActuallyEscaping(body) { body in
            if format == .sdmxCSV { try SDMXCSVReader(path: path).forEachObservation(body) }
            else if format == .sdmxJSON { try SDMXJSONReader(path: path).forEachObservation(body) }
            else { try SDMXMLReader(path: path).forEachObservation(body) }
        }
        }
        report.begin(Stage.normalize, severity: .error)
        let fails = findings.failingRows(in: lines)
        report.count(passes: lines.count - fails, fails: fails)
        findings.add(to: &report, intoCurrentCheck: true)
    }

    private func row(_ o: Observation, file: String, findings: inout ShapeFindings) -> CuratedRow? {
        for (id, wanted) in shape.filter where o[id] != wanted { return nil }
        guard let code = o[shape.measureDimension], let measure = shape.measures[code] else { return nil }
        let raw = o[shape.valueID] ?? ""
        let place = SourceLocation(file: file, row: o.line, field: shape.valueID, raw: raw)
        let periodText = o[shape.periodDimension] ?? ""
        guard let period = SDMXPeriodParser.parse(periodText), period.kind == .calendarYear || period.kind == .fiscalYear else {
            findings.append(Finding(.periodError, check: Stage.normalize, location: SourceLocation(file: file, row: o.line, field: shape.periodDimension, raw: periodText),
                                    expected: "an annual TIME_PERIOD", actual: periodText))
            return nil
        }
        let unitCode = o[shape.unitID] ?? ""
        guard let unitLabel = shape.units[unitCode], let unit = units.resolve(unitLabel) else {
            findings.append(Finding(.unitError, check: Stage.normalize, location: SourceLocation(file: file, row: o.line, field: shape.unitID, raw: unitCode),
                                    expected: "a unit the spec maps (\(shape.units.keys.sorted().joined(separator: ", ")))", actual: unitCode))
            return nil
        }
        var exponent = 0
        if let id = shape.multiplierID, let text = o[id], !text.isEmpty {
            guard let n = Int(text), (-20...20).contains(n) else {
                findings.append(Finding(.unitError, check: Stage.normalize, location: SourceLocation(file: file, row: o.line, field: id, raw: text),
                                        expected: "an integer power of ten", actual: text))
                return nil
            }
            exponent = n
        }
        var steps: [String] = []
        if periodText != String(period.year) { steps.append("period \(periodText) → \(period.year)") }
        var value: Value = .null, status: MissingReason?
        var precision: Decimal?, factor: Decimal?
        var unitName = unit.base
        let scale = scales.scale(unit: unit, exponent: exponent)
        switch CellNormalizer(numbers: numbers).normalize(raw == "NaN" ? "" : raw, scale: scale) {
        case .blank:
            return nil
        case .marker(let reason, let marker):
            status = reason
            steps.append("marker \(marker.debugDescription) → \(reason.rawValue), no value")
        case .quantity(var amount, let printedPrecision, let approximate):
            precision = printedPrecision
            factor = scale.factor
            if exponent != 0 { steps.append(scales.multiplierNote(exponent, id: shape.multiplierID ?? "")) }
            if approximate { steps.append("approximate as printed (約)") }
            if let target = shape.convertTo, unit.base != target, ["JPY", "USD", "EUR"].contains(unit.base) {
                guard let converter else { return nil }
                switch converter.convert(amount, from: unit.base, period: String(period.year)) {
                case .success(let c):
                    amount = c.converted
                    unitName = target
                    precision = precision.map { $0 * c.rate }
                    factor = factor.map { $0 * c.rate }
                    steps.append(c.lineage)
                case .failure(let failure):
                    findings.append(Finding(.unitError, check: Stage.normalize, location: place,
                                            expected: "a \(target) rate for \(period.year) in \(shape.rateTable ?? "")", actual: "\(failure)"))
                    return nil
                }
            }
            value = .number(amount)
        case .unreadable(let error):
            findings.append(Finding(error.code, check: Stage.normalize, location: place, expected: "number", actual: raw))
            return nil
        }
        let values: [Value] = spec.schema.fields.map { field in
            if let dim = shape.dimensions.first(where: { $0.field == field.name }) { return o[dim.id].map(Value.string) ?? .null }
            switch field.name {
            case shape.periodField: return .integer(period.year)
            case LongField.measure: return .string(measure)
            case LongField.value: return value
            case LongField.status: return status.map { .string($0.rawValue) } ?? .null
            default: return .string(unitName)
            }
        }
        return CuratedRow(values: values, lineage: Lineage(source: place, sourceUnit: unitCode, factor: factor, precision: precision, steps: steps))
    }
}

/// The scale of each (unit, UNIT_MULT) an observation file uses, and the lineage note of each
/// multiplier, made once each: a file of millions of observations uses a handful.
final class ScaleCache {
    private struct Key: Hashable { let unit: String; let exponent: Int }
    private var scales: [Key: Scale] = [:]
    private var notes: [Int: String] = [:]

    func scale(unit: ResolvedUnit, exponent: Int) -> Scale {
        let key = Key(unit: unit.label, exponent: exponent)
        if let known = scales[key] { return known }
        let made = Scale(unit.factor * UnitRegistry.powerOfTen(exponent))
        scales[key] = made
        return made
    }

    func multiplierNote(_ exponent: Int, id: String) -> String {
        if let known = notes[exponent] { return known }
        let note = "× 10^\(exponent) (\(id))"
        notes[exponent] = note
        return note
    }
}
