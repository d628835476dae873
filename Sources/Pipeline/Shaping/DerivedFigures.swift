import Foundation
import CurateCore
import Validate
import Publish

/// Computes derived figures from curated datasets: each with its inputs (and where they came from),
/// the rounding carried from them, and a check against the figure the briefing states. An input
/// that is not available leaves the figure empty with status `awaiting-input`.
struct DerivedFigures {
    /// The field naming each figure: the table's key.
    static let keyField = "figure"

    static let schema = TableSchema(fields: [
        Field(name: keyField, type: .string, constraints: Constraints(required: true)),
        Field(name: LongField.value, type: .number),
        Field(name: LongField.unit, type: .string),
        Field(name: LongField.status, type: .string, constraints: Constraints(required: true, enum: ["computed", "awaiting-input"])),
        Field(name: "inputs", type: .string, description: "Each input: dataset, measure, row key, value, and the raw cell it came from"),
    ], primaryKey: [keyField])

    let project: Project
    let specs: [PipelineSpec]

    func compute(_ figures: [DerivedFigure], file: String, into report: inout ReportBuilder) throws -> [CuratedRow] {
        let found = try findInputs(figures.flatMap { [$0.a, $0.b] }, file: file)
        var rows: [CuratedRow] = []
        report.begin(Stage.derived, severity: .error)
        for (k, figure) in figures.enumerated() {
            guard let a = found[2 * k], let b = found[2 * k + 1] else {
                let (a, b) = (found[2 * k], found[2 * k + 1])
                let missing = [a == nil ? figure.a : nil, b == nil ? figure.b : nil].compactMap { $0 }.map(describe).joined(separator: "; ")
                report.countMissing()
                report.add(Finding(.completeness, severity: .warning, check: Stage.derived, location: SourceLocation(file: file, field: figure.name),
                                   expected: "inputs of \(figure.name)", actual: "not available: \(missing)"))
                rows.append(CuratedRow(values: [.string(figure.name), .null, .null, .string("awaiting-input"), .string(missing)],
                                       lineage: Lineage(source: SourceLocation(file: file, field: figure.name), steps: ["awaiting: \(missing)"])))
                continue
            }
            let (value, unit, tolerance) = try apply(figure, a, b, file: file)
            let inputs = [("a", figure.a, a), ("b", figure.b, b)].map { label, input, found in
                "\(label) = \(input.dataset) \(input.measure) \(found.key) = \(found.value.canonicalText) \(found.unit) (\(found.row.lineage.source))"
            }
            var ok = true
            if let stated = figure.stated {
                let allowed = stated.precision / 2 + tolerance
                ok = (value - stated.value).magnitude <= allowed
                if !ok {
                    report.add(Finding(.crossSource, severity: stated.severity, check: Stage.derived, location: SourceLocation(file: file, field: figure.name),
                                       expected: "\(stated.value.canonicalText) ± \(allowed.rounded(6).canonicalText) as the briefing states",
                                       actual: "\(figure.name) = \(value.rounded(6).canonicalText) from " + inputs.joined(separator: "; ")))
                }
            }
            report.count(passed: ok)
            var lineage = Lineage(source: a.row.lineage.source, sourceUnit: unit, precision: tolerance * 2, steps: inputs)
            lineage.steps.append("\(figure.operation.rawValue)" + (figure.scale == 1 ? "" : " × \(figure.scale.canonicalText)") + " → \(value.rounded(10).canonicalText) \(unit)")
            rows.append(CuratedRow(values: [.string(figure.name), .number(value.rounded(10)), .string(unit), .string("computed"), .string(inputs.joined(separator: "; "))],
                                   lineage: lineage))
        }
        return rows
    }

    private struct Found { let row: CuratedRow; let key: String; let value: Decimal; let unit: String; let halfPrecision: Decimal }

    /// The row each input names (the first of its dataset's published release with the input's
    /// measure and filter), or nil where there is none or its value is not a number. Each dataset
    /// is read once, a row at a time (`ReleaseRows`), until every input on it is found: a derived
    /// figure never loads a whole table.
    private func findInputs(_ inputs: [DerivedFigure.Input], file: String) throws -> [Found?] {
        var found = [Found?](repeating: nil, count: inputs.count)
        var datasets: [String] = []
        for input in inputs where !datasets.contains(input.dataset) { datasets.append(input.dataset) }
        for name in datasets {
            guard let spec = specs.first(where: { $0.name == name }) else {
                throw CurateError(.specError, "derived figure names dataset \(name), which has no pipeline", at: SourceLocation(file: file))
            }
            let folder = project.curatedRoot + "/" + name
            guard FileManager.default.fileExists(atPath: folder + "/" + ReleaseFiles.data) else { continue }
            var pending = try inputs.indices.filter { inputs[$0].dataset == name }
                .compactMap { i in try Matcher(inputs[i], schema: spec.schema).map { (i, $0) } }
            guard !pending.isEmpty else { continue }
            let rows = try ReleaseRows(directory: folder, schema: spec.schema)
            let keyText = PrimaryKeyText(spec.schema)
            while !pending.isEmpty, let row = try rows.next() {
                pending.removeAll { i, matcher in
                    guard matcher.matches(row) else { return false }
                    found[i] = matcher.found(row, key: keyText(row))
                    return true
                }
            }
        }
        return found
    }

    /// Which rows of a dataset an input names; nil when the dataset has no measure or value field.
    private struct Matcher {
        let measure: String, measureIndex: Int, valueIndex: Int, unitIndex: Int?
        let conditions: [(Int, String)]

        init?(_ input: DerivedFigure.Input, schema: TableSchema) throws {
            guard let measure = schema.index(of: LongField.measure), let value = schema.index(of: LongField.value) else { return nil }
            self.measure = input.measure; measureIndex = measure; valueIndex = value
            unitIndex = schema.index(of: LongField.unit)
            conditions = try input.filter.map { condition -> (Int, String) in
                guard let index = schema.index(of: condition.field) else {
                    throw CurateError(.specError, "derived input filters on \(condition.field), which \(input.dataset) does not have")
                }
                return (index, condition.value)
            }
        }

        func matches(_ row: CuratedRow) -> Bool {
            row.values[measureIndex] == .string(measure) && conditions.allSatisfy { row.values[$0.0].description == $0.1 }
        }

        /// The input's figure, or nil (not available) when the row's value is not a number.
        func found(_ row: CuratedRow, key: String) -> Found? {
            guard let number = row.values[valueIndex].decimal else { return nil }
            return Found(row: row, key: key, value: number, unit: unitIndex.map { row.values[$0].description } ?? "",
                         halfPrecision: (row.lineage.precision ?? 0) / 2)
        }
    }

    /// The value, its unit, and how far rounding of the inputs can move it (to first order).
    private func apply(_ f: DerivedFigure, _ a: Found, _ b: Found, file: String) throws -> (Decimal, String, Decimal) {
        func relative(_ x: Found) -> Decimal { x.value == 0 ? 0 : x.halfPrecision / x.value.magnitude }
        switch f.operation {
        case .ratio:
            guard b.value != 0 else { throw CurateError(.specError, "\(f.name): division by zero", at: SourceLocation(file: file)) }
            let v = a.value / b.value * f.scale
            return (v, a.unit == b.unit ? "ratio" : "\(a.unit)/\(b.unit)", v.magnitude * (relative(a) + relative(b)))
        case .difference:
            guard a.unit == b.unit else {
                throw CurateError(.unitError, "\(f.name): cannot subtract \(b.unit) from \(a.unit)", at: SourceLocation(file: file))
            }
            return ((a.value - b.value) * f.scale, a.unit, (a.halfPrecision + b.halfPrecision) * f.scale.magnitude)
        case .change:
            guard b.value != 0, a.unit == b.unit else {
                throw CurateError(.specError, "\(f.name): a change needs a non-zero base in the same unit", at: SourceLocation(file: file))
            }
            let v = (a.value - b.value) / b.value * 100
            return (v, "percent", (a.value / b.value * 100).magnitude * (relative(a) + relative(b)))
        case .product:
            let v = a.value * b.value * f.scale
            let unit = a.unit == "percent" ? b.unit : b.unit == "percent" ? a.unit : "\(a.unit)×\(b.unit)"
            return (v, unit, v.magnitude * (relative(a) + relative(b)))
        }
    }

    private func describe(_ input: DerivedFigure.Input) -> String {
        "\(input.dataset) \(input.measure)" + (input.filter.isEmpty ? "" : " where " + input.filter.map { "\($0.field)=\($0.value)" }.joined(separator: ","))
    }
}
